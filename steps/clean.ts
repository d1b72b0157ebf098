/**
 * clean: council exports + codebooks → canonical records.
 *
 *   raw/<wave>/<slug>.csv ─┐
 *                          ├─ check codebooks (schema, rules) ─ pair export ↔ codebook ─ check header
 *   raw/codebooks/*.json ──┘        ─ decode every cell (trim, case-fold, don't know, blank, code)
 *                                   ─ records.ndjson | quarantine.ndjson | cleaning-log.json
 *
 * Records come out in wave, area, source-line order. A label a codebook does not know either stops the
 * step (DataError naming file, line, column, value) or, where the codebook says "quarantine", sends the row
 * to quarantine.ndjson with that reason. Range checks are validate's job: numeric pass-through codes are
 * copied as they are.
 *
 * A plain export (no quotes after its header: see survey/csv-rows.ts) is cut into pieces of whole lines,
 * cleaned on this thread and, for large inputs, a worker thread, and handed on in order; any other export
 * is read whole by csv-parse. records.ndjson is streamed: pieces are cleaned as the runner writes it, and
 * their buffers are written over once handed on, so a million records never sit in memory at once. The
 * quarantine and the cleaning log sum up every row, so they are deferred outputs, ready after the
 * records. The output never depends on the piece size or on which thread cleaned what (tests).
 *
 * Inputs: `exports` (raw/<wave>/*.csv), `codebooks` (raw/codebooks/*.json), optionally `codebookSchema`
 * (schemas/codebook.schema.json; the bundled copy is used when it is not declared). Params: none (`{}`).
 */
import { artifact, DataError, type Artifact, type StepInputs, type StreamingStepOutputs } from '../runner/step.js';
import { loadCodebook, type CompiledCodebook } from './survey/codebook.js';
import { plainLayout, plainPieces, readWithCsvParse, scanPlainRows, type Piece } from './survey/csv-rows.js';
import { codebookIndex, exportRef, type ExportRef } from './survey/exports.js';
import { NdjsonWriter } from './survey/ndjson.js';
import { addTally, columnLogs, emptyTally, headerColumns, planRows, type ColumnLog, type FileTally, type RowPlan, type Tally } from './survey/row-plan.js';
import { eachWithWorker, serveWorker } from './threads/worker-thread.js';

export type { ColumnLog };

/** clean takes no parameters; the codebooks carry every choice. */
export type CleanParams = Record<string, never>;

export interface FileLog {
  wave: number;
  area: string;
  codebook: string;
  synthetic: boolean;
  bom_stripped: boolean;
  raw_rows: number;
  records: number;
  quarantined: number;
  /** Columns whose question changed from an earlier wave (from the codebook): flag before comparing waves. */
  changed_questions: { column: string; variable: string; changed_from_wave: number; note: string }[];
  columns: Record<string, ColumnLog>;
}

export interface CleaningLog {
  /** True when any export was read with a codebook marked synthetic: results built on it are not findings. */
  synthetic: boolean;
  files: Record<string, FileLog>;
}

export default function clean(inputs: StepInputs, _params: CleanParams = {}): StreamingStepOutputs {
  return cleanExports(inputs, { minBytesForWorker: 32 * 1024 * 1024, pieceBytes: 8 * 1024 * 1024 });
}

export interface CleanOptions {
  /** Least total export size worth starting a worker thread for (it costs a few hundred milliseconds). */
  minBytesForWorker: number;
  /** Plain exports are cleaned in pieces of about this many bytes of whole lines (default 8 MB). */
  pieceBytes?: number;
  /** Told how many pieces the worker cleaned (tests and benchmarks; the output never depends on it). */
  onWorkerTasks?: (tasks: number) => void;
}

/** One export as clean sees it, with what its pieces have added up to so far. */
interface ExportState {
  ref: ExportRef;
  art: Artifact;
  bom: boolean;
  /** The export without its byte-order mark. */
  input: Uint8Array;
  book?: CompiledCodebook;
  header?: string[];
  rawRows: number;
  records: number;
  quarantined: number;
  tally: FileTally | undefined;
  /** Set once csv-parse has read the rest of the file after a plain piece handed over to it. */
  handedOver: boolean;
}

/** A unit of work: a piece of a plain export, a whole export for csv-parse, or a problem found in planning. */
type Task = { file: number } & ({ kind: 'piece'; piece: Piece } | { kind: 'whole' } | { kind: 'failed'; error: unknown });

/** What a task produced: its records' and quarantined rows' lines, with counts and the cells' tally. */
type TaskResult =
  | {
      rows: number;
      /** The records' NDJSON lines and how many; likewise the rows sent to quarantine. */
      records: Uint8Array;
      recordCount: number;
      quarantine: Uint8Array;
      quarantineCount: number;
      tally: Tally;
      /** The header csv-parse read (whole exports). */
      header?: string[];
      /** Set when a plain row had another number of cells than the header: csv-parse reads on from it. */
      handover?: true;
      /** The thread whose buffer holds `records`, for reuse once they are handed on (pieces only). */
      from?: 'here' | 'worker';
      /** The shared copy of the piece the worker read, free for the next copy. */
      inputBuffer?: SharedArrayBuffer;
    }
  | { error: unknown }
  | { skipped: true };

/**
 * clean with its thread use stated (tests force the worker and small pieces on small data). Pieces of
 * exports are cleaned on this thread and a worker thread and handed on in order; the output does not
 * depend on which thread cleaned what, nor on the piece size.
 *
 * Codebooks and the set of exports are checked at once. The rows are read as records.ndjson is read: a
 * problem in a row surfaces then, and the quarantine and the cleaning log, which sum up every row, are
 * ready only after it (the runner reads streamed outputs first). Reading records.ndjson again cleans
 * again; asking for the log first cleans once without keeping the records.
 */
export function cleanExports(inputs: StepInputs, options: CleanOptions): StreamingStepOutputs {
  // The codebook schema may be declared as an input (so a change to it reruns clean); otherwise the bundled copy.
  const schema = inputs.codebookSchema?.[0];
  const books = (inputs.codebooks ?? []).map((b) => loadCodebook(b, schema));
  const codebookFor = codebookIndex(books);
  const sorted = [...(inputs.exports ?? [])].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const seen = new Map<string, string>();
  const refs = sorted.map((art) => {
    const ref = exportRef(art.path);
    const key = `${ref.wave}|${ref.area}`;
    const other = seen.get(key);
    if (other) throw new DataError(`two exports for ${ref.area} in wave ${ref.wave} (also ${other}); one export per panel and wave`, { file: art.path });
    seen.set(key, art.path);
    return ref;
  });
  // Wave first, then area: the order records come out in.
  const exportsInOrder = refs
    .map((ref, i) => ({ ref, art: sorted[i]! }))
    .sort((a, b) => a.ref.wave - b.ref.wave || (a.ref.area < b.ref.area ? -1 : a.ref.area > b.ref.area ? 1 : 0));
  const worker: WorkerInit = { codebooks: (inputs.codebooks ?? []).map(plain), schema: schema && plain(schema) };

  let summary: Summary | undefined;
  const records = { [Symbol.iterator]: () => cleanRows(exportsInOrder, codebookFor, worker, options, (s) => (summary = s)) };
  const summed = (): Summary => {
    if (!summary) for (const _ of records);
    return summary!;
  };
  return {
    'records.ndjson': { chunks: records, rows: () => summed().records },
    'quarantine.ndjson': () => ({ content: summed().quarantine, rows: summed().quarantined }),
    'cleaning-log.json': () => JSON.stringify(summed().log, null, 2) + '\n',
  };
}

/** What one complete reading of the exports adds up to. */
interface Summary {
  log: CleaningLog;
  records: number;
  quarantine: Uint8Array;
  quarantined: number;
}

/**
 * One pass over the exports: yields records.ndjson a piece at a time, in order, and at the end hands
 * `done` the quarantine and the log. A piece's buffer is written over by a later piece once the next one
 * is asked for (pages already in memory cost far less to fill than fresh ones), so at most a few pieces
 * are held at once.
 */
function* cleanRows(
  exportsInOrder: { ref: ExportRef; art: Artifact }[],
  codebookFor: (ref: ExportRef) => CompiledCodebook,
  workerInit: WorkerInit,
  options: CleanOptions,
  done: (summary: Summary) => void,
): Generator<Uint8Array, void, undefined> {
  const files: ExportState[] = exportsInOrder.map(({ ref, art }) => {
    const b = art.bytes;
    const bom = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
    return { ref, art, bom, input: bom ? b.subarray(3) : b, rawRows: 0, records: 0, quarantined: 0, tally: undefined, handedOver: false };
  });
  const pieceBytes = options.pieceBytes ?? 8 * 1024 * 1024;

  // Plan every export: a plain one becomes pieces; any other is read whole by csv-parse. A problem found
  // here (no codebook, a bad header) waits in the task list for its turn, so the first bad export in
  // wave and area order is the one reported whatever the threads do.
  const tasks: Task[] = [];
  files.forEach((f, file) => {
    try {
      f.book = codebookFor(f.ref);
      const layout = plainLayout(f.input);
      if (!layout) return tasks.push({ file, kind: 'whole' });
      f.header = layout.header;
      f.tally = emptyTally(headerColumns(layout.header, f.ref, f.book).length);
      for (const piece of plainPieces(f.input, layout, pieceBytes)) tasks.push({ file, kind: 'piece', piece });
    } catch (error) {
      tasks.push({ file, kind: 'failed', error });
    }
  });

  // Buffers to write over: records written here, records the worker wrote (shared with it, and given
  // back with its next task), and the shared copies of pieces the worker read.
  const hereBuffers: ArrayBufferLike[] = [];
  const workerBuffers: ArrayBufferLike[] = [];
  const inputBuffers: SharedArrayBuffer[] = [];
  // Records ready to hand on, in order, with where their buffer goes back to.
  const ready: { bytes: Uint8Array; back?: ArrayBufferLike[] }[] = [];
  const quarantine = new NdjsonWriter();
  const add = (f: ExportState, r: Cleaned, back?: ArrayBufferLike[]) => {
    if (r.recordCount) ready.push({ bytes: r.records, ...(back ? { back } : {}) });
    else if (back) back.push(r.records.buffer);
    if (r.quarantineCount) quarantine.pushLines(r.quarantine, r.quarantineCount);
    f.rawRows += r.rows;
    f.records += r.recordCount;
    f.quarantined += r.quarantineCount;
    addTally(f.tally!, r.tally);
  };
  const deliver = (r: TaskResult, i: number) => {
    if ('skipped' in r) return;
    if ('error' in r) {
      if (!files[tasks[i]!.file]!.handedOver || tasks[i]!.kind !== 'piece') throw r.error;
      return;
    }
    const back = r.from === 'worker' ? workerBuffers : r.from === 'here' ? hereBuffers : undefined;
    if (r.inputBuffer) inputBuffers.push(r.inputBuffer);
    const f = files[tasks[i]!.file]!;
    // Pieces after a handover were read by csv-parse: what they found on their own no longer counts.
    if (f.handedOver && tasks[i]!.kind === 'piece') {
      back?.push(r.records.buffer);
      return;
    }
    if (r.header) {
      f.header = r.header;
      f.tally = emptyTally(r.header.length);
    }
    add(f, r, back);
    if (r.handover) {
      // csv-parse judges the rest of the file from the row a plain piece could not read.
      f.handedOver = true;
      add(f, cleanWithCsvParse(f.input, f.ref, f.book!, { skip: 1 + f.rawRows, header: f.header! }));
    }
  };
  // Each piece is handed on, then (when the reader asks for the next) its buffer is free again.
  function* handOn(): Generator<Uint8Array, void, undefined> {
    while (ready.length) {
      const { bytes, back } = ready.shift()!;
      yield bytes;
      back?.push(bytes.buffer);
    }
  }
  const here = (i: number): TaskResult => {
    const task = tasks[i]!;
    if (task.kind === 'failed') return { error: task.error };
    const f = files[task.file]!;
    if (f.handedOver) return { skipped: true };
    try {
      return task.kind === 'piece' ? { ...cleanPiece(f.input, task.piece, f.ref, f.book!, f.header!, hereBuffers.pop()), from: 'here' } : cleanWithCsvParse(f.input, f.ref, f.book!, 'start');
    } catch (error) {
      return { error };
    }
  };

  const bytes = files.reduce((n, f) => n + f.input.length, 0);
  if (tasks.length < 2 || bytes < options.minBytesForWorker) {
    for (let i = 0; i < tasks.length; i++) {
      deliver(here(i), i);
      yield* handOn();
    }
    options.onWorkerTasks?.(0);
  } else {
    const results = eachWithWorker<WorkerTask | undefined, TaskResult, TaskResult>(tasks.length, {
      module: import.meta.url,
      tag: WORKER_TAG,
      init: workerInit,
      // Two, so the worker has the next piece at hand while this thread is still busy with one.
      inFlight: 2,
      post: (i) => {
        const task = tasks[i]!;
        const f = files[task.file]!;
        if (task.kind === 'failed' || f.handedOver) return undefined;
        // A copy in shared memory, which the worker reads where it lies (posting the export itself would
        // copy all of it).
        const from = task.kind === 'piece' ? task.piece.start : 0;
        const to = task.kind === 'piece' ? task.piece.end : f.input.length;
        const reused = task.kind === 'piece' ? takeBuffer(inputBuffers, to - from) : undefined;
        const copy = new Uint8Array(reused ?? new SharedArrayBuffer(task.kind === 'piece' ? Math.max(to - from, pieceBytes + (pieceBytes >> 3)) : to - from), 0, to - from);
        copy.set(f.input.subarray(from, to));
        return { path: f.art.path, bytes: copy, recycle: workerBuffers.splice(0), ...(task.kind === 'piece' ? { header: f.header!, firstLine: task.piece.firstLine } : {}) };
      },
      here,
      // A task with nothing to clean was not sent; its result (an error from planning) is made here.
      fromWorker: (r, i) => (tasks[i]!.kind === 'failed' ? here(i) : 'rows' in r && tasks[i]!.kind === 'piece' ? { ...r, from: 'worker' } : r),
      stops: (r) => 'error' in r,
    });
    let workerTasks = 0;
    try {
      for (let step = results.next(); ; step = results.next()) {
        if (step.done) {
          workerTasks = step.value.workerTasks;
          break;
        }
        deliver(step.value[0], step.value[1]);
        yield* handOn();
      }
    } finally {
      // Stops the worker when this pass ends early (an error, or a reader that stops reading).
      results.return({ workerTasks: 0 });
    }
    options.onWorkerTasks?.(workerTasks);
  }

  const log: CleaningLog = { synthetic: false, files: {} };
  for (const f of files) {
    const book = f.book!;
    if (book.synthetic) log.synthetic = true;
    log.files[f.ref.file] = {
      wave: f.ref.wave,
      area: f.ref.area,
      codebook: book.file,
      synthetic: book.synthetic,
      bom_stripped: f.bom,
      raw_rows: f.rawRows,
      records: f.records,
      quarantined: f.quarantined,
      changed_questions: [...book.columns.values()]
        .filter((c) => c.change)
        .map((c) => ({ column: c.header, variable: c.variable, changed_from_wave: c.change!.fromWave, note: c.change!.note })),
      columns: columnLogs(headerColumns(f.header!, f.ref, book), f.tally!),
    };
  }
  done({ log, records: files.reduce((n, f) => n + f.records, 0), quarantine: quarantine.finish(), quarantined: quarantine.count });
}

/** A pooled buffer of at least `size` bytes, if one is free (smaller ones are let go). */
function takeBuffer(pool: SharedArrayBuffer[], size: number): SharedArrayBuffer | undefined {
  for (let b = pool.pop(); b; b = pool.pop()) if (b.byteLength >= size) return b;
  return undefined;
}

type Cleaned = Extract<TaskResult, { rows: number }>;

/**
 * Cleans the plain rows of one piece; a row with another number of cells stops it (`handover`). The
 * records are written into `reuse` when given, and left in a buffer that keeps its size for reuse (a
 * new one is shared memory when `shared`).
 */
function cleanPiece(input: Uint8Array, piece: Piece, ref: ExportRef, book: CompiledCodebook, header: string[], reuse?: ArrayBufferLike, shared = false): Cleaned {
  const plan = planRows(header, ref, book);
  const out = { records: new NdjsonWriter(reuse, shared), quarantine: new NdjsonWriter() };
  const { rows, handover } = scanPlainRows(input, piece, header.length, (starts, ends, hashes, line) => {
    plan.plain(input, starts, ends, hashes, line, out.records, out.quarantine);
  });
  return { ...cleaned(rows, plan, out, 'lend'), ...(handover !== undefined ? { handover: true as const } : {}) };
}

/**
 * Cleans an export as csv-parse reads it: from the start (the first record is the header, returned with
 * the result), or, given the `header` read before, from after the first `skip` records (the header counts
 * as one). csv-parse's errors become DataErrors.
 */
function cleanWithCsvParse(input: Uint8Array, ref: ExportRef, book: CompiledCodebook, from: { skip: number; header: string[] } | 'start', shared = false): Cleaned {
  let plan: RowPlan | undefined = from === 'start' ? undefined : planRows(from.header, ref, book);
  let header: string[] | undefined;
  let rows = 0;
  const out = { records: new NdjsonWriter(undefined, shared), quarantine: new NdjsonWriter() };
  try {
    readWithCsvParse(
      input,
      (cells, endLine) => {
        if (!plan) {
          header = cells;
          plan = planRows(cells, ref, book);
          return;
        }
        rows++;
        plan.strings(cells, endLine, out.records, out.quarantine);
      },
      from === 'start' ? 0 : from.skip,
    );
  } catch (e) {
    if (e instanceof DataError) throw e;
    const err = e as Error & { lines?: number };
    throw new DataError(`not readable as CSV: ${err.message}`, { file: ref.file, line: err.lines });
  }
  if (!plan) throw new DataError('export is empty: expected a header line naming the columns', { file: ref.file });
  return { ...cleaned(rows, plan, out), ...(header ? { header } : {}) };
}

/** What a plan wrote for `rows` rows, as a task's result. */
function cleaned(rows: number, plan: RowPlan, out: { records: NdjsonWriter; quarantine: NdjsonWriter }, records: 'finish' | 'lend' = 'finish'): Cleaned {
  plan.flush(out.records);
  return {
    rows,
    recordCount: out.records.count,
    records: records === 'lend' ? out.records.lend() : out.records.finish(),
    quarantineCount: out.quarantine.count,
    quarantine: out.quarantine.finish(),
    tally: plan.tally(),
  };
}

/**
 * A task as the worker receives it: a shared copy of a piece (with the header and its first line) or of a
 * whole export.
 */
interface WorkerTask {
  path: string;
  bytes: Uint8Array;
  /** Buffers of records the worker wrote before, handed on and free to write over. */
  recycle: ArrayBufferLike[];
  header?: string[];
  firstLine?: number;
}
interface PlainArtifact {
  path: string;
  bytes: Uint8Array;
}
interface WorkerInit {
  codebooks: PlainArtifact[];
  schema: PlainArtifact | undefined;
}
const WORKER_TAG = 'coproduction-clean-piece';
const plain = (a: Artifact): PlainArtifact => ({ path: a.path, bytes: a.bytes });

// The worker thread's side: the same codebooks, the same cleaning, its records written in shared memory.
// A task it cannot clean (an error) is cleaned again on the calling thread, which throws with the full
// context.
serveWorker<WorkerTask | undefined, TaskResult>(WORKER_TAG, ({ codebooks, schema }: WorkerInit) => {
  const schemaArt = schema && artifact(schema.path, schema.bytes);
  const codebookFor = codebookIndex(codebooks.map((b) => loadCodebook(artifact(b.path, b.bytes), schemaArt)));
  const free: ArrayBufferLike[] = [];
  return (task) => {
    if (!task) return { skipped: true };
    free.push(...task.recycle);
    const ref = exportRef(task.path);
    const book = codebookFor(ref);
    return task.header
      ? { ...cleanPiece(task.bytes, { start: 0, end: task.bytes.length, firstLine: task.firstLine! }, ref, book, task.header, free.pop(), true), inputBuffer: task.bytes.buffer as SharedArrayBuffer }
      : cleanWithCsvParse(task.bytes, ref, book, 'start', true);
  };
});
