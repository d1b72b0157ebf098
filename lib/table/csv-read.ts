/**
 * Reading the analysis tables and writing the published ones. Parsing is csv-parse's; writing quotes
 * per RFC 4180 and guards every cell against spreadsheet formula injection.
 */
import { parse } from 'csv-parse/sync';
import { DataError, type Artifact } from '../../contract/step.js';
import { guardFormula } from '../report/escape.js';
import { checkHeader, headerOf, type TableContract } from './table-contract.js';

export interface CsvTable {
  file: string;
  header: string[];
  /** Data rows as read, each with the 1-based line it started on. */
  rows: Array<{ line: number; cells: Record<string, string> }>;
}

/** Parses a CSV artifact and checks its header against the table's contract (schemas/<step>.tables.json). */
export function readCsv(art: Artifact, contract: TableContract): CsvTable {
  let text = art.text();
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { skip_empty_lines: true, info: true, relax_column_count: false }) as unknown as typeof records;
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new DataError(`not readable as CSV: ${err.message}`, { file: art.path, line: err.lines });
  }
  if (records.length === 0) throw new DataError(`empty table: expected a header naming ${headerOf(contract).join(', ')} (${contract.schema})`, { file: art.path, line: 1 });
  const header = records[0]!.record.map((h) => h.trim());
  checkHeader(header, contract, art.path);
  const rows = records.slice(1).map(({ record, info }) => {
    const cells: Record<string, string> = {};
    header.forEach((h, i) => (cells[h] = record[i] ?? ''));
    return { line: info.lines, cells };
  });
  return { file: art.path, header, rows };
}

/** A number cell: empty means "not applicable" (null); anything else must parse as a finite number. */
export function numberCell(table: CsvTable, row: CsvTable['rows'][number], column: string): number | null {
  const raw = (row.cells[column] ?? '').trim();
  if (raw === '' || raw.toUpperCase() === 'NA') return null;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new DataError('expected a number or an empty cell', { file: table.file, line: row.line, column, value: raw });
  return value;
}

/** A required number cell. */
export function requiredNumber(table: CsvTable, row: CsvTable['rows'][number], column: string): number {
  const value = numberCell(table, row, column);
  if (value === null) throw new DataError('expected a number, found an empty cell', { file: table.file, line: row.line, column, value: '' });
  return value;
}

function quote(cell: string): string {
  return /[",\r\n]|^\s|\s$/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

export type CsvValue = string | number | null | undefined;

/** CSV text, `\n` line ends, every cell formula-guarded and quoted where needed. null/undefined → empty. */
export function writeCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  const line = (cells: readonly CsvValue[]) => cells.map((c) => quote(guardFormula(c === null || c === undefined ? '' : String(c)))).join(',');
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** An analysis table passed through unchanged except for the formula guard (and normalised quoting). */
export function passThrough(table: CsvTable): string {
  return writeCsv(
    table.header,
    table.rows.map((r) => table.header.map((h) => r.cells[h] ?? '')),
  );
}
