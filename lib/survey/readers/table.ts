/**
 * The shape every export reader gives, whatever the file format: the columns in file order with what the
 * file says about them, and rows of text cells (the answers as a codebook maps them), each row with the
 * place a user finds it again (CSV line, SPSS case number, sheet row).
 */

/** One value label of an SPSS variable. `missing` marks a user-missing code (refused, don't know…). */
export interface ValueLabel {
  code: number | string;
  label: string;
  missing: boolean;
}

/** User-missing values as SPSS declares them: up to three codes, or a range with an optional extra code. */
export type UserMissing = { codes: (number | string)[] } | { low: number; high: number; code?: number };

export interface ExportColumn {
  name: string;
  /** The variable label (SPSS); absent for CSV and Excel. */
  label?: string;
  /** Value labels in code order (SPSS). */
  values?: ValueLabel[];
  missing?: UserMissing;
  /** `numeric` or `string` storage (SPSS); absent for CSV and Excel, where every cell is text. */
  type?: 'numeric' | 'string';
}

export interface ExportRow {
  /** Where the row is in the file: the line of a CSV, the case number of a .sav, the row of a sheet. */
  at: number;
  cells: string[];
}

export type ExportFormat = 'csv' | 'sav' | 'zsav' | 'xlsx';

/** What a row's `at` counts, for messages: `barnet.sav, case 12`. */
export const POSITION: Record<ExportFormat, string> = { csv: 'line', sav: 'case', zsav: 'case', xlsx: 'row' };

export interface ExportSource {
  file: string;
  format: ExportFormat;
  /** The sheet read, for a workbook. */
  sheet?: string;
  columns: ExportColumn[];
  /** Rows in file order, read as they are asked for. */
  rows(): AsyncIterable<ExportRow>;
}

export interface ExportTable extends Omit<ExportSource, 'rows'> {
  rows: ExportRow[];
}

export function isMissing(missing: UserMissing | undefined, code: number | string): boolean {
  if (!missing) return false;
  if ('codes' in missing) return missing.codes.includes(code);
  return typeof code === 'number' && ((code >= missing.low && code <= missing.high) || code === missing.code);
}
