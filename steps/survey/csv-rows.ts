/**
 * Reading an export row by row, with the line each row ends on.
 *
 * csv-parse is the reference reader: its errors (message and line) are what a user sees. d3-dsv's
 * csvParseRows reads the same rows several times faster, but it is lenient where csv-parse is strict
 * (stray quotes, a lone carriage return ends a line) and reports no lines. So d3-dsv reads a file only
 * when the two cannot differ, and a row is then one physical line:
 *
 *   - the header is the first line and csv-parse reads it on its own (it may quote names with commas);
 *   - no quote after the header, so no quoted field and no quoted line break;
 *   - line ends all "\n", or all "\r\n" (csv-parse keeps a stray "\r" or "\n" inside a cell);
 *   - the rest is valid UTF-8.
 *
 * Anything else goes to csv-parse from the start. A row whose cell count differs from the header's hands
 * over to csv-parse mid-file: it re-reads the file, skips the rows already delivered and raises its own
 * error (or reads on), so a broken file fails exactly as it would have with csv-parse alone.
 */
import { parse } from 'csv-parse/sync';
import { csvParseRows } from 'd3-dsv';

/** `cells` of one record (the header first) and the line csv-parse says the record ends on. */
export type RowHandler = (cells: string[], endLine: number) => void;

/** Which reader read a file: tests use it to prove the fast path was the one exercised. */
export type CsvReader = 'd3-dsv' | 'csv-parse' | 'd3-dsv, then csv-parse';

const LF = 10;
const CR = 13;
const QUOTE = 34;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Thrown inside csvParseRows to stop it at a row it cannot judge; never escapes this module. */
class HandOver {
  constructor(readonly delivered: number) {}
}

/**
 * Calls `each` for every non-empty record of `input` (UTF-8 CSV, byte-order mark already removed), in
 * order, as csv-parse with `skip_empty_lines` would. csv-parse's errors are thrown unchanged; errors
 * thrown by `each` pass through. Returns the reader used; `using` hears it as soon as it is chosen (so
 * a test learns it even when the read throws).
 */
export function forEachCsvRow(input: Uint8Array, each: RowHandler, using?: (reader: CsvReader) => void): CsvReader {
  const fast = fastPlan(input);
  if (!fast) {
    using?.('csv-parse');
    readWithCsvParse(input, each, 0);
    return 'csv-parse';
  }
  using?.('d3-dsv');
  each(fast.header, 1);
  const width = fast.header.length;
  let delivered = 1;
  try {
    csvParseRows(fast.data, (row, i) => {
      // Without quotes, [""] can only be an empty line, which csv-parse skips.
      if (row.length === 1 && row[0] === '') return null;
      if (row.length !== width) throw new HandOver(delivered);
      each(row, i + 2);
      delivered++;
      return null;
    });
  } catch (e) {
    if (!(e instanceof HandOver)) throw e;
    using?.('d3-dsv, then csv-parse');
    readWithCsvParse(input, each, e.delivered);
    return 'd3-dsv, then csv-parse';
  }
  return 'd3-dsv';
}

function readWithCsvParse(input: Uint8Array, each: RowHandler, skip: number): void {
  let seen = 0;
  parse(input, {
    skip_empty_lines: true,
    on_record: (row: string[], ctx) => {
      if (seen++ >= skip) each(row, ctx.lines);
      return null;
    },
  });
}

/** The header's cells and the text after it, when d3-dsv may read this file; otherwise undefined. */
function fastPlan(input: Uint8Array): { header: string[]; data: string } | undefined {
  if (input.length === 0 || input[0] === LF || input[0] === CR) return undefined;
  const newline = input.indexOf(LF);
  const headerEnd = newline === -1 ? input.length : newline;
  const dataStart = newline === -1 ? input.length : newline + 1;
  if (input.indexOf(QUOTE, dataStart) !== -1) return undefined;
  if (!uniformLineEnds(input)) return undefined;
  const headerBytes = input.subarray(0, headerEnd > 0 && input[headerEnd - 1] === CR ? headerEnd - 1 : headerEnd);
  // An odd number of quotes leaves a quoted field open at the end of the line: a header over several lines.
  let quotes = 0;
  for (let i = 0; i < headerBytes.length; i++) if (headerBytes[i] === QUOTE) quotes++;
  if (quotes % 2 !== 0) return undefined;
  let header: string[] | undefined;
  try {
    const rows = parse(headerBytes, { skip_empty_lines: true }) as string[][];
    if (rows.length !== 1) return undefined;
    header = rows[0]!;
  } catch {
    // csv-parse rejects the header: let it read the whole file and report where.
    return undefined;
  }
  let data: string;
  try {
    data = utf8.decode(input.subarray(dataStart));
  } catch {
    return undefined;
  }
  return { header, data };
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
