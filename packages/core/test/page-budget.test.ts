import { describe, expect, it } from 'vitest';
import { PageBudget } from '../src/page-budget.js';

describe('PageBudget', () => {
  it('asks for the reader’s limit, or the budget’s rows when fewer, and never for less than one row', () => {
    const budget = new PageBudget(1000, 4000);
    expect(budget.rows(1000)).toBe(1000);
    expect(budget.rows(2)).toBe(2);
    budget.sized(320);
    expect(budget.rows(1000)).toBe(10);
    budget.sized(10_000);
    expect(budget.rows(1000)).toBe(1);
  });

  it('lets each payload of a page have an equal share of the bytes, and a page of one row any size', () => {
    const budget = new PageBudget(1000, 4000);
    expect(budget.rowBytes(1000)).toBe(4);
    expect(budget.rowBytes(3)).toBe(1333);
    expect(budget.rowBytes(1)).toBe(2 ** 31 - 1);
    // However large the budget, the allowance fits the SQL integer it is sent as.
    expect(new PageBudget(2, Number.MAX_SAFE_INTEGER).rowBytes(2)).toBe(2 ** 31 - 1);
  });

  it('sizes each page by the largest payload of the one before, with a quarter more room, growing back to the most rows', () => {
    const budget = new PageBudget(100, 10_000);
    budget.sized(800);
    expect(budget.rows(100)).toBe(10);
    // Payloads a quarter larger than that one fit a page of that many rows.
    expect(budget.rowBytes(budget.rows(100))).toBeGreaterThanOrEqual(1000);
    budget.sized(1);
    expect(budget.rows(100)).toBe(100);
    budget.sized(0);
    expect(budget.rows(100)).toBe(100);
  });
});
