/**
 * The 95% intervals beside Table 2's levels: the t interval of the mean individual index, and Wilson
 * intervals of the collective and willingness shares (0/100 indicators), on the 0-100 scale. Empty when
 * there is nothing to estimate (a question not asked, or a single answer for a mean).
 */
import { tMeanInterval, wilsonInterval } from './intervals.js';
import { fixed, type Cell } from '../table/csv.js';

/** The six interval cells of one group: rows [start, end) of the scores columns (NaN / negative: missing). */
export function levelIntervalCells(individual: Float64Array, collective: Int8Array, willing: Int8Array, start: number, end: number): Cell[] {
  const mean = tMeanInterval(individual.subarray(start, end));
  return [mean?.lower ?? null, mean?.upper ?? null, ...shareInterval(collective, start, end), ...shareInterval(willing, start, end)].map((x) => fixed(x, 2));
}

function shareInterval(values: Int8Array, start: number, end: number): [number | null, number | null] {
  let n = 0;
  let yes = 0;
  for (let i = start; i < end; i++) {
    const v = values[i]!;
    if (v < 0) continue;
    n++;
    if (v === 100) yes++;
  }
  const ci = wilsonInterval(yes, n);
  return ci ? [100 * ci.lower, 100 * ci.upper] : [null, null];
}
