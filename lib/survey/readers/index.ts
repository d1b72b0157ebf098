/**
 * Opens an export by its extension: `.csv`, `.sav`, `.zsav` or `.xlsx`. Every reader gives the same shape
 * (`table.ts`), so the same answers read from any of them give the same label rows.
 */
import { DataError } from '../../../contract/step.js';
import { EXPORT_FORMATS, exportFormat } from '../exports.js';
import { openCsv } from './csv.js';
import { openSav } from './sav.js';
import { openXlsx } from './xlsx.js';
import type { ExportFormat, ExportSource, ExportTable } from './table.js';

export type { ExportColumn, ExportFormat, ExportRow, ExportSource, ExportTable, ValueLabel, UserMissing } from './table.js';
export { POSITION, isMissing } from './table.js';

/** The extensions an export may have: the formats export discovery knows (survey/exports.ts). */
export const EXPORT_EXTENSIONS: readonly ExportFormat[] = EXPORT_FORMATS;
export { exportFormat };

/** Pieces the CSV and workbook readers are fed, so neither holds a second copy of a large file. */
const PIECE = 1 << 20;

function* pieces(bytes: Uint8Array): Generator<Uint8Array> {
  for (let at = 0; at < bytes.length || at === 0; at += PIECE) yield bytes.subarray(at, at + PIECE);
}

export interface OpenOptions {
  /** The workbook sheet to read; ignored for other formats. */
  sheet?: string;
}

export async function openExport(file: string, bytes: Uint8Array, options: OpenOptions = {}): Promise<ExportSource> {
  const format = exportFormat(file);
  switch (format) {
    case 'csv':
      return openCsv(file, pieces(bytes));
    case 'sav':
    case 'zsav':
      return openSav(file, bytes);
    case 'xlsx':
      return openXlsx(file, pieces(bytes), options);
    default:
      throw new DataError(`an export must be one of ${EXPORT_EXTENSIONS.map((e) => `.${e}`).join(', ')}`, { file });
  }
}

/** Reads a whole export into memory. */
export async function readExport(file: string, bytes: Uint8Array, options: OpenOptions = {}): Promise<ExportTable> {
  const source = await openExport(file, bytes, options);
  const rows = [];
  for await (const row of source.rows()) rows.push(row);
  const { rows: _, ...rest } = source;
  return { ...rest, rows };
}
