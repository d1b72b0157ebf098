/**
 * NDJSON as bytes. A million canonical records (about 730 MB) run past V8's longest string (about 512 MB),
 * and joining blocks at the end would hold the output twice. So outputs grow in place: one resizable
 * ArrayBuffer, extended in steps (V8 commits pages without copying), each line encoded straight into it.
 * Inputs are read back in blocks of whole lines.
 */
import { isAscii } from 'node:buffer';

interface Resizable extends ArrayBuffer {
  resize(byteLength: number): void;
}
interface Growable extends SharedArrayBuffer {
  grow(byteLength: number): void;
}

/** Largest output one builder holds (the most a resizable ArrayBuffer may reserve in Node 20). */
const MAX_BYTES = 2 ** 32 - 1;
const MAX_STEP = 16 * 1024 * 1024;
const encoder = new TextEncoder();

/**
 * Appends text and bytes to one growing buffer. Copying into a view of a resizable buffer costs about a
 * microsecond a call in Node 20: many short lines should arrive as one block (`appendBytes`), as clean's
 * records do (survey/record-line.ts gathers them).
 */
export class ByteBuilder {
  private buffer: Resizable | Growable;
  /** A length-tracking view: it follows the buffer as it grows. */
  private view: Uint8Array;
  private used = 0;

  /**
   * `reuse`: the buffer of an earlier builder's `lend()`, written over from its start. Its pages are in
   * memory already: filling fresh memory costs more than writing the bytes (the kernel zeroes every page).
   * `shared`: a new buffer is a growable SharedArrayBuffer, for output another thread reads (a worker's
   * output is shared with the calling thread, never moved: see threads/worker-thread.ts).
   */
  constructor(reuse?: ArrayBufferLike, shared = false) {
    if (reuse && ((reuse as { resizable?: boolean }).resizable || (reuse as { growable?: boolean }).growable)) this.buffer = reuse as Resizable | Growable;
    else if (shared) this.buffer = new (SharedArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => Growable)(0, { maxByteLength: MAX_BYTES });
    else this.buffer = new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => Resizable)(0, { maxByteLength: MAX_BYTES });
    this.view = new Uint8Array(this.buffer);
  }

  private reserve(extra: number): void {
    const need = this.used + extra;
    if (need <= this.buffer.byteLength) return;
    if (need > MAX_BYTES) throw new RangeError(`output would exceed ${MAX_BYTES} bytes`);
    // Grow by the current size (at least 64 KB, at most 16 MB: grown pages are zeroed, so count in RSS).
    const step = Math.min(MAX_STEP, Math.max(64 * 1024, this.buffer.byteLength));
    const size = Math.min(MAX_BYTES, Math.max(need, this.buffer.byteLength + step));
    if ('grow' in this.buffer) this.buffer.grow(size);
    else this.buffer.resize(size);
  }

  /** Appends `text` and a newline. */
  appendLine(text: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 unit.
    this.reserve(text.length * 3 + 1);
    this.used += encoder.encodeInto(text, this.view.subarray(this.used)).written;
    this.view[this.used++] = 10;
  }

  appendBytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.view.set(bytes, this.used);
    this.used += bytes.length;
  }

  finish(): Uint8Array {
    // A SharedArrayBuffer cannot shrink: its view stops at what was written.
    if ('grow' in this.buffer) return new Uint8Array(this.buffer, 0, this.used);
    this.buffer.resize(this.used);
    return new Uint8Array(this.buffer);
  }

  /** What was written, as a view of a buffer that keeps its size, to be reused once the view is done with. */
  lend(): Uint8Array {
    return new Uint8Array(this.buffer, 0, this.used);
  }
}

/** Collects lines; `finish()` returns them as one UTF-8 buffer, each line ending in `\n`. */
export class NdjsonWriter {
  private out: ByteBuilder;
  count = 0;

  /** `reuse`, `shared`: see ByteBuilder. */
  constructor(reuse?: ArrayBufferLike, shared = false) {
    this.out = new ByteBuilder(reuse, shared);
  }

  push(line: string): void {
    this.out.appendLine(line);
    this.count++;
  }

  /** Appends `count` whole lines already written as NDJSON bytes (each ending in a newline). */
  pushLines(bytes: Uint8Array, count: number): void {
    this.out.appendBytes(bytes);
    this.count += count;
  }

  finish(): Uint8Array {
    return this.out.finish();
  }

  /** See ByteBuilder.lend. */
  lend(): Uint8Array {
    return this.out.lend();
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** The decoder's own error (same class and message), marked so a reader can tell it from its callback's errors. */
export class NotUtf8 extends TypeError {}
const BLOCK_BYTES = 4 * 1024 * 1024;

/**
 * Splits an NDJSON buffer into blocks of whole lines, a few MB each: `[start, end)` byte ranges, every one
 * but the last ending just after a newline. Readers decode one block at a time.
 */
export function lineBlocks(bytes: Uint8Array, blockBytes = BLOCK_BYTES): [number, number][] {
  const blocks: [number, number][] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(start + blockBytes, bytes.length);
    if (end < bytes.length) {
      const nl = bytes.indexOf(10, end);
      end = nl === -1 ? bytes.length : nl + 1;
    }
    blocks.push([start, end]);
    start = end;
  }
  return blocks;
}

/**
 * Calls `each(line, index, start, end)` for every non-empty line of one block from `lineBlocks` (or a
 * whole buffer), and `empty(start)` for every empty line; `start`/`end` are byte offsets within `block`
 * (end excludes the newline) and `index` counts non-empty lines from 0. Returns that count. A block that
 * is not valid UTF-8 throws before any line is read.
 */
export function forEachLineOf(block: Uint8Array, each: (line: string, index: number, start: number, end: number) => void, empty?: (start: number) => void): number {
  let text: string;
  try {
    // ASCII (all that clean writes, unless an answer or ID has other characters) reads as Latin-1 with
    // the same result, at a fraction of the cost of checking UTF-8.
    text = isAscii(block) ? Buffer.from(block.buffer, block.byteOffset, block.byteLength).toString('latin1') : decoder.decode(block);
  } catch (e) {
    throw new NotUtf8((e as Error).message);
  }
  let index = 0;
  let from = 0;
  let at = 0;
  // Every multi-byte character shortens the text, so equal lengths mean ASCII: byte and text offsets agree.
  const ascii = text.length === block.length;
  while (from < text.length) {
    let to = text.indexOf('\n', from);
    if (to === -1) to = text.length;
    let byteEnd: number;
    if (ascii) byteEnd = to;
    else {
      const lineEnd = block.indexOf(10, at);
      byteEnd = lineEnd === -1 ? block.length : lineEnd;
    }
    if (to > from) each(text.slice(from, to), index++, at, byteEnd);
    else if (empty) empty(at);
    from = to + 1;
    at = byteEnd + 1;
  }
  return index;
}

/**
 * Calls `each(line, index, start, end)` for every non-empty line of an NDJSON buffer, decoding a few MB at a
 * time; `start`/`end` are the line's byte offsets (end excludes the newline).
 */
export function forEachLine(bytes: Uint8Array, each: (line: string, index: number, start: number, end: number) => void): number {
  let index = 0;
  for (const [start, end] of lineBlocks(bytes)) {
    const base = index;
    index += forEachLineOf(bytes.subarray(start, end), (line, i, s, e) => each(line, base + i, start + s, start + e));
  }
  return index;
}

/** A run of whole lines of an input read piece by piece, and the byte offset of its start in the input. */
export interface LineRun {
  bytes: Uint8Array;
  base: number;
}

/**
 * An input read piece by piece (as the runner reads large files, into one reused buffer) as runs of whole
 * lines: for each piece, the line cut at its start (joined with the end of the piece before), then the
 * piece's whole lines where they lie. A piece's runs are valid only until the next piece is read. The
 * last run may lack its final newline.
 */
export function* wholeLineRuns(pieces: Iterable<Uint8Array>): Generator<LineRun[]> {
  let carry: Uint8Array = new Uint8Array(0);
  let carryBase = 0;
  let pieceBase = 0;
  // A copy, not a view: the piece's memory is reused for the next one (and a Node Buffer's slice()
  // would be a view).
  const copy = (piece: Uint8Array, from: number) => Uint8Array.prototype.slice.call(piece, from) as Uint8Array;
  for (const piece of pieces) {
    const runs: LineRun[] = [];
    let start = 0;
    if (carry.length) {
      const nl = piece.indexOf(10);
      if (nl === -1) {
        carry = Buffer.concat([carry, piece]);
        pieceBase += piece.length;
        continue;
      }
      runs.push({ bytes: Buffer.concat([carry, piece.subarray(0, nl + 1)]), base: carryBase });
      carry = new Uint8Array(0);
      start = nl + 1;
    }
    const last = piece.lastIndexOf(10);
    if (last >= start) {
      runs.push({ bytes: piece.subarray(start, last + 1), base: pieceBase + start });
      start = last + 1;
    }
    // The cut line is saved before the runs are handed on: their reader may read the next piece.
    if (start < piece.length) {
      carry = copy(piece, start);
      carryBase = pieceBase + start;
    }
    pieceBase += piece.length;
    if (runs.length) yield runs;
  }
  if (carry.length) yield [{ bytes: carry, base: carryBase }];
}

/**
 * An NDJSON input read piece by piece, less some of its lines (`leftOut`: sorted byte offsets of line
 * starts; each line goes with its newline): the input's own pieces, cut around the lines left out, handed
 * on where they lie and valid until the next is asked for (the reader reuses their memory). Lines left out
 * whose offset is in `keep` are copied into `kept`. Every output line ends with a newline.
 */
export function* withoutLines(pieces: Iterable<Uint8Array>, leftOut: readonly number[], keep: ReadonlyMap<number, unknown>, kept: Map<number, Uint8Array>): Generator<Uint8Array> {
  let pieceStart = 0;
  let next = 0;
  // The offset of the line being left out (-1: none), and its bytes so far if it is kept.
  let leaving = -1;
  let parts: Uint8Array[] = [];
  let lastByte = 10;
  const endLine = () => {
    if (keep.has(leaving)) kept.set(leaving, Buffer.concat(parts));
    parts = [];
    leaving = -1;
  };
  for (const piece of pieces) {
    let from = 0;
    while (from < piece.length) {
      if (leaving !== -1) {
        const nl = piece.indexOf(10, from);
        const end = nl === -1 ? piece.length : nl;
        // A copy: the piece's memory is reused (and a Node Buffer's slice() is a view).
        if (keep.has(leaving)) parts.push(Uint8Array.prototype.slice.call(piece, from, end) as Uint8Array);
        if (nl === -1) break;
        endLine();
        from = nl + 1;
      } else if (next < leftOut.length && leftOut[next]! < pieceStart + piece.length) {
        const at = leftOut[next++]! - pieceStart;
        if (at > from) {
          lastByte = piece[at - 1]!;
          yield piece.subarray(from, at);
        }
        leaving = pieceStart + at;
        from = at;
      } else {
        lastByte = piece[piece.length - 1]!;
        yield piece.subarray(from);
        break;
      }
    }
    pieceStart += piece.length;
  }
  if (leaving !== -1) endLine();
  if (lastByte !== 10) yield Uint8Array.of(10);
}
