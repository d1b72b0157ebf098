/**
 * Reading valid.ndjson into scores chunks, on several cores when the input is large.
 *
 * Parsing a million JSON lines is most of index's work, and lines are independent, so the input is cut
 * at line ends into chunks of about `chunkBytes`; worker threads (pool.ts) each parse a chunk into a
 * ScoresChunk (typed arrays, handed back without copying) and the chunks come back in input order. Only
 * a copy of the chunk being parsed crosses to a worker, so memory stays at the input plus the compact
 * columns. The result is the same whatever the number of workers: chunks are merged in input order.
 */
import { DataError } from '../../runner/step.js';
import { runPool, TaskError, type PostedTask } from './pool.js';
import type { ScoresChunk } from './scoring.js';
import { parseChunk, type ParseChunkInput } from './tasks.js';

export interface ParseOptions {
  minActivityAnswers: number;
  /** Worker threads; 0 parses in the calling thread. */
  workers: number;
  /** Target chunk size in bytes; inputs no larger are parsed in the calling thread. */
  chunkBytes: number;
}

/** Scores chunks of the whole input, in input order. */
export async function scoreRecords(bytes: Uint8Array, file: string, options: ParseOptions): Promise<ScoresChunk[]> {
  const bounds = chunkBounds(bytes, options.chunkBytes);
  if (options.workers === 0 || bounds.length <= 1) return [parseChunk(bytes, options.minActivityAnswers, file)];
  const make = (i: number): PostedTask => {
    const [start, end] = bounds[i]!;
    // A copy of just this chunk: the input itself is never transferred (that would detach it). Not
    // bytes.slice: on a Node Buffer (what the runner reads) slice is a view, and transferring it would
    // detach the whole input.
    const copy = Uint8Array.prototype.slice.call(bytes, start, end);
    return { input: { bytes: copy, minActivityAnswers: options.minActivityAnswers, file } satisfies ParseChunkInput, transfer: [copy.buffer] };
  };
  try {
    return await runPool<ScoresChunk>('parseChunk', bounds.length, make, options.workers);
  } catch (e) {
    if (!(e instanceof TaskError)) throw e;
    // A worker numbers lines from its chunk's start: add the lines of the chunks before it.
    const where = e.error.where;
    const line = where.line === undefined ? undefined : where.line + countLines(bytes, bounds[e.index]![0]);
    throw new DataError(e.error.message, { ...where, line });
  }
}

/**
 * Scores chunks of an input read piece by piece, in the calling thread: each run of whole lines is
 * parsed as it arrives and the input is never held whole (the pieces of a runner's artifact are read
 * from disk as they are asked for). Line numbers in errors count from the start of the input, as in
 * the other paths; the result is the same as parsing the input in one piece.
 */
export function scoreRecordPieces(pieces: Iterable<Uint8Array>, file: string, minActivityAnswers: number): ScoresChunk[] {
  const out: ScoresChunk[] = [];
  let carry = new Uint8Array(0);
  let linesBefore = 0;
  const parse = (bytes: Uint8Array) => {
    try {
      out.push(parseChunk(bytes, minActivityAnswers, file));
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
      const line = e.where.line === undefined ? undefined : e.where.line + linesBefore;
      throw new DataError(e.message, { ...e.where, line });
    }
    linesBefore += countLines(bytes, bytes.length);
  };
  const join = (a: Uint8Array, b: Uint8Array) => {
    const both = new Uint8Array(a.length + b.length);
    both.set(a, 0);
    both.set(b, a.length);
    return both;
  };
  for (const piece of pieces) {
    // Only the line cut between two pieces is copied; whole lines are parsed where they lie.
    let start = 0;
    if (carry.length) {
      const nl = piece.indexOf(10);
      if (nl === -1) {
        carry = join(carry, piece);
        continue;
      }
      parse(join(carry, piece.subarray(0, nl + 1)));
      carry = new Uint8Array(0);
      start = nl + 1;
    }
    const last = piece.lastIndexOf(10);
    // A copy, not a view: the piece's memory is reused for the next one (and a Node Buffer's
    // slice() would be a view).
    const copy = (from: number) => Uint8Array.prototype.slice.call(piece, from);
    if (last < start) {
      carry = copy(start);
      continue;
    }
    parse(piece.subarray(start, last + 1));
    carry = copy(last + 1);
  }
  if (carry.length) parse(carry);
  return out;
}

/** [start, end) byte ranges of about `size` bytes, each ending just after a line end (or at the input's end). */
export function chunkBounds(bytes: Uint8Array, size: number): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(bytes.length, start + Math.max(1, size));
    if (end < bytes.length) {
      const nl = bytes.indexOf(10, end - 1);
      end = nl === -1 ? bytes.length : nl + 1;
    }
    out.push([start, end]);
    start = end;
  }
  return out;
}

/** Non-empty lines in bytes[0, end): what forEachLine would have numbered before `end`. */
function countLines(bytes: Uint8Array, end: number): number {
  let count = 0;
  let lineStart = 0;
  for (let i = bytes.indexOf(10); i !== -1 && i < end; i = bytes.indexOf(10, i + 1)) {
    if (i > lineStart) count++;
    lineStart = i + 1;
  }
  return count;
}
