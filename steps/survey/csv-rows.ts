/**
 * Reading an export row by row, with the line each row ends on.
 *
 * csv-parse is the reference reader: its errors (message and line) are what a user sees. Most exports
 * are plain, though, and a plain file needs no CSV parser at all: a row is a line and a cell is what lies
 * between commas. A file is read as plain only where the two readings cannot differ:
 *
 *   - the header is the first line and csv-parse reads it on its own (it may quote names with commas);
 *   - no quote after the header, so no quoted field and no quoted line break;
 *   - line ends all "\n", or all "\r\n" (csv-parse keeps a stray "\r" or "\n" inside a cell);
 *   - the whole file is valid UTF-8.
 *
 * Anything else goes to csv-parse from the start. A plain row whose cell count differs from the header's
 * hands over to csv-parse mid-file (`readWithCsvParse` with the rows already read skipped), which raises
 * its own error (or reads on), so a broken file fails exactly as it would have with csv-parse alone.
 *
 * Plain rows are read as byte ranges, never as strings: a million rows of forty cells would otherwise
 * make forty million short strings to look up and throw away. A plain file is also cut into pieces of
 * whole lines that can be read independently (on different threads) and joined in order.
 */
import { isUtf8 } from 'node:buffer';
import { parse } from 'csv-parse/sync';

const LF = 10;
const CR = 13;
const COMMA = 44;
const QUOTE = 34;

/** A plain file: its header's cells and the byte offset where its data lines start. */
export interface PlainLayout {
  header: string[];
  dataStart: number;
}

/** A piece of a plain file: whole lines in `[start, end)`, the first of them on line `firstLine`. */
export interface Piece {
  start: number;
  end: number;
  firstLine: number;
}

/**
 * Called for each non-empty plain row: cell i is `input[starts[i], ends[i])`, `hashes[i]` is
 * `hashBytes` of those bytes. The arrays are reused for the next row.
 */
export type PlainRowHandler = (starts: Int32Array, ends: Int32Array, hashes: Int32Array, line: number) => void;

/** The header's cells and where the data start, when the file may be read as plain; otherwise undefined. */
export function plainLayout(input: Uint8Array): PlainLayout | undefined {
  if (input.length === 0 || input[0] === LF || input[0] === CR) return undefined;
  const newline = input.indexOf(LF);
  const headerEnd = newline === -1 ? input.length : newline;
  const dataStart = newline === -1 ? input.length : newline + 1;
  if (input.indexOf(QUOTE, dataStart) !== -1) return undefined;
  if (!uniformLineEnds(input)) return undefined;
  if (!isUtf8(input)) return undefined;
  const headerBytes = input.subarray(0, headerEnd > 0 && input[headerEnd - 1] === CR ? headerEnd - 1 : headerEnd);
  // An odd number of quotes leaves a quoted field open at the end of the line: a header over several lines.
  let quotes = 0;
  for (let i = 0; i < headerBytes.length; i++) if (headerBytes[i] === QUOTE) quotes++;
  if (quotes % 2 !== 0) return undefined;
  try {
    const rows = parse(headerBytes, { skip_empty_lines: true }) as string[][];
    if (rows.length !== 1) return undefined;
    return { header: rows[0]!, dataStart };
  } catch {
    // csv-parse rejects the header: let it read the whole file and report where.
    return undefined;
  }
}

/**
 * Cuts the data of a plain file into pieces of about `pieceBytes`, each ending after a line end, with the
 * line each starts on (the header is line 1).
 */
export function plainPieces(input: Uint8Array, layout: PlainLayout, pieceBytes: number): Piece[] {
  const pieces: Piece[] = [];
  let start = layout.dataStart;
  let line = 2;
  while (start < input.length) {
    let end = Math.min(start + Math.max(1, pieceBytes), input.length);
    if (end < input.length && input[end - 1] !== LF) {
      const nl = input.indexOf(LF, end);
      end = nl === -1 ? input.length : nl + 1;
    }
    pieces.push({ start, end, firstLine: line });
    for (let at = input.indexOf(LF, start); at !== -1 && at < end; at = input.indexOf(LF, at + 1)) line++;
    start = end;
  }
  return pieces;
}

/** The hash plain rows carry per cell (31-multiplier over the bytes, as 32-bit integer). */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0;
  for (let i = start; i < end; i++) h = (Math.imul(h, 31) + bytes[i]!) | 0;
  return h;
}

/**
 * Calls `each` for every non-empty row of a piece of a plain file with `width` cells, in order. Stops at
 * the first row with another number of cells and returns its line (`handover`): csv-parse must judge it.
 * `rows` counts the rows delivered.
 */
export function scanPlainRows(input: Uint8Array, piece: Piece, width: number, each: PlainRowHandler): { rows: number; handover?: number } {
  const starts = new Int32Array(width);
  const ends = new Int32Array(width);
  const hashes = new Int32Array(width);
  let line = piece.firstLine;
  let rows = 0;
  let cell = 0;
  let cellStart = piece.start;
  let h = 0;
  const end = piece.end;
  for (let i = piece.start; i <= end; i++) {
    // The end of the piece ends its last line when that line has no line end of its own.
    const b = i === end ? LF : input[i]!;
    if (b !== COMMA && b !== LF && b !== CR) {
      h = (Math.imul(h, 31) + b) | 0;
      continue;
    }
    // A carriage return is always followed by a line feed here (plainLayout checked): it ends the cell.
    if (b === CR) continue;
    const cellEnd = i > cellStart && input[i - 1] === CR && b === LF ? i - 1 : i;
    if (cell < width) {
      starts[cell] = cellStart;
      ends[cell] = cellEnd;
      hashes[cell] = h;
    }
    cell++;
    h = 0;
    cellStart = i + 1;
    if (b === LF) {
      if (!(cell === 1 && ends[0] === starts[0])) {
        // An empty line is skipped; any other row must have the header's width.
        if (cell !== width) return { rows, handover: line };
        each(starts, ends, hashes, line);
        rows++;
      }
      line++;
      cell = 0;
    }
  }
  return { rows, handover: undefined };
}

/** Reads `input` with csv-parse, passing every non-empty record after the first `skip` to `each`. */
export function readWithCsvParse(input: Uint8Array, each: (cells: string[], endLine: number) => void, skip = 0): void {
  let seen = 0;
  parse(input, {
    skip_empty_lines: true,
    on_record: (row: string[], ctx) => {
      if (seen++ >= skip) each(row, ctx.lines);
      return null;
    },
  });
}

/** True when the file has no carriage return, or every line ends in "\r\n". */
function uniformLineEnds(input: Uint8Array): boolean {
  let cr = input.indexOf(CR);
  if (cr === -1) return true;
  let crs = 0;
  for (; cr !== -1; cr = input.indexOf(CR, cr + 1)) {
    if (input[cr + 1] !== LF) return false;
    crs++;
  }
  let lfs = 0;
  for (let lf = input.indexOf(LF); lf !== -1; lf = input.indexOf(LF, lf + 1)) lfs++;
  return lfs === crs;
}
