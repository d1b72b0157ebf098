/**
 * Writing a table's row lineage (contract/row-lineage.ts, schemas/row-lineage.schema.json): for each
 * output row, the rows of each input it was computed from, which steps write beside the table as
 * `<table>.lineage.json`. Rows are built as runs straight from row indices: a group's respondents are
 * contiguous in the scores and records tables, so its complete cases are as many runs as they have gaps.
 */
import { LINEAGE_VERSION, type LineageRun, type Ranges, type Refs } from '../../contract/row-lineage.js';

export type { Ranges, Refs };

/** Adds `row` to ascending `ranges`, extending the last run when it follows it. */
export function pushRow(ranges: Ranges, row: number): void {
  const last = ranges[ranges.length - 1];
  if (last && row === last[1] + 1) last[1] = row;
  else if (!last || row > last[1]) ranges.push([row, row]);
}

/** Runs of a list of rows, in any order and with repeats. */
export function rangesOf(rows: Iterable<number>): Ranges {
  const ranges: Ranges = [];
  for (const row of [...rows].sort((a, b) => a - b)) pushRow(ranges, row);
  return ranges;
}

/** `count` rows from `first` (1-based) as runs. */
export const span = (first: number, count: number): Ranges => (count > 0 ? [[first, first + count - 1]] : []);

/** Rows [start, end) of a table (0-based) where every column has a value: the complete cases, as 1-based runs. */
export function completeRanges(start: number, columns: readonly Float64Array[]): Ranges {
  const ranges: Ranges = [];
  const length = columns[0]?.length ?? 0;
  for (let i = 0; i < length; i++) if (columns.every((c) => !Number.isNaN(c[i]!))) pushRow(ranges, start + i + 1);
  return ranges;
}

/** Rows [start, end) of a table (0-based) where every column has a value, one by one (1-based). */
export function completeRows(start: number, columns: readonly Float64Array[]): number[] {
  return completeRanges(start, columns).flatMap(([first, last]) => Array.from({ length: last - first + 1 }, (_, k) => first + k));
}

/** Collects a table's row lineage row by row and writes it as JSON. */
export class RowLineage {
  private readonly sets = new Map<string, number>();
  private readonly runs: LineageRun[] = [];
  private readonly keys: string[] = [];
  private keyed = false;
  /** An open run of rows resting one each on ascending rows of one input, interned when it closes. */
  private each: { input: number; ranges: Ranges; count: number } | undefined;

  constructor(
    private readonly inputs: readonly string[],
    private readonly units: ReadonlyArray<'row' | 'line'>,
  ) {}

  /** The next output row rests on `refs` (runs per input, inputs in any order). */
  add(refs: Refs, key?: string): void {
    this.close();
    const set = this.intern(refs.filter(([, ranges]) => ranges.length > 0));
    const last = this.runs[this.runs.length - 1];
    if (last && last.length === 2 && last[1] === set) last[0]++;
    else this.runs.push([1, set]);
    this.key(key);
  }

  /** The next output row rests on one row (or line) of one input, e.g. a record on its raw line. */
  addOne(input: number, row: number, key?: string): void {
    const open = this.each;
    const last = open?.ranges[open.ranges.length - 1];
    if (open && open.input === input && row > last![1]) {
      pushRow(open.ranges, row);
      open.count++;
    } else {
      this.close();
      this.each = { input, ranges: [[row, row]], count: 1 };
    }
    this.key(key);
  }

  json(): string {
    this.close();
    const sets = [...this.sets.keys()].join(',');
    const keys = this.keyed ? `,"keys":${JSON.stringify(this.keys)}` : '';
    return `{"version":${LINEAGE_VERSION},"inputs":${JSON.stringify(this.inputs)},"units":${JSON.stringify(this.units)},"sets":[${sets}],"rows":${JSON.stringify(this.runs)}${keys}}\n`;
  }

  private key(key: string | undefined): void {
    if (key !== undefined && !this.keyed) {
      this.keyed = true;
      this.keys.length = this.count() - 1;
      this.keys.fill('');
    }
    if (this.keyed) this.keys.push(key ?? '');
  }

  private count(): number {
    return this.runs.reduce((n, [count]) => n + count, 0) + (this.each?.count ?? 0);
  }

  private close(): void {
    if (!this.each) return;
    const { input, ranges, count } = this.each;
    this.each = undefined;
    this.runs.push(count === 1 ? [1, this.intern([[input, ranges]])] : [count, this.intern([[input, ranges]]), 'each']);
  }

  private intern(refs: Refs): number {
    // Inputs stay in the writer's order, which explain follows: sets differing only in it are rare.
    const text = JSON.stringify(refs);
    const at = this.sets.get(text);
    if (at !== undefined) return at;
    this.sets.set(text, this.sets.size);
    return this.sets.size - 1;
  }
}

/** A row's sources as lists of rows, for tables of a few rows each. */
export interface RowRefs {
  /** Input position (in `inputs`) and its 1-based rows. */
  refs: Array<[number, number[]]>;
  key?: string;
}

export function rowLineage(inputs: readonly string[], units: ReadonlyArray<'row' | 'line'>, rows: readonly RowRefs[]): string {
  const lineage = new RowLineage(inputs, units);
  for (const r of rows) lineage.add(r.refs.map(([input, list]) => [input, rangesOf(list)]), r.key);
  return lineage.json();
}
