/** A codebook as its JSON holds it, read loosely: what check and the recovery measure look at. */
import { normaliseLabel } from '../../steps/survey/codebook.js';

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

/** Whether a cell is an answer the codebook maps in that column (a blank always is). */
export function maps(book: CodebookJson, header: string, cell: string): boolean {
  const label = normaliseLabel(cell);
  if (label === '' || book.dont_know.includes(label)) return true;
  if (label in columnLabels(book, header)) return true;
  return (book.columns[header]?.numeric ?? false) && /^-?\d+$/.test(label);
}
