/**
 * Excel workbooks (.xlsx), read with exceljs's streaming reader: rows arrive as the sheet's XML is
 * inflated, so memory stays bounded by the shared-string table, not by the number of rows.
 * As readxl does: the first non-empty row is the header, a blank header cell is named `...<n>`, and a
 * cell is its displayed value's text (numbers written out, dates as ISO dates, formulas by their
 * result). Rows with no value at all are skipped, as a blank CSV line is.
 */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { DataError } from '../../../contract/step.js';
import type { ExportColumn, ExportRow, ExportSource } from './table.js';

const ZIP = [0x50, 0x4b, 0x03, 0x04];
/** An OLE compound file: how Office wraps an encrypted workbook (and how a legacy .xls looks). */
const CFB = [0xd0, 0xcf, 0x11, 0xe0];

interface SheetReader extends AsyncIterable<ExcelJS.Row> {
  name: string;
}

export interface XlsxOptions {
  /** The sheet to read (a codebook may name it); the first sheet otherwise. */
  sheet?: string;
}

/** `pieces` are read in order as the zip inflates; the first must hold at least the 4-byte signature. */
export async function openXlsx(file: string, pieces: Iterable<Uint8Array>, options: XlsxOptions = {}): Promise<ExportSource> {
  const iterator = pieces[Symbol.iterator]();
  const first = iterator.next();
  const bytes = first.done ? new Uint8Array() : first.value;
  const starts = (magic: number[]) => magic.every((b, i) => bytes[i] === b);
  if (starts(CFB)) {
    throw new DataError('the workbook is encrypted (password-protected) or a legacy .xls: save it from Excel as an unprotected .xlsx', { file });
  }
  if (!starts(ZIP)) {
    throw new DataError('not an Excel workbook (.xlsx is a zip archive starting "PK"): save it from Excel as .xlsx', { file, value: printable(bytes.subarray(0, 8)) });
  }
  const rest = function* (): Generator<Buffer> {
    yield Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let next = iterator.next(); !next.done; next = iterator.next()) yield Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
  };
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(rest()), {
    sharedStrings: 'cache',
    worksheets: 'emit',
    hyperlinks: 'ignore',
    styles: 'cache',
    entries: 'ignore',
  });
  const damaged = (e: unknown): DataError =>
    e instanceof DataError ? e : new DataError(`the workbook cannot be read (${(e as Error).message}): it is damaged or not an .xlsx; save it again from Excel`, { file });

  // The header is read here, so a missing sheet or an empty one fails before any row is asked for.
  const sheets = (workbook as unknown as AsyncIterable<SheetReader>)[Symbol.asyncIterator]();
  const seen: string[] = [];
  let sheet: SheetReader | undefined;
  try {
    for (let next = await sheets.next(); !next.done; next = await sheets.next()) {
      seen.push(next.value.name);
      if (options.sheet === undefined || next.value.name === options.sheet) {
        sheet = next.value;
        break;
      }
      for await (const _ of next.value); // a sheet not asked for is read past
    }
  } catch (e) {
    throw damaged(e);
  }
  if (!sheet) {
    throw new DataError(
      seen.length ? `no sheet named "${options.sheet}" (the workbook has ${seen.map((s) => `"${s}"`).join(', ')}): name one of them in the codebook's "sheet"` : 'the workbook has no sheet',
      { file, ...(options.sheet !== undefined ? { value: options.sheet } : {}) },
    );
  }
  const name = sheet.name;
  const rowsIn = sheet[Symbol.asyncIterator]();
  let header: ExcelJS.Row | undefined;
  try {
    for (let next = await rowsIn.next(); !next.done; next = await rowsIn.next()) {
      if (cellTexts(next.value).some((c) => c !== '')) {
        header = next.value;
        break;
      }
    }
  } catch (e) {
    throw damaged(e);
  }
  if (!header) throw new DataError(`sheet "${name}" is empty: it needs a header row of column names`, { file, value: name });
  const columns: ExportColumn[] = cellTexts(header).map((text, i) => ({ name: text.trim() === '' ? `...${i + 1}` : text }));
  while (columns.length && columns.at(-1)!.name === `...${columns.length}`) columns.pop();

  return {
    file,
    format: 'xlsx',
    sheet: name,
    columns,
    rows: async function* (): AsyncGenerator<ExportRow> {
      try {
        for (let next = await rowsIn.next(); !next.done; next = await rowsIn.next()) {
          const cells = cellTexts(next.value);
          if (!cells.some((c) => c !== '')) continue;
          for (let c = columns.length; c < cells.length; c++) {
            if (cells[c] !== '') {
              throw new DataError(`row ${next.value.number} has a value in column ${columnLetter(c + 1)}, beyond the header's ${columns.length} columns: give that column a name in the header`, {
                file,
                path: `row ${next.value.number}`,
                column: columnLetter(c + 1),
                value: cells[c],
              });
            }
          }
          cells.length = columns.length;
          for (let c = 0; c < cells.length; c++) cells[c] ??= '';
          yield { at: next.value.number, cells };
        }
      } catch (e) {
        throw damaged(e);
      }
    },
  };
}

/** A row's cells as text, left to right from column A (exceljs's `values` is 1-based and sparse). */
function cellTexts(row: ExcelJS.Row): string[] {
  const values = row.values as ExcelJS.CellValue[];
  const out: string[] = [];
  for (let c = 1; c < values.length; c++) out.push(cellText(values[c]));
  return out;
}

export function cellText(value: ExcelJS.CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('error' in value) return value.error;
  if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
  if ('formula' in value || 'sharedFormula' in value) return '';
  if ('text' in value) return String(value.text);
  return String(value);
}

function columnLetter(n: number): string {
  let s = '';
  for (; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function printable(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes).replace(/[^\x20-\x7e]/g, '?');
}
