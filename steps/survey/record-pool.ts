/**
 * validate's record checks, on a records file read piece by piece, spread over this thread and a worker
 * thread (threads/worker-thread.ts). Each piece's runs of whole lines are checked wherever a thread is
 * free and handed out in input order, so the result is the same with or without the worker, and the file
 * is never held whole. Small files are checked here alone: starting the worker costs a few hundred
 * milliseconds.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { eachWithWorker, serveWorker } from '../threads/worker-thread.js';
import { wholeLineRuns, type LineRun } from './ndjson.js';
import { checkBlock, type BlockResult } from './record-check.js';

const TAG = 'coproduction-record-check';

/** The record schema as validate compiles it; the worker compiles the same schema with the same options. */
export function compileRecordSchema(schema: unknown): ValidateFunction {
  return new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema as object);
}

export interface PoolOptions {
  /** Pieces checked on this thread alone before a worker is started for the rest. */
  piecesBeforeWorker: number;
}

/** A run of lines checked: what `checkBlock` found, and the byte offset of the run in the input. */
export interface CheckedRun {
  result: BlockResult;
  base: number;
}

interface Init {
  schema: unknown;
  files: readonly string[];
}

/** Runs of one piece copied for the worker, into shared memory that both threads can read. */
interface Posted {
  bytes: Uint8Array;
  lengths: number[];
}

const stops = (r: BlockResult) => r.error !== undefined;

/**
 * Every run of lines of the input checked, in input order, up to and including the first run holding an
 * error. Later runs are not checked, but the input is still read to its end, so that a reader checking
 * what it reads (the runner checks each file against its hash) reports a changed file as such rather
 * than as a bad record. `workerPieces` counts the pieces the worker checked (for tests: the results
 * never depend on it).
 */
export function* checkPieces(
  pieces: Iterable<Uint8Array>,
  files: readonly string[],
  schema: unknown,
  check: ValidateFunction,
  options: PoolOptions,
): Generator<CheckedRun, { workerPieces: number }> {
  const fileIndex = new Map(files.map((f, i) => [f, i]));
  const checkRuns = (runs: readonly LineRun[]): CheckedRun[] => {
    const out: CheckedRun[] = [];
    for (const run of runs) {
      const result = checkBlock(run.bytes, fileIndex, files.length, check);
      out.push({ result, base: run.base });
      if (stops(result)) break;
    }
    return out;
  };
  const stopsAny = (checked: CheckedRun[]) => checked.some((c) => stops(c.result));
  const input = wholeLineRuns(pieces);
  try {
    let workerPieces = 0;
    // The first pieces on this thread alone; the worker is started only if a piece is left after them.
    for (let p = 0; ; p++) {
      const next = input.next();
      if (next.done) return { workerPieces: 0 };
      if (p >= options.piecesBeforeWorker) {
        workerPieces = yield* checkWithWorker(next.value, input, files, schema, checkRuns, stopsAny);
        break;
      }
      const checked = checkRuns(next.value);
      yield* checked;
      if (stopsAny(checked)) break;
    }
    // After an error, the rest read unchecked (otherwise the input is read through already).
    for (let rest = input.next(); !rest.done; rest = input.next());
    return { workerPieces };
  } finally {
    // Closes the reader if the caller stops early (after the input's end this does nothing).
    input.return(undefined);
  }
}

/** The pieces from `first` on, checked here and on the worker; returns how many the worker checked. */
function* checkWithWorker(
  first: LineRun[],
  input: Generator<LineRun[]>,
  files: readonly string[],
  schema: unknown,
  checkRuns: (runs: readonly LineRun[]) => CheckedRun[],
  stopsAny: (checked: CheckedRun[]) => boolean,
): Generator<CheckedRun, number> {
  // Task i is the next piece's runs (task 0 is `first`), read just before the task is run here or posted (reading a piece
  // reuses the memory of the one before). Posted runs are kept, in shared memory, until their result is
  // in: if the worker fails, they are checked here.
  let current: LineRun[] | undefined = first;
  const posted = new Map<number, { runs: LineRun[]; memory: SharedArrayBuffer }>();
  const spare: SharedArrayBuffer[] = [];
  const release = (i: number) => {
    const held = posted.get(i);
    if (!held) return;
    posted.delete(i);
    // No more than the tasks that can wait for the worker at once, and the one being read.
    if (spare.length < 3) spare.push(held.memory);
  };
  const results = eachWithWorker<Posted, BlockResult[], CheckedRun[]>(
    (i) => {
      if (i === 0) return true;
      const next = input.next();
      current = next.done ? undefined : next.value;
      return current !== undefined;
    },
    {
      module: import.meta.url,
      tag: TAG,
      init: { schema, files } satisfies Init,
      inFlight: 2,
      post: (i) => {
        const runs = current!;
        const size = runs.reduce((n, r) => n + r.bytes.length, 0);
        const fits = spare.findIndex((m) => m.byteLength >= size);
        // Room to spare: pieces vary by the line cut between them.
        const memory = fits === -1 ? new SharedArrayBuffer(size + (size >> 3)) : spare.splice(fits, 1)[0]!;
        let at = 0;
        const copies = runs.map((r) => {
          const copy = new Uint8Array(memory, at, r.bytes.length);
          copy.set(r.bytes);
          at += r.bytes.length;
          return { bytes: copy, base: r.base };
        });
        posted.set(i, { runs: copies, memory });
        return { bytes: new Uint8Array(memory, 0, size), lengths: runs.map((r) => r.bytes.length) };
      },
      here: (i) => {
        const checked = checkRuns(posted.get(i)?.runs ?? current!);
        release(i);
        return checked;
      },
      fromWorker: (output, i) => {
        const runs = posted.get(i)!.runs;
        release(i);
        return output.map((result, k) => ({ result, base: runs[k]!.base }));
      },
      stops: stopsAny,
    },
  );
  let finished = false;
  try {
    for (let step = results.next(); ; step = results.next()) {
      if (step.done) {
        finished = true;
        return step.value.workerTasks;
      }
      yield* step.value[0];
    }
  } finally {
    // A caller that stops early stops the worker too.
    if (!finished) results.return({ workerTasks: 0 });
  }
}

serveWorker<Posted, BlockResult[]>(TAG, ({ schema, files }: Init) => {
  const check = compileRecordSchema(schema);
  const fileIndex = new Map(files.map((f, i) => [f, i]));
  return ({ bytes, lengths }) => {
    const output: BlockResult[] = [];
    let at = 0;
    for (const length of lengths) {
      const result = checkBlock(bytes.subarray(at, (at += length)), fileIndex, files.length, check);
      output.push(result);
      if (stops(result)) break;
    }
    // Copied back (a few bytes per record): moving them would detach them (threads/worker-thread.ts).
    return output;
  };
});
