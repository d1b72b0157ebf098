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
 * Inputs: `exports` (raw/<wave>/*.csv), `codebooks` (raw/codebooks/*.json), optionally `codebookSchema`
 * (schemas/codebook.schema.json; the bundled copy is used when it is not declared). Params: none (`{}`).
 */
import { artifact, DataError, type Artifact, type StepInputs, type StepOutputs } from '../runner/step.js';
import { decodeCell, loadCodebook, normaliseLabel, type CompiledCodebook, type CompiledColumn } from './survey/codebook.js';
import { forEachCsvRow } from './survey/csv-rows.js';
import { codebookIndex, exportRef, type ExportRef } from './survey/exports.js';
import { runWithWorker, serveWorker } from './survey/worker-thread.js';
import { NdjsonWriter } from './survey/ndjson.js';
import { RecordLine } from './survey/record-line.js';
import { THEME_FIELDS, THEMES, SUB_ITEMS, RESPONDENT_FIELDS } from './survey/vocabulary.js';

/** clean takes no parameters; the codebooks carry every choice. */
export type CleanParams = Record<string, never>;

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

interface CellEntry {
  raw: string;
  count: number;
  kind: 'code' | 'dont_know' | 'blank' | 'unknown';
  code: number | string | null;
  /** The value as JSON followed by the record template's text up to the next value, as UTF-8. */
  tail: Uint8Array | undefined;
  newlines: number;
}

export default function clean(inputs: StepInputs, _params: CleanParams = {}): StepOutputs {
  return cleanExports(inputs, { minBytesForWorker: 32 * 1024 * 1024 });
}

export interface CleanOptions {
  /** Least total export size worth starting a worker thread for (it costs a few hundred milliseconds). */
  minBytesForWorker: number;
  /** Told how many files the worker cleaned (tests and benchmarks; the output never depends on it). */
  onWorkerFiles?: (files: number) => void;
}

/**
 * clean with its thread use stated (tests force the worker on small data). Exports are cleaned one file
 * per task, on this thread and a worker thread; the output does not depend on which thread cleaned what.
 */
export function cleanExports(inputs: StepInputs, options: CleanOptions): StepOutputs {
  // The codebook schema may be declared as an input (so a change to it reruns clean); otherwise the bundled copy.
  const schema = inputs.codebookSchema?.[0];
  const books = (inputs.codebooks ?? []).map((b) => loadCodebook(b, schema));
  const codebookFor = codebookIndex(books);
  const exports = [...(inputs.exports ?? [])].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const seen = new Map<string, string>();
  const refs = exports.map((art) => {
    const ref = exportRef(art.path);
    const key = `${ref.wave}|${ref.area}`;
    const other = seen.get(key);
    if (other) throw new DataError(`two exports for ${ref.area} in wave ${ref.wave} (also ${other}); one export per panel and wave`, { file: art.path });
    seen.set(key, art.path);
    return ref;
  });
  // Wave first, then area: the order records come out in.
  const order = refs.map((ref, i) => ({ ref, art: exports[i]! })).sort((a, b) => a.ref.wave - b.ref.wave || (a.ref.area < b.ref.area ? -1 : a.ref.area > b.ref.area ? 1 : 0));

  const records = new NdjsonWriter();
  const quarantine = new NdjsonWriter();
  const log: CleaningLog = { synthetic: false, files: {} };
  let delivered = 0;
  const deliver = (r: FileResult, i: number) => {
    if ('error' in r) throw r.error;
    const { ref } = order[i]!;
    if (r.records) records.pushLines(r.records, r.recordCount);
    if (r.quarantine) quarantine.pushLines(r.quarantine, r.quarantineCount);
    log.files[ref.file] = r.log;
    if (r.synthetic) log.synthetic = true;
    delivered = i + 1;
  };
  // A file whose turn it is writes straight into the outputs; one cleaned ahead of its turn (while the
  // worker thread holds an earlier one) writes into its own buffers, appended when its turn comes.
  const here = (i: number): FileResult => {
    const { ref, art } = order[i]!;
    const direct = delivered === i;
    const recordsOut = direct ? records : new NdjsonWriter();
    const quarantineOut = direct ? quarantine : new NdjsonWriter();
    try {
      const book = codebookFor(ref);
      const fileLog = cleanFile(art, ref, book, recordsOut, quarantineOut);
      if (direct) return { log: fileLog, synthetic: book.synthetic, recordCount: 0, quarantineCount: 0 };
      return { log: fileLog, synthetic: book.synthetic, records: recordsOut.finish(), recordCount: recordsOut.count, quarantine: quarantineOut.finish(), quarantineCount: quarantineOut.count };
    } catch (error) {
      return { error };
    }
  };
  const bytes = order.reduce((n, { art }) => n + art.bytes.length, 0);
  if (order.length < 2 || bytes < options.minBytesForWorker) {
    for (let i = 0; i < order.length; i++) deliver(here(i), i);
    options.onWorkerFiles?.(0);
  } else {
    const { workerTasks } = runWithWorker<WorkerTask, FileResult, FileResult>(order.length, {
      module: import.meta.url,
      tag: WORKER_TAG,
      init: { codebooks: (inputs.codebooks ?? []).map(plain), schema: schema && plain(schema) } satisfies WorkerInit,
      inFlight: 1,
      post: (i) => {
        // A copy of the export in a buffer of its own, moved (not copied again) to the worker. Not
        // `bytes.slice()`: on a Node Buffer that shares memory, and moving it would take the input away.
        const { art } = order[i]!;
        const copy = new Uint8Array(art.bytes);
        return { input: { path: art.path, bytes: copy }, transfer: [copy.buffer] };
      },
      here,
      fromWorker: (r) => r,
      deliver,
      stops: (r) => 'error' in r,
    });
    options.onWorkerFiles?.(workerTasks);
  }
  return {
    'records.ndjson': { content: records.finish(), rows: records.count },
    'quarantine.ndjson': { content: quarantine.finish(), rows: quarantine.count },
    'cleaning-log.json': JSON.stringify(log, null, 2) + '\n',
  };
}

/** One export cleaned: its log, and its lines unless they were written straight into the outputs. */
type FileResult =
  | { log: FileLog; synthetic: boolean; records?: Uint8Array; recordCount: number; quarantine?: Uint8Array; quarantineCount: number }
  | { error: unknown };

interface PlainArtifact {
  path: string;
  bytes: Uint8Array;
}
type WorkerTask = PlainArtifact;
interface WorkerInit {
  codebooks: PlainArtifact[];
  schema: PlainArtifact | undefined;
}
const WORKER_TAG = 'coproduction-clean-file';
const plain = (a: Artifact): PlainArtifact => ({ path: a.path, bytes: a.bytes });

// The worker thread's side: the same codebooks, the same cleanFile, its output moved back.
serveWorker<WorkerTask, FileResult>(WORKER_TAG, ({ codebooks, schema }: WorkerInit) => {
  const schemaArt = schema && artifact(schema.path, schema.bytes);
  const codebookFor = codebookIndex(codebooks.map((b) => loadCodebook(artifact(b.path, b.bytes), schemaArt)));
  return ({ path, bytes }) => {
    const ref = exportRef(path);
    const book = codebookFor(ref);
    const recordsOut = new NdjsonWriter();
    const quarantineOut = new NdjsonWriter();
    const fileLog = cleanFile(artifact(path, bytes), ref, book, recordsOut, quarantineOut);
    const records = recordsOut.finish();
    const quarantine = quarantineOut.finish();
    return {
      output: { log: fileLog, synthetic: book.synthetic, records, recordCount: recordsOut.count, quarantine, quarantineCount: quarantineOut.count },
      transfer: [records.buffer as ArrayBuffer, quarantine.buffer as ArrayBuffer],
    };
  };
});

function cleanFile(art: Artifact, ref: ExportRef, book: CompiledCodebook, records: NdjsonWriter, quarantine: NdjsonWriter): FileLog {
  const b = art.bytes;
  const bom = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
  const input = bom ? b.subarray(3) : b;

  let plan: RowPlan | undefined;
  let rawRows = 0;
  let quarantined = 0;
  const before = records.count;
  try {
    forEachCsvRow(input, (row, endLine) => {
      if (!plan) {
        plan = planFile(row, ref, book);
        return;
      }
      rawRows++;
      if (!plan.row(row, endLine, records, quarantine)) quarantined++;
    });
  } catch (e) {
    if (e instanceof DataError) throw e;
    const err = e as Error & { lines?: number; code?: string };
    throw new DataError(`not readable as CSV: ${err.message}`, { file: ref.file, line: err.lines });
  }
  if (!plan) throw new DataError('export is empty: expected a header line naming the columns', { file: ref.file });
  return {
    wave: ref.wave,
    area: ref.area,
    codebook: book.file,
    synthetic: book.synthetic,
    bom_stripped: bom,
    raw_rows: rawRows,
    records: records.count - before,
    quarantined,
    changed_questions: [...book.columns.values()]
      .filter((c) => c.change)
      .map((c) => ({ column: c.header, variable: c.variable, changed_from_wave: c.change!.fromWave, note: c.change!.note })),
    columns: plan.columnLogs(),
  };
}

interface RowPlan {
  /** Writes the row's record (true) or its quarantine entry (false). */
  row(cells: string[], endLine: number, records: NdjsonWriter, quarantine: NdjsonWriter): boolean;
  columnLogs(): Record<string, ColumnLog>;
}

/** Checks the header against the codebook and compiles the per-row work for this file. */
function planFile(header: string[], ref: ExportRef, book: CompiledCodebook): RowPlan {
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
  const columns = names.map((n) => book.columns.get(n)!);
  const idIndex = columns.findIndex((c) => c.path.kind === 'respondent' && c.path.field === 'respondent_id');

  // The record's JSON is a fixed template per file: build it once with numbered holes, fill per row.
  const template = recordTemplate(ref, columns);
  // As bytes: each column's value is stored together with the template text that follows it, so a
  // record is written as a few copies of ready-made bytes (one per column) instead of a joined string.
  const parts = template.parts.map((p) => utf8.encode(p));
  const holes = template.holes;
  const tailOf = columns.map((_, i) => {
    const h = holes.indexOf(i);
    return h === -1 ? undefined : template.parts[h + 1]!;
  });
  const line = new RecordLine();
  const caches = columns.map(() => new Map<string, CellEntry>());
  // Most cells are one ASCII character or empty: those entries are also found by character code, which
  // skips hashing the cell. Slot 128 holds the empty cell.
  const short = columns.map(() => new Array<CellEntry | undefined>(129).fill(undefined));
  let idBlanks = 0;
  // Reused for every row: only read before the next row overwrites it.
  const entries: CellEntry[] = new Array(columns.length);

  return {
    row(cells, endLine, records, quarantine) {
      let newlines = 0;
      let unknownAt = -1;
      let unknownCount = 0;
      for (let i = 0; i < cells.length; i++) {
        if (i === idIndex) continue;
        const raw = cells[i]!;
        const slot = raw.length === 0 ? 128 : raw.length === 1 && raw.charCodeAt(0) < 128 ? raw.charCodeAt(0) : -1;
        let entry = slot !== -1 ? short[i]![slot] : caches[i]!.get(raw);
        if (!entry) {
          entry = decodeEntry(columns[i]!, raw, tailOf[i]);
          caches[i]!.set(raw, entry);
          if (slot !== -1) short[i]![slot] = entry;
        }
        entry.count++;
        newlines += entry.newlines;
        entries[i] = entry;
        if (entry.kind === 'unknown') {
          unknownCount++;
          if (unknownAt === -1) unknownAt = i;
        }
      }
      const rawId = cells[idIndex]!;
      const id = rawId.trim();
      if (id === '') idBlanks++;
      for (let k = rawId.indexOf('\n'); k !== -1; k = rawId.indexOf('\n', k + 1)) newlines++;
      // csv-parse reports the line a record ends on; quoted line breaks inside it move its start back.
      const sourceLine = endLine - newlines;

      if (unknownAt !== -1) {
        const col = columns[unknownAt]!;
        const value = cells[unknownAt]!;
        const first = columns.findIndex((c, i) => entries[i]?.kind === 'unknown' && c.onUnknown === 'error');
        if (first !== -1) {
          throw new DataError(`label not in codebook ${book.file} (add it under "labels", or set "on_unknown": "quarantine")`, {
            file: ref.file,
            line: sourceLine,
            column: columns[first]!.header,
            value: cells[first],
          });
        }
        quarantine.push(
          JSON.stringify({
            wave: ref.wave,
            area: ref.area,
            respondent_id: id === '' ? null : id,
            source: { file: ref.file, line: sourceLine },
            reason: `label not in codebook ${book.file}` + (unknownCount > 1 ? ` (and ${unknownCount - 1} more cells in this row)` : ''),
            column: col.header,
            value,
          }),
        );
        return false;
      }

      line.start(parts[0]!);
      for (let h = 0; h < holes.length; h++) {
        const c = holes[h]!;
        if (c === ID_HOLE) {
          line.jsonString(id === '' ? null : id);
          line.bytes(parts[h + 1]!);
        } else if (c === LINE_HOLE) {
          line.integer(sourceLine);
          line.bytes(parts[h + 1]!);
        } else line.bytes(entries[c]!.tail!);
      }
      records.pushBytes(line.done());
      return true;
    },

    columnLogs() {
      const out: Record<string, ColumnLog> = {};
      columns.forEach((col, i) => {
        const log: ColumnLog = { variable: col.variable, recodes: {}, passed_through: {}, dont_know: {}, blank: 0, trimmed: 0, case_folded: 0, quarantined: {} };
        if (i === idIndex) log.blank = idBlanks;
        const sorted = [...caches[i]!.values()].sort((a, b) => (a.raw < b.raw ? -1 : a.raw > b.raw ? 1 : 0));
        for (const e of sorted) {
          if (e.count === 0) continue;
          const trimmed = e.raw.trim();
          const label = normaliseLabel(e.raw);
          if (trimmed === '') {
            log.blank += e.count;
            continue;
          }
          if (trimmed !== e.raw) log.trimmed += e.count;
          if (label !== trimmed) log.case_folded += e.count;
          if (e.kind === 'unknown') log.quarantined[label] = (log.quarantined[label] ?? 0) + e.count;
          else if (e.kind === 'dont_know') log.dont_know[label] = (log.dont_know[label] ?? 0) + e.count;
          else if (!col.lookup.has(label)) log.passed_through[label] = (log.passed_through[label] ?? 0) + e.count;
          else {
            const r = (log.recodes[label] ??= { code: e.code, count: 0 });
            r.count += e.count;
          }
        }
        out[col.header] = sortKeys(log);
      });
      return out;
    },
  };
}

function sortKeys(log: ColumnLog): ColumnLog {
  const sort = <T>(o: Record<string, T>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { ...log, recodes: sort(log.recodes), passed_through: sort(log.passed_through), dont_know: sort(log.dont_know), quarantined: sort(log.quarantined) };
}

function decodeEntry(col: CompiledColumn, raw: string, after: string | undefined): CellEntry {
  let newlines = 0;
  for (let k = raw.indexOf('\n'); k !== -1; k = raw.indexOf('\n', k + 1)) newlines++;
  const cell = decodeCell(col, raw);
  const [kind, code, json]: [CellEntry['kind'], CellEntry['code'], string] =
    cell.kind === 'code' ? ['code', cell.code, JSON.stringify(cell.code)] : cell.kind === 'dont_know' ? ['dont_know', 'dont_know', '"dont_know"'] : [cell.kind, null, 'null'];
  return { raw, count: 0, kind, code, tail: after === undefined ? undefined : utf8.encode(json + after), newlines };
}

const utf8 = new TextEncoder();

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
