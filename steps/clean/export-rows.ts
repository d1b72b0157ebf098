/**
 * An export's rows, whatever its format: a CSV through d3-dsv's row callback, a .sav, .zsav or .xlsx
 * through its reader, each handing its header once and then every row, in file order, to the one decoder
 * of steps/clean.ts. No row is kept once handed on. Bad cells are collected as problems and reported in
 * one error per file.
 */
import { csvParseRows } from 'd3-dsv';
import { DataError, shownValue, type Artifact } from '../../contract/step.js';
import type { CompiledCodebook } from '../../lib/survey/codebook.js';
import type { ExportFormat, ExportRef } from '../../lib/survey/exports.js';
import { openExport, POSITION } from '../../lib/survey/readers/index.js';
import { exportText, otherSeparator, placeOf, unclosedQuoteAt } from '../../lib/survey/export-text.js';

/** How many bad cells of one export a message lists; the rest are counted. */
export const REPORTED_PROBLEMS = 20;

export interface Problem {
  /** Where the row is: its CSV line, SPSS case number or sheet row (ExportRow.at). */
  at: number;
  column?: string;
  value?: unknown;
  reason: string;
}

/** An export's header, whatever its format: what the decoding needs before the first row. */
export interface ExportHeader {
  /** Column names as the file gives them. */
  names: string[];
  /** Variable labels by column (SPSS); empty for CSV and Excel. */
  labels: (string | undefined)[];
  /** The header's line, for a CSV. */
  line?: number;
}

/** Takes one row of an export as it is read: where it is (ExportRow.at) and its cells, in header order. */
export type RowSink = (at: number, cells: string[]) => void;

/** An export's header and rows, whatever its format: each reader hands its rows to the one decoder (steps/clean.ts). */
export interface ExportRows {
  format: ExportFormat;
  /** The worksheet read, for a workbook. */
  sheet?: string;
  bom: boolean;
  /**
   * Reads the file: `start` once with its header, returning where the rows go, then each row in file
   * order. No row is kept once handed on.
   */
  read(start: (header: ExportHeader) => RowSink): Promise<void>;
  /** Where a row is, for messages: `line 12` of a CSV, `case 12` of a .sav, `row 12 of sheet "Answers"`. */
  place(at: number): string;
  /** The same place as a DataError's location. */
  where(at: number): { line: number } | { path: string };
  /** The error for a file with a header and no respondents (called once its rows are read). */
  noRows(): DataError;
}

/**
 * A CSV's header and rows (d3-dsv over survey/export-text.ts), each row handed on as d3-dsv parses it.
 * Rows with cells beyond the header or too few cells go to `problems` and are not handed on. The text
 * is let go once parsed.
 */
export function csvRows(ref: ExportRef, art: Artifact, book: CompiledCodebook, problems: Problem[]): ExportRows {
  const decoded = exportText(ref.file, art.bytes);
  let text: string | undefined = decoded.text;
  let line = 0;
  const read = async (start: (header: ExportHeader) => RowSink): Promise<void> => {
    let header: string[] | undefined;
    let last: string[] | undefined;
    let width = 0;
    let sink: RowSink | undefined;
    // A bad header is reported after the parse: a quote left open further down comes first, as below.
    let headerError: unknown;
    csvParseRows(text!, (cells) => {
      last = cells;
      if (!header) {
        // The header is the first line with something on it.
        line++;
        if (isEmptyLine(cells)) return;
        header = cells;
        const separator = otherSeparator(header);
        if (separator && !book.columns.has(header[0]!.trim()))
          throw new DataError(`this file is separated by ${separator}, not commas: save it again as comma-separated CSV (Excel: "CSV UTF-8 (comma delimited)")`, { file: ref.file, line, value: header[0] });
        // Spreadsheets write empty columns after the last named one (`ID,Q1,,`): dropped while their cells are blank.
        width = header.length;
        while (width > 1 && header[width - 1]!.trim() === '') width--;
        const headerLine = line;
        line += newlines(header);
        try {
          sink = start({ names: header.slice(0, width), labels: [], line: headerLine });
        } catch (e) {
          headerError = e;
        }
        return;
      }
      if (headerError) return;
      const at = ++line;
      line += newlines(cells);
      if (isEmptyLine(cells)) return;
      if (cells.length > width && cells.length <= header.length) {
        const filled = cells.findIndex((c, i) => i >= width && c.trim() !== '');
        if (filled !== -1) {
          problems.push({ at, value: cells[filled], reason: `cell in column ${filled + 1}, which has no name in the header: name the column as the codebook does, or clear the cell` });
          return;
        }
        cells = cells.slice(0, width);
      }
      if (cells.length !== width) {
        throwIfUnclosedQuote(ref, text!);
        problems.push({ at, value: cells.length, reason: `row has ${cells.length} cells but the header names ${width} columns: look for a comma inside an unquoted cell, or a cell left out` });
        return;
      }
      sink!(at, cells);
    });
    if (!header) throw new DataError('export is empty: expected a header line naming the columns', { file: ref.file });
    // A quote left open swallows the rest of the file: name the line it opens on, not the file's end.
    if (last !== header && last!.some((c) => c.includes('\n'))) throwIfUnclosedQuote(ref, text!);
    text = undefined;
    if (headerError) throw headerError;
  };
  return {
    format: 'csv',
    bom: decoded.bom,
    read,
    place: (l) => `line ${l}`,
    where: (l) => ({ line: l }),
    noRows: () => new DataError('export has a header but no respondents: was it cut short when saved or copied? Export it again', { file: ref.file, line: line + 1 }),
  };
}

/** A .sav, .zsav or .xlsx through its reader (survey/readers/): cells are the labels a codebook maps. */
export async function fileRows(ref: ExportRef, art: Artifact, book: CompiledCodebook, format: Exclude<ExportFormat, 'csv'>): Promise<ExportRows> {
  const source = await openExport(ref.file, art.bytes, book.sheet !== undefined ? { sheet: book.sheet } : {});
  const ofSheet = source.sheet !== undefined ? ` of sheet "${source.sheet}"` : '';
  const place = (at: number) => `${POSITION[format]} ${at}${ofSheet}`;
  return {
    format,
    ...(source.sheet !== undefined ? { sheet: source.sheet } : {}),
    bom: false,
    read: async (start) => {
      const sink = start({ names: source.columns.map((c) => c.name), labels: source.columns.map((c) => c.label) });
      for await (const { at, cells } of source.rows()) sink(at, cells);
    },
    place,
    where: (at) => ({ path: place(at) }),
    noRows: () =>
      new DataError(
        format === 'xlsx'
          ? `sheet "${source.sheet}" has a header row but no respondents: is the answers' sheet another one? Name it in the codebook's "sheet"`
          : 'the SPSS file holds no cases: was it saved before the data were read in? Export it again',
        { file: ref.file },
      ),
  };
}

/** Every bad cell of a file in one error: the first in its place, then up to REPORTED_PROBLEMS in all, then a count. */
export function problemsError(ref: ExportRef, src: ExportRows, problems: Problem[]): DataError {
  const [first, ...rest] = problems;
  const shown = rest
    .slice(0, REPORTED_PROBLEMS - 1)
    .map((p) => `\n  ${src.place(p.at)}${p.column !== undefined ? `, column "${p.column}"` : ''}${p.value !== undefined ? `, value ${shownValue(p.value)}` : ''}: ${p.reason}`);
  const more = problems.length > REPORTED_PROBLEMS ? `\n  … and ${problems.length - REPORTED_PROBLEMS} more` : '';
  const summary = problems.length > 1 ? `\n${problems.length} problems in this export; fix them all before running again:` : '';
  return new DataError(first!.reason + summary + shown.join('') + more, {
    file: ref.file,
    ...src.where(first!.at),
    ...(first!.column !== undefined ? { column: first!.column } : {}),
    value: first!.value,
  });
}

function throwIfUnclosedQuote(ref: ExportRef, text: string): void {
  const open = unclosedQuoteAt(text);
  if (open === undefined) return;
  const { line, column } = placeOf(text, open);
  throw new DataError('a quoted cell opens here and is never closed, so it runs on to the end of the file: close the quote, or remove it', { file: ref.file, line, ...(column !== undefined ? { column } : {}) });
}

/** csv-parse's rule, kept: a line with nothing on it is no row. */
const isEmptyLine = (cells: string[]) => cells.length === 1 && cells[0] === '';

function newlines(cells: string[]): number {
  let n = 0;
  for (const c of cells) for (let k = c.indexOf('\n'); k !== -1; k = c.indexOf('\n', k + 1)) n++;
  return n;
}
