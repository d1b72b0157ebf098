/**
 * SPSS system files (.sav, and .zsav through `zsav.ts`). sav-reader reads the dictionary: variable names
 * (long names included), variable labels, value labels, user-missing values, the character encoding.
 * The cases are decoded here, over the bytes in hand: sav-reader decodes each 8-byte piece of a string
 * on its own, which breaks any UTF-8 character that straddles two pieces, and awaits once per value.
 *
 * A cell becomes the text a codebook maps, as haven's `as_factor()` would show it: a code with a value
 * label is its label (user-missing codes included: "Refused", "Don't know"); a code without one is the
 * number written out (a date-formatted one as its ISO date); system-missing is blank. String values lose
 * SPSS's right padding.
 */
import { createRequire } from 'node:module';
// sav-reader is CommonJS only, so it is loaded with require; this import names it for the cache key.
import type { SavBufferReader as LibraryReader } from 'sav-reader' with { 'resolution-mode': 'require' };
import { DataError } from '../../../contract/step.js';
import { isMissing, type ExportColumn, type ExportRow, type ExportSource, type UserMissing, type ValueLabel } from './table.js';
import { inflateZsav } from './zsav.js';

interface SavVar {
  type: 0 | 1;
  printFormat?: { type: number };
  name: string;
  label?: string | null;
  missing: unknown;
  __nb_string_contin_recs: number;
  __child_string_sysvars?: SavVar[];
}
interface SavMeta {
  header: { n_cases: number; encoding?: string; compression?: { bias: number } };
  sysvars: SavVar[];
  firstRecordPosition: number;
  getValueLabels(name: string): { val: number | string; label: string }[] | null;
}
const { SavBufferReader } = createRequire(import.meta.url)('sav-reader') as {
  SavBufferReader: new (buffer: Buffer) => Omit<InstanceType<typeof LibraryReader>, 'meta'> & { meta: SavMeta };
};

/** SPSS dates count seconds from 14 October 1582; this many lie between it and 1 January 1970. */
const SPSS_TO_UNIX_SECONDS = 12_219_379_200;
/** Print formats that show a day (DATE, ADATE, JDATE, EDATE, SDATE) and one that shows a day and a time (DATETIME). */
const DAY_FORMATS = new Set([20, 23, 24, 38, 39]);
const DATETIME_FORMAT = 22;

/** The largest negative double: system-missing in an uncompressed file. */
const SYSMIS = -Number.MAX_VALUE;
const HEADER_BYTES = 176;

/** How a variable's value lies in a case: numeric, or string pieces of `slots` 8-byte slots each. */
interface Layout {
  column: ExportColumn;
  numeric: boolean;
  /** Per segment of a string: its slot count (a segment keeps at most 255 bytes). */
  segments: number[];
  /** How a number without a value label is written: as itself, or as the date its print format shows. */
  written: (x: number) => string;
  labels: Map<number | string, string>;
}

export async function openSav(file: string, bytes: Uint8Array): Promise<ExportSource> {
  const format = file.toLowerCase().endsWith('.zsav') ? 'zsav' : 'sav';
  const fail = (message: string, value?: unknown): never => {
    throw new DataError(message, { file, ...(value !== undefined ? { value } : {}) });
  };
  if (bytes.length < HEADER_BYTES) fail(`${bytes.length} bytes is too short for an SPSS system file (the header alone is ${HEADER_BYTES}): the file is truncated or not SPSS`, bytes.length);
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic !== '$FL2' && magic !== '$FL3') {
    fail('not an SPSS system file: it should start with "$FL2" (.sav) or "$FL3" (.zsav); save it from SPSS or PSPP with SAVE OUTFILE', String.fromCharCode(...bytes.subarray(0, 8)).replace(/[^\x20-\x7e]/g, '?'));
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const layoutCode = view.getInt32(64, true);
  if (layoutCode !== 2 && layoutCode !== 3) fail('a big-endian SPSS file is not supported: save it again on this machine (SAVE OUTFILE)', layoutCode);
  const compression = view.getInt32(72, true);
  const expected = magic === '$FL3' ? [2] : [0, 1];
  if (!expected.includes(compression)) {
    fail(`unsupported compression code ${compression} for a "${magic}" file (0 none, 1 bytecode, 2 zlib): save it again with SAVE OUTFILE … /COMPRESSED`, compression);
  }

  // sav-reader refuses "$FL3", so a .zsav's dictionary is read from a copy marked as bytecode-compressed.
  const dictionaryBytes = magic === '$FL3' ? asBytecode(bytes) : bytes;
  const reader = new SavBufferReader(Buffer.from(dictionaryBytes.buffer, dictionaryBytes.byteOffset, dictionaryBytes.byteLength));
  try {
    await reader.open();
  } catch (e) {
    const detail = e instanceof Error && e.message && e.message !== 'undefined' ? ` (${e.message})` : '';
    fail(`the SPSS dictionary (variables, labels, missing values) cannot be read${detail}: the file is truncated or damaged; export it again`);
  }
  const meta = reader.meta;
  const start = meta.firstRecordPosition;
  const data = magic === '$FL3' ? inflateZsav(file, bytes, start) : bytes.subarray(start);
  const bias = view.getFloat64(84, true);
  const decoder = textDecoder(meta.header.encoding);
  const layouts = meta.sysvars.map((v) => layoutOf(v, meta.getValueLabels(v.name) ?? []));
  const cases = meta.header.n_cases;
  return {
    file,
    format,
    columns: layouts.map((l) => l.column),
    rows: async function* () {
      yield* caseRows(file, data, layouts, compression === 0 ? null : bias, cases, decoder);
    },
  };
}

function layoutOf(v: SavVar, labels: { val: number | string; label: string }[]): Layout {
  const numeric = v.type === 0;
  const missing = userMissing(v.missing);
  const values: ValueLabel[] = labels.map(({ val, label }) => {
    const code = typeof val === 'string' ? val.trimEnd() : val;
    return { code, label, missing: isMissing(missing, code) };
  });
  const column: ExportColumn = {
    name: v.name,
    type: numeric ? 'numeric' : 'string',
    ...(v.label ? { label: v.label } : {}),
    ...(values.length ? { values } : {}),
    ...(missing ? { missing } : {}),
  };
  const segments = numeric ? [] : [v, ...(v.__child_string_sysvars ?? [])].map((s) => 1 + (s.__nb_string_contin_recs ?? 0));
  const format = v.printFormat?.type ?? 0;
  const written = DAY_FORMATS.has(format) ? (x: number) => spssDate(x).slice(0, 10) : format === DATETIME_FORMAT ? spssDate : String;
  return { column, numeric, segments, written, labels: new Map(values.map((x) => [x.code, x.label])) };
}

/** An SPSS date as an ISO date and time in UTC, as a sheet's dates are written. */
function spssDate(seconds: number): string {
  return new Date((seconds - SPSS_TO_UNIX_SECONDS) * 1000).toISOString();
}

function userMissing(raw: unknown): UserMissing | undefined {
  if (raw === null || raw === undefined) return undefined;
  if (typeof raw === 'number' || typeof raw === 'string') return { codes: [typeof raw === 'string' ? raw.trimEnd() : raw] };
  if (Array.isArray(raw)) return { codes: raw.map((c) => (typeof c === 'string' ? c.trimEnd() : c)) };
  const r = raw as { min: number; max: number; value?: number };
  return { low: r.min, high: r.max, ...(r.value !== undefined ? { code: r.value } : {}) };
}

function textDecoder(encoding: string | undefined): TextDecoder {
  try {
    return new TextDecoder(encoding || 'utf-8');
  } catch {
    return new TextDecoder('utf-8');
  }
}

/** A copy of a .zsav's bytes whose header says "$FL2", bytecode-compressed, for the dictionary reader. */
function asBytecode(bytes: Uint8Array): Uint8Array {
  const copy = bytes.slice();
  copy.set([0x24, 0x46, 0x4c, 0x32], 0);
  new DataView(copy.buffer).setInt32(72, 1, true);
  return copy;
}

/**
 * Decodes cases from the data records. `bias` is null for an uncompressed file; otherwise every 8 one-byte
 * codes are followed by the 8-byte values of the codes that said "value follows" (253).
 */
function* caseRows(file: string, data: Uint8Array, layouts: Layout[], bias: number | null, cases: number, decoder: TextDecoder): Generator<ExportRow> {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let pos = 0;
  let codes = 0; // start of the current command block
  let next = 8; // index of the next code in the block; 8 = read a new block
  let caseNo = 0;
  const spaces = new Uint8Array(8).fill(0x20);
  const slot = new Uint8Array(8);

  const truncated = (layout: Layout): never => {
    throw new DataError(`the file ends inside case ${caseNo} (variable "${layout.column.name}")${cases >= 0 ? ` of the ${cases} its header announces` : ''}: it is truncated; export it again`, {
      file,
      column: layout.column.name,
      path: `case ${caseNo}`,
    });
  };
  const damaged = (layout: Layout, code: number): never => {
    throw new DataError(`case ${caseNo} holds a number (compressed code ${code}) where string variable "${layout.column.name}" should be: the file is damaged; export it again`, {
      file,
      column: layout.column.name,
      path: `case ${caseNo}`,
      value: code,
    });
  };
  // Returns a number, or null for system-missing; for strings, fills `slot` and returns NaN.
  const readSlot = (layout: Layout, asString: boolean): number | null => {
    if (bias === null) {
      if (pos + 8 > data.length) truncated(layout);
      if (asString) {
        slot.set(data.subarray(pos, pos + 8));
        pos += 8;
        return NaN;
      }
      const x = view.getFloat64(pos, true);
      pos += 8;
      return x === SYSMIS ? null : x;
    }
    for (;;) {
      if (next === 8) {
        if (pos + 8 > data.length) truncated(layout);
        codes = pos;
        pos += 8;
        next = 0;
      }
      const code = data[codes + next++]!;
      if (code === 0) continue;
      if (code === 252) return truncated(layout);
      if (code === 253) {
        if (pos + 8 > data.length) truncated(layout);
        if (asString) slot.set(data.subarray(pos, pos + 8));
        const x = asString ? NaN : view.getFloat64(pos, true);
        pos += 8;
        return x;
      }
      if (code === 254) {
        slot.set(spaces);
        return NaN;
      }
      if (code === 255) return null;
      if (asString) return damaged(layout, code);
      return code - bias;
    }
  };
  // True when the data end before another case: no bytes left, only padding, or the end code.
  const atEnd = (): boolean => {
    if (bias === null) return pos >= data.length;
    for (;;) {
      if (next === 8) {
        if (pos + 8 > data.length) return true;
        codes = pos;
        pos += 8;
        next = 0;
      }
      const code = data[codes + next]!;
      if (code === 252) return true;
      if (code !== 0) return false;
      next++;
    }
  };

  // A long string's segments are joined as bytes and decoded once, so no character is cut in two.
  const longest = Math.max(0, ...layouts.map((l) => l.segments.length * 256));
  const text = new Uint8Array(longest);
  for (;;) {
    if ((cases >= 0 && caseNo >= cases) || atEnd()) break;
    caseNo++;
    const cells = new Array<string>(layouts.length);
    for (let i = 0; i < layouts.length; i++) {
      const layout = layouts[i]!;
      if (layout.numeric) {
        const x = readSlot(layout, false);
        cells[i] = x === null ? '' : (layout.labels.get(x) ?? layout.written(x));
        continue;
      }
      let length = 0;
      for (const slots of layout.segments) {
        const keep = Math.min(slots * 8, 255);
        for (let s = 0; s < slots; s++) {
          readSlot(layout, true);
          const take = Math.min(8, keep - s * 8);
          if (take > 0) text.set(take === 8 ? slot : slot.subarray(0, take), length + s * 8);
        }
        length += keep;
      }
      const value = decoder.decode(text.subarray(0, length)).trimEnd();
      cells[i] = layout.labels.get(value) ?? value;
    }
    yield { at: caseNo, cells };
  }
  if (cases >= 0 && caseNo < cases) {
    throw new DataError(`the file holds ${caseNo} cases but its header announces ${cases}: it is truncated; export it again`, { file, path: `case ${caseNo + 1}`, value: caseNo });
  }
}
