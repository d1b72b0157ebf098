/**
 * Checking canonical records one block of NDJSON at a time: parse, name the source file, run the record
 * schema, hash the respondent key. A block's result holds only what validate needs afterwards (counts,
 * the reasons of records that fail, key hashes, where empty lines sit), so blocks can be checked in any
 * order, on any thread, and merged in input order into the same answer.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { isUtf8 } from 'node:buffer';
import { keyHashOfUnits } from './id-table.js';
import { forEachLineOf, NotUtf8 } from './ndjson.js';

export interface Reason {
  /** Where in the record (JSON pointer into the record; "" is the whole record). */
  path: string;
  message: string;
  value?: unknown;
  /** Raw column, for rows clean quarantined. */
  column?: string;
}

export interface BlockResult {
  /** Non-empty lines in the block. */
  lines: number;
  /** Lines per source file (by index into the file list), failing ones included. */
  perFile: number[];
  /** Records the schema rejects: byte offset of the line in the block, its source file (index), and why. */
  failures: { at: number; file: number; reasons: Reason[] }[];
  /**
   * Records with a string respondent ID, in block order: hash of their key (`keyHash(idKey(record))`), the
   * line's byte offset in the block, its source file (index), and the keys themselves as UTF-16 code
   * units, joined, each ending at `keyEnds[k]` (an equal hash is confirmed against the key, with no need to
   * read the record again). Code units in a typed array, not strings: a million strings kept for a whole
   * run outlive the young generation, and collecting them cost validate about 7% of its time.
   */
  idHashes: Uint32Array;
  idOffsets: Uint32Array;
  idFiles: Uint32Array;
  keys: Uint16Array;
  keyEnds: Uint32Array;
  /** Byte offsets of empty lines in the block. */
  empties: number[];
  /**
   * The first line that is not UTF-8 text or not a record of a listed file: its index among the block's
   * lines, empty ones included.
   */
  error?: { line: number; message: string; value?: unknown };
}

/** The key a respondent ID must be unique under (kept as code units by `checkBlock`, separators 0). */
export function idKey(record: any): string {
  return `${record.wave}\u0000${record.area}\u0000${record.respondent_id}`;
}

export function checkBlock(block: Uint8Array, fileIndex: ReadonlyMap<string, number>, fileCount: number, check: ValidateFunction): BlockResult {
  const perFile = new Array<number>(fileCount).fill(0);
  const failures: BlockResult['failures'] = [];
  const empties: number[] = [];
  // Typed arrays, grown by doubling: a block of a million-record file holds thousands of IDs.
  let idHashes = new Uint32Array(1024);
  let idOffsets = new Uint32Array(1024);
  let idFiles = new Uint32Array(1024);
  let keyEnds = new Uint32Array(1024);
  let keys = new Uint16Array(16 * 1024);
  let keyLength = 0;
  let idCount = 0;
  let error: BlockResult['error'];
  const result = (lines: number): BlockResult => ({
    lines,
    perFile,
    failures,
    idHashes: idHashes.slice(0, idCount),
    idOffsets: idOffsets.slice(0, idCount),
    idFiles: idFiles.slice(0, idCount),
    keys: keys.slice(0, keyLength),
    keyEnds: keyEnds.slice(0, idCount),
    empties,
    ...(error ? { error } : {}),
  });
  const stop = {};
  let lines = 0;
  try {
    lines = forEachLineOf(
      block,
      (line, i, start) => {
        let record: any;
        try {
          record = JSON.parse(line);
        } catch (e) {
          error = { line: i + empties.length, message: `not a JSON record: ${(e as Error).message}` };
          throw stop;
        }
        const file = record?.source?.file;
        const fi = typeof file === 'string' ? fileIndex.get(file) : undefined;
        if (fi === undefined) {
          error = { line: i + empties.length, message: 'record names a source file the cleaning log does not list', value: file };
          throw stop;
        }
        perFile[fi]!++;
        if (!check(record)) {
          // An `if` error only says "the then/else branch failed"; the branch's own error says what and where.
          failures.push({ at: start, file: fi, reasons: (check.errors ?? []).filter((e) => e.keyword !== 'if').map((e) => reasonOf(e, record)) });
        }
        if (typeof record.respondent_id === 'string') {
          if (idCount === idHashes.length) {
            idHashes = grown(idHashes);
            idOffsets = grown(idOffsets);
            idFiles = grown(idFiles);
            keyEnds = grown(keyEnds);
          }
          // The key's code units copied, then hashed where they lie: keyHash(idKey(record)), with no key
          // string made.
          const wave = String(record.wave);
          const area = String(record.area);
          const id: string = record.respondent_id;
          const end = keyLength + wave.length + area.length + id.length + 2;
          if (end > keys.length) keys = grown(keys, end);
          let at = copyUnits(wave, keys, keyLength);
          keys[at++] = 0;
          at = copyUnits(area, keys, at);
          keys[at++] = 0;
          copyUnits(id, keys, at);
          idHashes[idCount] = keyHashOfUnits(keys, keyLength, end);
          keyLength = end;
          idOffsets[idCount] = start;
          idFiles[idCount] = fi;
          keyEnds[idCount++] = keyLength;
        }
      },
      (start) => empties.push(start),
    );
  } catch (e) {
    if (e === stop) return result(error!.line - empties.length);
    // No line of the block was read: the first line that is not UTF-8 is the one reported.
    if (e instanceof NotUtf8) return { ...result(0), error: { line: firstNotUtf8(block), message: 'not UTF-8 text' } };
    throw e;
  }
  return result(lines);
}

/** Index of the first line of `block` that is not valid UTF-8 (the block as a whole is not). */
function firstNotUtf8(block: Uint8Array): number {
  let line = 0;
  for (let start = 0; ; line++) {
    const nl = block.indexOf(10, start);
    const end = nl === -1 ? block.length : nl;
    if (!isUtf8(block.subarray(start, end)) || nl === -1) return line;
    start = nl + 1;
  }
}

/** A copy of `a` in an array twice its length, or `atLeast` long if that is more. */
function grown<A extends Uint16Array<ArrayBuffer> | Uint32Array<ArrayBuffer>>(a: A, atLeast = 0): A {
  const b = new (a.constructor as new (length: number) => A)(Math.max(a.length * 2, atLeast));
  b.set(a);
  return b;
}

/** Copies the code units of `text` into `into` from `at`; returns where they end. */
function copyUnits(text: string, into: Uint16Array, at: number): number {
  for (let c = 0; c < text.length; c++) into[at++] = text.charCodeAt(c);
  return at;
}


function reasonOf(e: ErrorObject, record: unknown): Reason {
  const extra =
    e.keyword === 'additionalProperties'
      ? ` ("${(e.params as { additionalProperty: string }).additionalProperty}")`
      : e.keyword === 'required'
        ? ''
        : e.keyword === 'enum'
          ? ` (${JSON.stringify((e.params as { allowedValues: unknown }).allowedValues)})`
          : '';
  return { path: e.instancePath, message: `${e.message ?? 'is invalid'}${extra}`, value: pointerValue(record, e.instancePath) };
}

function pointerValue(doc: unknown, pointer: string): unknown {
  let v: any = doc;
  if (!pointer) return undefined;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (v === null || typeof v !== 'object') return undefined;
    v = v[key];
  }
  return v;
}
