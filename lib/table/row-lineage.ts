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
  return `${JSON.stringify({ inputs, units, rows: rows.map((r) => r.refs), ...(keyed ? { keys: rows.map((r) => r.key ?? '') } : {}) })}\n`;
}

/** Rows [start, end) of a table (0-based) where every column has a value: the complete cases, 1-based. */
export function completeRows(start: number, columns: readonly Float64Array[]): number[] {
  const rows: number[] = [];
  const length = columns[0]?.length ?? 0;
  for (let i = 0; i < length; i++) if (columns.every((c) => !Number.isNaN(c[i]!))) rows.push(start + i + 1);
  return rows;
}
