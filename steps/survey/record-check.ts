/**
 * Checking canonical records one block of NDJSON at a time: parse, name the source file, run the record
 * schema, hash the respondent key. A block's result holds only what validate needs afterwards (counts,
 * the reasons of records that fail, key hashes, where empty lines sit), so blocks can be checked in any
 * order, on any thread, and merged in input order into the same answer.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { isUtf8 } from 'node:buffer';
import { keyHash } from './id-table.js';
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
   * Records with a string respondent ID, in block order: hash of their key (wave, area, ID), the line's
   * byte offset in the block, its source file (index), and the keys themselves, joined, each ending at
   * `keyEnds[k]` (an equal hash is confirmed against the key, with no need to read the record again).
   */
  idHashes: Uint32Array;
  idOffsets: Uint32Array;
  idFiles: Uint32Array;
  keys: string;
  keyEnds: Uint32Array;
  /** Byte offsets of empty lines in the block. */
  empties: number[];
  /**
   * The first line that is not UTF-8 text or not a record of a listed file: its index among the block's
   * lines, empty ones included.
   */
  error?: { line: number; message: string; value?: unknown };
}

/** The key a respondent ID must be unique under. */
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
  const keys: string[] = [];
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
    keys: keys.join(''),
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
            idHashes = grow(idHashes);
            idOffsets = grow(idOffsets);
            idFiles = grow(idFiles);
            keyEnds = grow(keyEnds);
          }
          const key = idKey(record);
          keys.push(key);
          keyLength += key.length;
          idHashes[idCount] = keyHash(key);
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

function grow(a: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> {
  const b = new Uint32Array(a.length * 2);
  b.set(a);
  return b;
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
