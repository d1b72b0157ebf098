/**
 * Reading valid.ndjson into scores chunks as it is read, on the step's thread and a helper thread.
 *
 * Parsing a million JSON lines is most of index's work, and lines are independent. The input arrives in
 * pieces (the runner reads its file a piece at a time into one reused buffer); each run of whole lines is
 * parsed into a ScoresChunk (typed arrays) here, or, while the helper thread is free, copied to it and
 * parsed there. Chunks are kept in input order, so the result is the same whichever thread parsed what,
 * and the input is never held whole.
 */
import { DataError } from '../../runner/step.js';
import { runWithWorker, serveWorker } from '../survey/worker-thread.js';
import type { ScoresChunk } from './scoring.js';
import { parseChunk, parseChunkTask } from './tasks.js';

export interface ParseOptions {
  minActivityAnswers: number;
  /** Parse runs of lines on a helper thread too (when the input has more than one piece). */
  helper: boolean;
}

/** A run of whole lines and how many non-empty lines came before it in the input. */
interface LineRun {
  bytes: Uint8Array;
  linesBefore: number;
}

/**
 * Scores chunks of an input read piece by piece, in input order. Line numbers in errors count from the
 * start of the input; the result is the same as parsing the input in one piece.
 */
export function scoreRecordPieces(pieces: Iterable<Uint8Array>, file: string, options: ParseOptions): ScoresChunk[] {
  const { minActivityAnswers } = options;
  const here = (run: LineRun): ScoresChunk => {
    try {
      return parseChunk(run.bytes, minActivityAnswers, file);
    } catch (e) {
      throw withInputLine(e, run.linesBefore);
    }
  };
  const runs = lineRuns(pieces)[Symbol.iterator]();
  // The first run is parsed before the second is read (reading it reuses the first one's memory); a
  // helper thread is started only if there is a second.
  const first = runs.next();
  if (first.done) return [];
  const out = [here(first.value)];
  const second = runs.next();
  if (second.done) return out;
  if (!options.helper) {
    out.push(here(second.value));
    for (let r = runs.next(); !r.done; r = runs.next()) out.push(here(r.value));
    return out;
  }

  // Task i is run i + 1. A run is valid only until the next is read, and the pool reads the next only
  // after it has run or posted this one; a run posted to the helper is kept as its own copy until it is
  // delivered, in case the helper fails and it must be parsed here.
  let current: LineRun | undefined = second.value;
  const posted = new Map<number, LineRun>();
  type Result = { chunk: ScoresChunk } | { error: unknown };
  runWithWorker<Uint8Array, ScoresChunk, Result>(
    (i) => {
      if (i === 0) return true;
      const r = runs.next();
      current = r.done ? undefined : r.value;
      return !r.done;
    },
    {
      module: import.meta.url,
      tag: WORKER_TAG,
      init: { minActivityAnswers, file } satisfies WorkerInit,
      inFlight: 1,
      post: (i) => {
        // A copy: the run's memory is reused for the next piece (and a Node Buffer's slice() is a view).
        const copy = Uint8Array.prototype.slice.call(current!.bytes) as Uint8Array;
        posted.set(i, { bytes: copy, linesBefore: current!.linesBefore });
        return { input: copy };
      },
      here: (i) => {
        const run = posted.get(i) ?? current!;
        try {
          return { chunk: here(run) };
        } catch (error) {
          return { error };
        }
      },
      fromWorker: (chunk) => ({ chunk }),
      deliver: (r, i) => {
        posted.delete(i);
        if ('error' in r) throw r.error;
        out.push(r.chunk);
      },
      stops: (r) => 'error' in r,
    },
  );
  return out;
}

interface WorkerInit {
  minActivityAnswers: number;
  file: string;
}
const WORKER_TAG = 'coproduction-parse-records';

// The helper thread's side: the same parser, its typed arrays moved back. A run it cannot parse (a bad
// record) is parsed again on the step's thread, which throws with the input's line number.
serveWorker<Uint8Array, ScoresChunk>(WORKER_TAG, ({ minActivityAnswers, file }: WorkerInit) => (bytes) => parseChunkTask({ bytes, minActivityAnswers, file }));

/**
 * The input as runs of whole lines, each valid until the next is read. Only the line cut between two
 * pieces is copied; whole lines are handed on where they lie.
 */
function* lineRuns(pieces: Iterable<Uint8Array>): Generator<LineRun> {
  let carry: Uint8Array = new Uint8Array(0);
  let linesBefore = 0;
  const emit = (bytes: Uint8Array): LineRun => {
    const run = { bytes, linesBefore };
    linesBefore += countLines(bytes);
    return run;
  };
  const join = (a: Uint8Array, b: Uint8Array) => {
    const both = new Uint8Array(a.length + b.length);
    both.set(a, 0);
    both.set(b, a.length);
    return both;
  };
  // A copy, not a view: the piece's memory is reused for the next one (and a Node Buffer's slice()
  // would be a view).
  const copy = (piece: Uint8Array, from: number) => Uint8Array.prototype.slice.call(piece, from) as Uint8Array;
  for (const piece of pieces) {
    let start = 0;
    if (carry.length) {
      const nl = piece.indexOf(10);
      if (nl === -1) {
        carry = join(carry, piece);
        continue;
      }
      yield emit(join(carry, piece.subarray(0, nl + 1)));
      carry = new Uint8Array(0);
      start = nl + 1;
    }
    const last = piece.lastIndexOf(10);
    if (last < start) {
      carry = copy(piece, start);
      continue;
    }
    // The cut line is saved before the run is handed on: the run's reader may read the next piece.
    const rest = copy(piece, last + 1);
    yield emit(piece.subarray(start, last + 1));
    carry = rest;
  }
  if (carry.length) yield emit(carry);
}

/** A parse error's line, counted from the start of the input instead of the run's. */
function withInputLine(e: unknown, linesBefore: number): unknown {
  if (!(e instanceof DataError) || e.where.line === undefined) return e;
  return new DataError(e.message, { ...e.where, line: e.where.line + linesBefore });
}

/** Non-empty lines in `bytes`: what forEachLine numbers. */
function countLines(bytes: Uint8Array): number {
  let count = 0;
  let lineStart = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) {
    if (i > lineStart) count++;
    lineStart = i + 1;
  }
  if (bytes.length > lineStart) count++;
  return count;
}
