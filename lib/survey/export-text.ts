/**
 * An export's bytes as CSV text, or a DataError saying what the file really is and how to save it as
 * the CSV UTF-8 every spreadsheet and statistics program can write. What is unambiguous is accepted:
 * a UTF-8 byte-order mark and a DOS end-of-file mark are stripped; line endings (\r\n, \n, \r, mixed) are the
 * parser's business.
 */
import { csvParseRows } from 'd3-dsv';
import { DataError } from '../../contract/step.js';

export interface ExportText {
  text: string;
  /** A UTF-8 byte-order mark was found and stripped. */
  bom: boolean;
}

const SAVE_AS = 'save it again as "CSV UTF-8 (comma delimited)" (Excel) or as UTF-8 CSV (SPSS, Stata, LibreOffice)';

/** Files that are not text at all, known by their first bytes. */
const SIGNATURES: Array<{ bytes: number[]; what: string }> = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a zip archive, most likely an Excel workbook (.xlsx)' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: 'an old-style Excel workbook (.xls)' },
  { bytes: [0x24, 0x46, 0x4c, 0x32], what: 'an SPSS data file (.sav)' },
  { bytes: [0x24, 0x46, 0x4c, 0x33], what: 'a compressed SPSS data file (.zsav)' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
];

const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function exportText(file: string, bytes: Uint8Array): ExportText {
  for (const { bytes: sig, what } of SIGNATURES)
    if (sig.every((b, i) => bytes[i] === b)) throw new DataError(`this file is ${what}, not a CSV export: save it as CSV, or give it the extension of its format`, { file, line: 1 });
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || looksUtf16(bytes))
    throw new DataError(`this file is UTF-16 ("Unicode text"), not UTF-8: ${SAVE_AS}`, { file, line: 1 });
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  let text: string;
  try {
    text = fatal.decode(body);
  } catch {
    const at = firstInvalidUtf8(body);
    const { line, column } = placeOf(new TextDecoder('windows-1252').decode(body), at);
    throw new DataError(`this file is not UTF-8: byte 0x${body[at]!.toString(16).toUpperCase()} cannot be read, so it was most likely saved as Windows-1252 ("ANSI", Latin-1); ${SAVE_AS}`, {
      file,
      line,
      ...(column !== undefined ? { column } : {}),
    });
  }
  // Old DOS tools end a text file with Ctrl-Z (U+001A): an end-of-file mark, not data.
  if (text.endsWith('\u001a')) text = text.slice(0, -1);
  // Control characters other than tab and line ends do not occur in text a spreadsheet writes.
  const control = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.exec(text);
  if (control) {
    const { line, column } = placeOf(text, control.index);
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    throw new DataError(`this file holds control character U+${code}, which no text export contains: is it a binary file named .csv, or was it damaged in copying? Open it in a text editor, or export it again`, {
      file,
      line,
      ...(column !== undefined ? { column } : {}),
    });
  }
  return { text, bom };
}

/** UTF-16 without a byte-order mark: every other byte of the first line is zero. */
function looksUtf16(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 64) & ~1;
  if (n < 4) return false;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  return evenZero === n / 2 || oddZero === n / 2;
}

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    // The decoder also refuses overlong forms and surrogates; report where the sequence starts.
    if (need > 0 && !canDecode(bytes.subarray(i, i + need + 1))) return i;
    i += need + 1;
  }
  return bytes.length;
}

function canDecode(bytes: Uint8Array): boolean {
  try {
    fatal.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * The 1-based line of a character offset, and the header's name for the column it falls in (found by
 * reading the line up to the offset as CSV; a quoted line break inside a cell is not followed).
 */
export function placeOf(text: string, offset: number): { line: number; column?: string } {
  let line = 1;
  let start = 0;
  for (let k = text.indexOf('\n'); k !== -1 && k < offset; k = text.indexOf('\n', k + 1)) {
    line++;
    start = k + 1;
  }
  const header = csvParseRows(text.slice(0, text.search(/\r?\n|\r|$/)))[0] ?? [];
  const cellIndex = (csvParseRows(text.slice(start, offset) + 'x')[0] ?? ['']).length - 1;
  const column = header[cellIndex]?.trim();
  return column ? { line, column } : { line };
}

/**
 * Where an unclosed quote starts, if the text has one: a cell opened with `"` that no closing `"` ends
 * swallows the rest of the file, so the parser alone would blame the file's end.
 */
export function unclosedQuoteAt(text: string): number | undefined {
  let fieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (fieldStart && c === 34) {
      const open = i;
      for (i++; ; i++) {
        if (i >= text.length) return open;
        if (text.charCodeAt(i) === 34) {
          if (text.charCodeAt(i + 1) === 34) i++;
          else break;
        }
      }
      fieldStart = false;
      continue;
    }
    fieldStart = c === 44 || c === 10 || c === 13;
  }
  return undefined;
}

/** The separator a one-column header was most likely written with, in words, if any. */
export function otherSeparator(header: string[]): string | undefined {
  if (header.length !== 1) return undefined;
  const [line] = header;
  if (line!.includes(';')) return 'semicolons';
  if (line!.includes('\t')) return 'tabs';
  if (line!.includes('|')) return 'vertical bars';
  return undefined;
}
