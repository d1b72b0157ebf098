/**
 * The row-lineage sidecar `<table>.lineage.json` (schemas/row-lineage.schema.json), shared by the steps
 * that write it (lib/table/row-lineage.ts) and the runner that reads it (`explain --cell`): for each row
 * of a table, the rows of its inputs (or lines of raw files) it was computed from.
 *
 * Version 2 writes rows as sorted runs and each distinct set of runs once: a row resting on a whole
 * group of respondents is one run, and the rows that rest on the same respondents share one set.
 */

export const LINEAGE_VERSION = 2;

/** 1-based inclusive runs of rows (or lines), ascending and not touching. */
export type Ranges = Array<[first: number, last: number]>;
/** Per input position (in `inputs`): the runs of its rows a row rests on. */
export type Refs = Array<[input: number, ranges: Ranges]>;
/**
 * A run of output rows, in order: `[count, set]` — each of the next `count` rows rests on the whole of
 * `sets[set]`; `[count, set, "each"]` — they rest one each on its rows in order (a record on its raw line).
 */
export type LineageRun = [count: number, set: number] | [count: number, set: number, mode: 'each'];

export interface RowLineageFile {
  version: typeof LINEAGE_VERSION;
  /** What the row numbers refer to: `<step>:<file>` as the step's manifest names its input, another output of the same entry (`<file>`), or a raw file's path. */
  inputs: string[];
  /** Per input: `row` (data rows or records, 1 = first) or `line` (a raw file's lines, 1 = first). */
  units: Array<'row' | 'line'>;
  /** The distinct sets of input rows that output rows rest on. */
  sets: Refs[];
  /** The output rows (1 = first data row) as runs, each naming its set. */
  rows: LineageRun[];
  /** Per output row, optionally, the identifier a reader knows it by (e.g. a respondent ID). */
  keys?: string[];
}

/** Whether parsed JSON has the shape of a version 2 sidecar (its outer fields; runs are checked as read). */
export function isRowLineage(value: unknown): value is RowLineageFile {
  const v = value as Partial<RowLineageFile> | null;
  return typeof v === 'object' && v !== null && v.version === LINEAGE_VERSION && [v.inputs, v.units, v.sets, v.rows].every(Array.isArray);
}

/** The number of output rows a sidecar describes. */
export const lineageLength = (file: RowLineageFile) => file.rows.reduce((n, [count]) => n + count, 0);

/**
 * What each output row rests on, by 1-based row: undefined past the last row. A row of an `each` run
 * gets the one row of its set at its place in the run.
 */
export function lineageRows(file: RowLineageFile): (row: number) => Refs | undefined {
  const starts: number[] = [];
  let next = 1;
  for (const [count] of file.rows) {
    starts.push(next);
    next += count;
  }
  return (row) => {
    if (!Number.isInteger(row) || row < 1 || row >= next) return undefined;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= row) lo = mid;
      else hi = mid - 1;
    }
    const [, set, mode] = file.rows[lo]!;
    const refs = file.sets[set];
    if (!refs) return undefined;
    return mode === 'each' ? nthRow(refs, row - starts[lo]!) : refs;
  };
}

/** The k-th (0-based) row of a set, counting through its inputs and runs in order. */
function nthRow(refs: Refs, k: number): Refs | undefined {
  for (const [input, ranges] of refs)
    for (const [first, last] of ranges) {
      if (k <= last - first) return [[input, [[first + k, first + k]]]];
      k -= last - first + 1;
    }
  return undefined;
}
