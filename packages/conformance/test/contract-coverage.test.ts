// Every MUST clause of docs/contract.md is covered by a case whose id cites
// it, or (for type-level clauses) by the test file the clause names.
import { existsSync, readFileSync } from 'node:fs';
import { cases } from '@hume/conformance';
import { describe, expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url);
const contract = readFileSync(new URL('docs/contract.md', root), 'utf8');
const clauses = [...contract.matchAll(/^- \*\*(C\d+\.\d+) \((MUST|SHOULD)\)\*\* (.*)$/gm)].map(([, id, level, text]) => ({
  id: id as string,
  level: level as string,
  checkedBy: /Checked by: `([^`]+)`/.exec(text ?? '')?.[1],
}));

describe('docs/contract.md and the cases', () => {
  it('lists clauses', () => {
    expect(clauses.length).toBeGreaterThan(20);
  });

  it.each(clauses.filter((c) => c.level === 'MUST'))('MUST clause $id is covered', ({ id, checkedBy }) => {
    if (checkedBy !== undefined) {
      const file = new URL(checkedBy, root);
      expect(existsSync(file), `${checkedBy} exists`).toBe(true);
      expect(readFileSync(file, 'utf8')).toContain(id.slice(0, id.indexOf('.')));
      return;
    }
    expect(cases.filter((entry) => entry.clause === id && entry.level === 'MUST').map((entry) => entry.id)).not.toEqual([]);
  });

  it('has no case citing a clause the contract does not have, or at another level', () => {
    const levels = new Map(clauses.map((c) => [c.id, c.level]));
    for (const entry of cases) expect(`${entry.id} ${levels.get(entry.clause)}`).toBe(`${entry.id} ${entry.level}`);
  });

  it('gives every case a unique id that starts with its clause', () => {
    const ids = cases.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const entry of cases) expect(entry.id).toMatch(/^C\d+\.\d+-[a-z0-9-]+$/);
  });
});
