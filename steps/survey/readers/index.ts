/**
 * Opens an export by its extension: `.csv`, `.sav`, `.zsav` or `.xlsx`. Every reader gives the same shape
 * (`table.ts`), so the same answers read from any of them give the same label rows.
 */
import { DataError } from '../../../runner/step.js';
import { openCsv } from './csv.js';
import { openSav } from './sav.js';
import { openXlsx } from './xlsx.js';
import type { ExportFormat, ExportSource, ExportTable } from './table.js';

export type { ExportColumn, ExportFormat, ExportRow, ExportSource, ExportTable, ValueLabel, UserMissing } from './table.js';
export { POSITION, isMissing } from './table.js';

export const EXPORT_EXTENSIONS: readonly ExportFormat[] = ['csv', 'sav', 'zsav', 'xlsx'];

/**
 * An export's content: its bytes, or pieces read one after another (the runner's `chunks()`, whose
 * buffer may be reused: each piece is copied before the next is asked for). A .sav is read whole.
 */
export type ExportInput = Uint8Array | { chunks(size: number): Iterable<Uint8Array> };

const PIECE = 1 << 20;

function* pieces(input: ExportInput): Generator<Uint8Array> {
  if (input instanceof Uint8Array) {
    for (let at = 0; at < input.length || at === 0; at += PIECE) yield input.subarray(at, at + PIECE);
    return;
  }
  for (const piece of input.chunks(PIECE)) yield piece.slice();
}

function whole(input: ExportInput): Uint8Array {
  if (input instanceof Uint8Array) return input;
  const parts = [...pieces(input)];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export interface OpenOptions {
  /** The workbook sheet to read; ignored for other formats. */
  sheet?: string;
}

export function exportFormat(file: string): ExportFormat | undefined {
  const ext = /\.([a-z]+)$/i.exec(file)?.[1]?.toLowerCase();
  return (EXPORT_EXTENSIONS as readonly string[]).includes(ext ?? '') ? (ext as ExportFormat) : undefined;
}

export async function openExport(file: string, input: ExportInput, options: OpenOptions = {}): Promise<ExportSource> {
  const format = exportFormat(file);
  switch (format) {
    case 'csv':
      return openCsv(file, pieces(input));
    case 'sav':
    case 'zsav':
      return openSav(file, whole(input));
    case 'xlsx':
      return openXlsx(file, pieces(input), options);
    default:
      throw new DataError(`an export must be one of ${EXPORT_EXTENSIONS.map((e) => `.${e}`).join(', ')}`, { file });
  }
}

/** Reads a whole export into memory. */
export async function readExport(file: string, input: ExportInput, options: OpenOptions = {}): Promise<ExportTable> {
  const source = await openExport(file, input, options);
  const rows = [];
  for await (const row of source.rows()) rows.push(row);
  const { rows: _, ...rest } = source;
  return { ...rest, rows };
}
