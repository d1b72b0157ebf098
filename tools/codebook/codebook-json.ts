/** A codebook as its JSON holds it, read loosely: what check and the recovery measure look at. */
export interface CodebookJson {
  draft?: boolean;
  sheet?: string;
  dont_know: string[];
  label_sets?: Record<string, Record<string, unknown>>;
  columns: Record<string, { variable: string; labels?: Record<string, unknown>; label_set?: string; numeric?: boolean }>;
}

/** A column's label → target map, its label set resolved. */
export function columnLabels(book: CodebookJson, header: string): Record<string, unknown> {
  const col = book.columns[header];
  if (!col) return {};
  return col.label_set !== undefined ? (book.label_sets?.[col.label_set] ?? {}) : (col.labels ?? {});
}
