/**
 * One export's rows turned into canonical records: the header checked against the codebook, then each
 * row's cells decoded and its record written as NDJSON bytes, or the row sent to quarantine.
 *
 * A plan reads cells as byte ranges of the export (plain rows) or as strings (rows csv-parse read, which
 * are encoded and then take the same path). Every distinct cell of a column is decoded once and kept with
 * its count; the counts (`tally`) are all the cleaning log needs, so pieces of one file cleaned apart (on
 * different threads) give one log once their tallies are added up.
 */
import { DataError } from '../../runner/step.js';
import { decodeCell, normaliseLabel, type CompiledCodebook, type CompiledColumn } from './codebook.js';
import { hashBytes } from './csv-rows.js';
import type { ExportRef } from './exports.js';
import type { NdjsonWriter } from './ndjson.js';
import { RecordLine, wordsOf, type Words } from './record-line.js';
import { RESPONDENT_FIELDS, SUB_ITEMS, THEME_FIELDS, THEMES } from './vocabulary.js';

export interface ColumnLog {
  variable: string;
  /** Normalised label → code it became and how often. */
  recodes: Record<string, { code: number | string | null; count: number }>;
  /** Whole numbers copied through as codes (numeric columns). */
  passed_through: Record<string, number>;
  /** Normalised don't-know spelling → count. */
  dont_know: Record<string, number>;
  blank: number;
  /** Cells with leading/trailing spaces that still matched. */
  trimmed: number;
  /** Cells whose case or inner spacing differed from the codebook's label. */
  case_folded: number;
  /** Labels the codebook does not know, which sent their rows to quarantine. */
  quarantined: Record<string, number>;
}

/** How often each distinct raw cell occurred, per column (header order), and how many IDs were blank. */
export interface Tally {
  idBlanks: number;
  cells: [raw: string, count: number][][];
}

export interface RowPlan {
  /**
   * Writes the record of the row whose cell i is `input[starts[i], ends[i])`, or its quarantine entry.
   * `hashes[i]` is `hashBytes` of cell i. `endLine` is the line the row ends on.
   */
  plain(input: Uint8Array, starts: Int32Array, ends: Int32Array, hashes: Int32Array, endLine: number, records: NdjsonWriter, quarantine: NdjsonWriter): void;
  /** The same for a row read as strings. */
  strings(cells: string[], endLine: number, records: NdjsonWriter, quarantine: NdjsonWriter): void;
  /** Writes out the records `plain` and `strings` hold back (they are written a megabyte at a time). */
  flush(records: NdjsonWriter): void;
  /** Counts so far. */
  tally(): Tally;
}

interface CellEntry {
  raw: string;
  /** The cell's bytes, to confirm a hash match. */
  bytes: Uint8Array;
  count: number;
  kind: 'code' | 'dont_know' | 'blank' | 'unknown';
  /** The value as JSON followed by the record template's text up to the next value, as UTF-8. */
  tail: Uint8Array | undefined;
  /** `tail` as words, written four bytes at a time. */
  tailWords: Words | undefined;
  newlines: number;
}

const utf8 = new TextEncoder();
/** Records are held back until about this many bytes are ready, then written in one copy. */
const KEEP_BYTES = 1024 * 1024;
// ignoreBOM: a byte-order mark inside the data is part of its cell, not something to drop.
const text = new TextDecoder('utf-8', { ignoreBOM: true });

/** Checks the header against the codebook and compiles the per-row work for this file. */
export function planRows(header: string[], ref: ExportRef, book: CompiledCodebook): RowPlan {
  const columns = headerColumns(header, ref, book);
  const width = columns.length;
  const idIndex = columns.findIndex((c) => c.path.kind === 'respondent' && c.path.field === 'respondent_id');

  // The record's JSON is a fixed template per file: built once with numbered holes, filled per row. Each
  // column's value is stored together with the template text that follows it, so a record is written as a
  // few copies of ready-made bytes (one per column) instead of a joined string.
  const template = recordTemplate(ref, columns);
  const parts = template.parts.map((p) => utf8.encode(p));
  const holes = template.holes;
  const tailOf = columns.map((_, i) => {
    const h = holes.indexOf(i);
    return h === -1 ? undefined : template.parts[h + 1]!;
  });
  const line = new RecordLine();
  // Per column: every entry made, found by hash of the cell's bytes (a colliding cell goes by its text).
  const made = columns.map((): CellEntry[] => []);
  const byHash = columns.map(() => new EntryTable());
  const byText = columns.map(() => new Map<string, CellEntry>());
  // Most cells are one ASCII character or empty: those entries are found by that byte, without hashing.
  // Slot 128 holds the empty cell.
  const short = columns.map(() => new Array<CellEntry | undefined>(129).fill(undefined));
  let idBlanks = 0;
  // Reused for every row: only read before the next row overwrites it.
  const entries: CellEntry[] = new Array(width);
  // Scratch for rows given as strings.
  let scratch = new Uint8Array(1024);
  const starts = new Int32Array(width);
  const ends = new Int32Array(width);
  const hashes = new Int32Array(width);

  // The common case kept small, so that it is inlined into the row loop: a cell seen before.
  const entryFor = (i: number, input: Uint8Array, s: number, e: number, hash: number): CellEntry => {
    const n = e - s;
    const slot = n === 0 ? 128 : n === 1 && input[s]! < 128 ? input[s]! : -1;
    const known = slot !== -1 ? short[i]![slot] : byHash[i]!.get(hash);
    if (known && (slot !== -1 || sameBytes(known.bytes, input, s, e))) return known;
    return newEntry(i, input, s, e, hash, slot, known);
  };
  // A cell not seen before in this column, or one whose hash another cell has.
  const newEntry = (i: number, input: Uint8Array, s: number, e: number, hash: number, slot: number, sameHash: CellEntry | undefined): CellEntry => {
    if (sameHash) {
      const raw = text.decode(input.subarray(s, e));
      const other = byText[i]!.get(raw);
      if (other) return other;
      const entry = decodeEntry(columns[i]!, raw, input.slice(s, e), tailOf[i]);
      byText[i]!.set(raw, entry);
      made[i]!.push(entry);
      return entry;
    }
    const entry = decodeEntry(columns[i]!, text.decode(input.subarray(s, e)), input.slice(s, e), tailOf[i]);
    if (slot !== -1) short[i]![slot] = entry;
    else byHash[i]!.set(hash, entry);
    made[i]!.push(entry);
    return entry;
  };

  const plan: RowPlan = {
    plain(input, starts, ends, hashes, endLine, records, quarantine) {
      let newlines = 0;
      let unknownAt = -1;
      let unknownCount = 0;
      for (let i = 0; i < width; i++) {
        if (i === idIndex) continue;
        const entry = entryFor(i, input, starts[i]!, ends[i]!, hashes[i]!);
        entry.count++;
        newlines += entry.newlines;
        entries[i] = entry;
        if (entry.kind === 'unknown') {
          unknownCount++;
          if (unknownAt === -1) unknownAt = i;
        }
      }
      readId(input, starts[idIndex]!, ends[idIndex]!);
      newlines += id.newlines;
      if (id.blank) idBlanks++;
      // csv-parse reports the line a record ends on; quoted line breaks inside it move its start back.
      const sourceLine = endLine - newlines;

      if (unknownAt !== -1) {
        const first = columns.findIndex((c, i) => i !== idIndex && entries[i]!.kind === 'unknown' && c.onUnknown === 'error');
        if (first !== -1) {
          throw new DataError(`label not in codebook ${book.file} (add it under "labels", or set "on_unknown": "quarantine")`, {
            file: ref.file,
            line: sourceLine,
            column: columns[first]!.header,
            value: entries[first]!.raw,
          });
        }
        const trimmed = text.decode(input.subarray(starts[idIndex]!, ends[idIndex]!)).trim();
        quarantine.push(
          JSON.stringify({
            wave: ref.wave,
            area: ref.area,
            respondent_id: trimmed === '' ? null : trimmed,
            source: { file: ref.file, line: sourceLine },
            reason: `label not in codebook ${book.file}` + (unknownCount > 1 ? ` (and ${unknownCount - 1} more cells in this row)` : ''),
            column: columns[unknownAt]!.header,
            value: entries[unknownAt]!.raw,
          }),
        );
        return;
      }

      line.start(parts[0]!);
      for (let h = 0; h < holes.length; h++) {
        const c = holes[h]!;
        if (c === ID_HOLE) {
          if (id.blank) line.jsonString(null);
          else if (id.plainFrom !== -1) line.quotedAscii(input, id.plainFrom, id.plainTo);
          else line.jsonString(text.decode(input.subarray(starts[idIndex]!, ends[idIndex]!)).trim());
          line.bytes(parts[h + 1]!);
        } else if (c === LINE_HOLE) {
          line.integer(sourceLine);
          line.bytes(parts[h + 1]!);
        } else line.words(entries[c]!.tailWords!);
      }
      line.keep();
      if (line.keptBytes >= KEEP_BYTES) plan.flush(records);
    },

    strings(cells, endLine, records, quarantine) {
      let need = 0;
      for (const c of cells) need += c.length * 3;
      if (need > scratch.length) scratch = new Uint8Array(Math.max(need, scratch.length * 2));
      let at = 0;
      for (let i = 0; i < width; i++) {
        starts[i] = at;
        at += utf8.encodeInto(cells[i]!, scratch.subarray(at)).written;
        ends[i] = at;
        hashes[i] = hashBytes(scratch, starts[i]!, at);
      }
      plan.plain(scratch, starts, ends, hashes, endLine, records, quarantine);
    },

    flush(records) {
      const { bytes, lines } = line.take();
      if (lines) records.pushLines(bytes, lines);
    },

    tally() {
      const cells = made.map((list) => {
        const counts = new Map<string, number>();
        for (const e of list) if (e.count > 0) counts.set(e.raw, (counts.get(e.raw) ?? 0) + e.count);
        return [...counts];
      });
      return { idBlanks, cells };
    },
  };
  return plan;
}

/** The header's columns in the codebook, in header order; a DataError for any mismatch. */
export function headerColumns(header: string[], ref: ExportRef, book: CompiledCodebook): CompiledColumn[] {
  const names = header.map((h) => h.trim());
  const index = new Map<string, number>();
  names.forEach((name, i) => {
    if (index.has(name)) throw new DataError('column appears twice in the header', { file: ref.file, line: 1, column: name });
    if (!book.columns.has(name)) {
      throw new DataError(`column is not in codebook ${book.file}: add it under "columns"`, { file: ref.file, line: 1, column: name });
    }
    index.set(name, i);
  });
  for (const name of book.columns.keys()) {
    if (!index.has(name)) throw new DataError(`column required by codebook ${book.file} is missing from the export`, { file: ref.file, line: 1, column: name });
  }
  return names.map((n) => book.columns.get(n)!);
}

/** The tallies of a file's pieces added up: counts by raw cell, per column in header order. */
export interface FileTally {
  idBlanks: number;
  cells: Map<string, number>[];
}

export const emptyTally = (width: number): FileTally => ({ idBlanks: 0, cells: Array.from({ length: width }, () => new Map<string, number>()) });

/** Adds `more` into `into` (both in the same file's header order). */
export function addTally(into: FileTally, more: Tally): void {
  into.idBlanks += more.idBlanks;
  more.cells.forEach((pairs, i) => {
    const counts = into.cells[i]!;
    for (const [raw, n] of pairs) counts.set(raw, (counts.get(raw) ?? 0) + n);
  });
}

/** The cleaning log's columns for one file, from its added-up tally. */
export function columnLogs(columns: CompiledColumn[], tally: FileTally): Record<string, ColumnLog> {
  const idIndex = columns.findIndex((c) => c.path.kind === 'respondent' && c.path.field === 'respondent_id');
  const out: Record<string, ColumnLog> = {};
  columns.forEach((col, i) => {
    const log: ColumnLog = { variable: col.variable, recodes: {}, passed_through: {}, dont_know: {}, blank: 0, trimmed: 0, case_folded: 0, quarantined: {} };
    if (i === idIndex) log.blank = tally.idBlanks;
    const sorted = [...tally.cells[i]!].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [raw, count] of sorted) {
      const trimmed = raw.trim();
      const label = normaliseLabel(raw);
      if (trimmed === '') {
        log.blank += count;
        continue;
      }
      if (trimmed !== raw) log.trimmed += count;
      if (label !== trimmed) log.case_folded += count;
      const cell = decodeCell(col, raw);
      if (cell.kind === 'unknown') log.quarantined[label] = (log.quarantined[label] ?? 0) + count;
      else if (cell.kind === 'dont_know') log.dont_know[label] = (log.dont_know[label] ?? 0) + count;
      else if (!col.lookup.has(label)) log.passed_through[label] = (log.passed_through[label] ?? 0) + count;
      else {
        const r = (log.recodes[label] ??= { code: cell.kind === 'code' ? cell.code : null, count: 0 });
        r.count += count;
      }
    }
    out[col.header] = sortKeys(log);
  });
  return out;
}

function sortKeys(log: ColumnLog): ColumnLog {
  const sort = <T>(o: Record<string, T>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { ...log, recodes: sort(log.recodes), passed_through: sort(log.passed_through), dont_know: sort(log.dont_know), quarantined: sort(log.quarantined) };
}

/** What `readId` found in a respondent ID cell; one object, overwritten for every row. */
const id = { newlines: 0, blank: false, plainFrom: -1, plainTo: -1 };

/**
 * Reads the respondent ID cell into `id`. Most IDs are printable ASCII with nothing JSON must escape:
 * those are copied as bytes (`plainFrom`..`plainTo`, trimmed of ASCII spaces). For others `plainFrom` is
 * -1 and the caller decodes and trims the text.
 */
function readId(input: Uint8Array, s: number, e: number): void {
  let newlines = 0;
  let plain = true;
  for (let k = s; k < e; k++) {
    const b = input[k]!;
    if (b === 10) newlines++;
    if (b >= 0x7f || b === 34 || b === 92) plain = false;
  }
  // ASCII whitespace as String.prototype.trim sees it: tab, line feed, vertical tab, form feed, return, space.
  let from = s;
  let to = e;
  while (from < to && isSpace(input[from]!)) from++;
  while (to > from && isSpace(input[to - 1]!)) to--;
  for (let k = from; k < to && plain; k++) if (input[k]! < 0x20) plain = false;
  id.newlines = newlines;
  id.blank = plain ? from === to : text.decode(input.subarray(s, e)).trim() === '';
  id.plainFrom = plain ? from : -1;
  id.plainTo = to;
}

const isSpace = (b: number) => b === 32 || (b >= 9 && b <= 13);

/**
 * Entries by 32-bit hash, open addressing. A column has a few dozen distinct cells, looked up a million
 * times: a flat table is several times faster than a Map for that.
 */
class EntryTable {
  private keys = new Int32Array(64);
  private values: (CellEntry | undefined)[] = new Array(64).fill(undefined);
  private size = 0;

  get(hash: number): CellEntry | undefined {
    const mask = this.keys.length - 1;
    for (let k = (hash ^ (hash >>> 16)) & mask; ; k = (k + 1) & mask) {
      const v = this.values[k];
      if (v === undefined || this.keys[k] === hash) return v;
    }
  }

  /** Adds an entry for a hash not yet in the table. */
  set(hash: number, entry: CellEntry): void {
    if ((this.size + 1) * 2 > this.keys.length) {
      const old = this.values.map((v, k) => [this.keys[k]!, v] as const);
      this.keys = new Int32Array(this.keys.length * 2);
      this.values = new Array(this.keys.length).fill(undefined);
      this.size = 0;
      for (const [h, v] of old) if (v) this.set(h, v);
    }
    const mask = this.keys.length - 1;
    let k = (hash ^ (hash >>> 16)) & mask;
    while (this.values[k] !== undefined) k = (k + 1) & mask;
    this.keys[k] = hash;
    this.values[k] = entry;
    this.size++;
  }
}

function sameBytes(a: Uint8Array, input: Uint8Array, s: number, e: number): boolean {
  if (a.length !== e - s) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== input[s + k]) return false;
  return true;
}

function decodeEntry(col: CompiledColumn, raw: string, bytes: Uint8Array, after: string | undefined): CellEntry {
  let newlines = 0;
  for (let k = raw.indexOf('\n'); k !== -1; k = raw.indexOf('\n', k + 1)) newlines++;
  const cell = decodeCell(col, raw);
  const json = cell.kind === 'code' ? JSON.stringify(cell.code) : cell.kind === 'dont_know' ? '"dont_know"' : 'null';
  const tail = after === undefined ? undefined : utf8.encode(json + after);
  return { raw, bytes, count: 0, kind: cell.kind, tail, tailWords: tail && wordsOf(tail), newlines };
}

const ID_HOLE = -1;
const LINE_HOLE = -2;
const HOLE = /"\\u0000(-?\d+)"/g;

/**
 * The record as JSON text with holes: keys in canonical order (respondent fields, then themes in
 * vocabulary order, activities in codebook order, fields and sub-items in vocabulary order).
 */
function recordTemplate(ref: ExportRef, columns: CompiledColumn[]): { parts: string[]; holes: number[] } {
  const hole = (i: number) => `\u0000${i}`;
  const record: Record<string, unknown> = {
    wave: ref.wave,
    area: ref.area,
    respondent_id: hole(ID_HOLE),
    source: { file: ref.file, line: hole(LINE_HOLE) },
  };
  for (const field of RESPONDENT_FIELDS) {
    const i = columns.findIndex((c) => c.path.kind === 'respondent' && c.path.field === field);
    if (field !== 'respondent_id' && i !== -1) record[field] = hole(i);
  }
  const themes: Record<string, Record<string, unknown>> = {};
  for (const theme of THEMES) {
    const here = columns.map((c, i) => ({ c, i })).filter(({ c }) => c.path.kind !== 'respondent' && c.path.theme === theme);
    if (here.length === 0) continue;
    const t: Record<string, unknown> = {};
    const activities = here.filter(({ c }) => c.path.kind === 'activity');
    if (activities.length) t.activities = Object.fromEntries(activities.map(({ c, i }) => [(c.path as { item: string }).item, hole(i)]));
    for (const field of THEME_FIELDS) {
      const whole = here.find(({ c }) => c.path.kind === 'field' && c.path.field === field && c.path.sub === undefined);
      if (whole) {
        t[field] = hole(whole.i);
        continue;
      }
      const subs = SUB_ITEMS.flatMap((sub) => here.filter(({ c }) => c.path.kind === 'field' && c.path.field === field && c.path.sub === sub));
      if (subs.length) t[field] = Object.fromEntries(subs.map(({ c, i }) => [(c.path as { sub: string }).sub, hole(i)]));
    }
    themes[theme] = t;
  }
  record.themes = themes;
  const text = JSON.stringify(record);
  const parts: string[] = [];
  const holes: number[] = [];
  let last = 0;
  for (const m of text.matchAll(HOLE)) {
    parts.push(text.slice(last, m.index));
    holes.push(Number(m[1]));
    last = m.index! + m[0].length;
  }
  parts.push(text.slice(last));
  return { parts, holes };
}
