/**
 * A table's row lineage, as the runner's `explain --cell` reads it (runner/row-lineage.ts,
 * schemas/row-lineage.schema.json): for each output row, the rows of each input it was computed from.
 * Steps write it beside the table as `<table>.lineage.json`.
 */

export interface RowRefs {
  /** Input position (in `inputs`) and its 1-based rows. */
  refs: Array<[number, number[]]>;
  key?: string;
}

export function rowLineage(inputs: readonly string[], units: ReadonlyArray<'row' | 'line'>, rows: readonly RowRefs[]): string {
  const keyed = rows.some((r) => r.key !== undefined);
  return rowLineageOf(inputs, units, rows.length, (i) => rows[i]!.refs, keyed ? (i) => rows[i]!.key ?? '' : undefined);
}

/** Rows stringified this many at a time: a million rows' refs as objects at once cost hundreds of MB. */
const CHUNK = 65_536;

/**
 * The same JSON as `rowLineage`, asking for each row's refs (and key) as it writes them, so that only
 * one chunk of rows is held as objects at a time.
 */
export function rowLineageOf(inputs: readonly string[], units: ReadonlyArray<'row' | 'line'>, count: number, refsAt: (i: number) => RowRefs['refs'], keyAt?: (i: number) => string): string {
  const chunks = (at: (i: number) => unknown) => {
    const parts: string[] = [];
    for (let start = 0; start < count; start += CHUNK) parts.push(JSON.stringify(Array.from({ length: Math.min(CHUNK, count - start) }, (_, k) => at(start + k))).slice(1, -1));
    return `[${parts.join(',')}]`;
  };
  return `{"inputs":${JSON.stringify(inputs)},"units":${JSON.stringify(units)},"rows":${chunks(refsAt)}${keyAt ? `,"keys":${chunks(keyAt)}` : ''}}\n`;
}

/** Rows [start, end) of a table (0-based) where every column has a value: the complete cases, 1-based. */
export function completeRows(start: number, columns: readonly Float64Array[]): number[] {
  const rows: number[] = [];
  const length = columns[0]?.length ?? 0;
  for (let i = 0; i < length; i++) if (columns.every((c) => !Number.isNaN(c[i]!))) rows.push(start + i + 1);
  return rows;
}
