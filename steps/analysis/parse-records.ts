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
import { wholeLineRuns } from '../survey/ndjson.js';
import { runWithWorker, serveWorker } from '../threads/worker-thread.js';
import type { ScoresChunk } from './scoring.js';
import { parseChunk } from './tasks.js';

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
 * What one piece of the input completes: the line cut at its start (joined with the end of the piece
 * before), then its whole lines. One task, so that the worker is never handed just the one cut line.
 */
type PieceRuns = LineRun[];

/**
 * Scores chunks of an input read piece by piece, in input order. Line numbers in errors count from the
 * start of the input; the result is the same as parsing the input in one piece.
 */
export function scoreRecordPieces(pieces: Iterable<Uint8Array>, file: string, options: ParseOptions): ScoresChunk[] {
  const { minActivityAnswers } = options;
  const here = (runs: PieceRuns): ScoresChunk[] =>
    runs.map((run) => {
      try {
        return parseChunk(run.bytes, minActivityAnswers, file);
      } catch (e) {
        throw withInputLine(e, run.linesBefore);
      }
    });
  const tasks = pieceRuns(pieces)[Symbol.iterator]();
  // The first piece is parsed before the second is read (reading it reuses the first one's memory); a
  // helper thread is started only if there is a second.
  const first = tasks.next();
  if (first.done) return [];
  const out = here(first.value);
  const second = tasks.next();
  if (second.done) return out;
  if (!options.helper) {
    for (let r: IteratorResult<PieceRuns> = second; !r.done; r = tasks.next()) out.push(...here(r.value));
    return out;
  }

  // Task i is piece i + 1. Its runs are valid only until the next piece is read, and the next is read only
  // after this one has been run or posted; runs posted to the helper are kept as their own copies until
  // delivered, in case the helper fails and they must be parsed here.
  let current: PieceRuns | undefined = second.value;
  const posted = new Map<number, PieceRuns>();
  type Result = { chunks: ScoresChunk[] } | { error: unknown };
  runWithWorker<Uint8Array[], ScoresChunk[], Result>(
    (i) => {
      if (i === 0) return true;
      const r = tasks.next();
      current = r.done ? undefined : r.value;
      return !r.done;
    },
    {
      module: import.meta.url,
      tag: WORKER_TAG,
      init: { minActivityAnswers, file } satisfies WorkerInit,
      // Two, so the helper has the next piece at hand while this thread is busy with one.
      inFlight: 2,
      post: (i) => {
        // Copies kept here: the piece's memory is reused for the next one (and a Node Buffer's slice() is a
        // view). Posting copies them once more, since these must survive for a retry here.
        const copies = current!.map((run) => ({ bytes: Uint8Array.prototype.slice.call(run.bytes) as Uint8Array, linesBefore: run.linesBefore }));
        posted.set(i, copies);
        return copies.map((c) => c.bytes);
      },
      here: (i) => {
        try {
          return { chunks: here(posted.get(i) ?? current!) };
        } catch (error) {
          return { error };
        }
      },
      fromWorker: (chunks) => ({ chunks }),
      deliver: (r, i) => {
        posted.delete(i);
        if ('error' in r) throw r.error;
        out.push(...r.chunks);
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

// The helper thread's side: the same parser, its typed arrays copied back. A run it cannot parse (a bad
// record) is parsed again on the step's thread, which throws with the input's line number.
serveWorker<Uint8Array[], ScoresChunk[]>(WORKER_TAG, ({ minActivityAnswers, file }: WorkerInit) => (runs) => runs.map((bytes) => parseChunk(bytes, minActivityAnswers, file)));

/** The input as pieces of whole lines (survey/ndjson.ts), each run with the count of lines before it. */
function* pieceRuns(pieces: Iterable<Uint8Array>): Generator<PieceRuns> {
  let linesBefore = 0;
  for (const runs of wholeLineRuns(pieces)) {
    yield runs.map(({ bytes }) => {
      const run = { bytes, linesBefore };
      linesBefore += countLines(bytes);
      return run;
    });
  }
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
