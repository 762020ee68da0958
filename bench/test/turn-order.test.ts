// Rounds rotate the contenders and, after as many rounds as contenders, run them in reverse, so that no
// contender always follows the same one (what one leaves in the server's buffers falls on the next).
import { expect, test } from 'vitest';
import { turnOrder } from '../src/run-scenario.js';

test('each round runs every contender once, and over two cycles each follows more than one other', () => {
  for (let contenders = 2; contenders <= 7; contenders++) {
    const followed = Array.from({ length: contenders }, () => new Set<number>());
    for (let round = 0; round < 2 * contenders; round++) {
      const order = Array.from({ length: contenders }, (_, turn) => turnOrder(round, turn, contenders));
      expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: contenders }, (_, index) => index));
      for (let turn = 1; turn < contenders; turn++) followed[order[turn] as number]?.add(order[turn - 1] as number);
    }
    for (const predecessors of followed) expect(predecessors.size).toBe(contenders === 2 ? 1 : 2);
  }
});

test('the first cycle is the plain rotation (A B C, B C A, C A B), the second its reverse', () => {
  const rounds = Array.from({ length: 6 }, (_, round) => [0, 1, 2].map((turn) => turnOrder(round, turn, 3)).join(''));
  expect(rounds).toEqual(['012', '120', '201', '210', '102', '021']);
});
