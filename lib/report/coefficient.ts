/**
 * Which correlation coefficient the tables hold, read from their `method` column: the report's words
 * follow the data it is given, whatever chose the method. The article's coefficients are Pearson's.
 */
import type { CorrelationRow } from './inputs.js';

export type CorrelationMethod = CorrelationRow['method'];

export const METHODS: ReadonlySet<string> = new Set(['pearson', 'spearman']);

/** The methods of one wave's rows (normally exactly one), in a fixed order. */
export function methodsOf(rows: readonly CorrelationRow[], wave: number): CorrelationMethod[] {
  const found = new Set(rows.filter((r) => r.wave === wave).map((r) => r.method));
  return (['pearson', 'spearman'] as const).filter((m) => found.has(m));
}

const NAMES: Record<CorrelationMethod, string> = { pearson: 'Pearson correlations', spearman: 'Spearman rank correlations (rho)' };

/** "Pearson correlations", "Spearman rank correlations (rho)", or both joined. */
export function coefficientPhrase(rows: readonly CorrelationRow[], wave: number): string {
  const methods = methodsOf(rows, wave);
  return methods.length ? methods.map((m) => NAMES[m]).join(' and ') : NAMES.pearson;
}

/** Whether any row of the wave holds a coefficient other than the article's (Pearson). */
export const departsFromPaper = (rows: readonly CorrelationRow[], wave: number) => methodsOf(rows, wave).some((m) => m !== 'pearson');

/** "Spearman", or "Pearson and Spearman": the coefficients' names alone. */
export const methodNames = (rows: readonly CorrelationRow[], wave: number) =>
  methodsOf(rows, wave).map((m) => m.charAt(0).toUpperCase() + m.slice(1)).join(' and ');
