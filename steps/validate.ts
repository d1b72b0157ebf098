/**
 * validate: clean's records → valid records, plus every row set aside with its reasons.
 *
 *   records.ndjson ── schema (ajv, all errors) ── duplicate IDs per wave and area ──┬─ valid.ndjson
 *   quarantine.ndjson ───────────────────────────────────────────────────────────────┼─ rejected.ndjson
 *   cleaning-log.json ── raw rows per file ── raw rows = valid + rejected? ───────────┴─ validation-report.json
 *
 * A respondent ID that occurs more than once in one wave and area rejects every row carrying it: the
 * export cannot say which row is the respondent, so keeping the first would be arbitrary.
 */
import type { ValidateFunction } from 'ajv';
import { DataError, type Artifact, type OutputFile, type StepInputs, type StreamingStepOutputs } from '../runner/step.js';
import type { CleaningLog } from './clean.js';
import { FirstSeen, SeenKeys } from './survey/id-table.js';
import { forEachLine, NdjsonWriter, withoutLines } from './survey/ndjson.js';
import type { Reason } from './survey/record-check.js';
import { checkPieces, compileRecordSchema } from './survey/record-pool.js';
import type { QuarantineEntry } from './survey/record.js';

export interface ValidateParams {
  /** Largest share of a file's raw rows that may be rejected (clean's quarantine included), e.g. 0.02. */
  maxRejectRate: number;
}

export type { Reason };

export interface RejectedEntry {
  stage: 'clean' | 'validate';
  source: { file: string; line: number };
  wave: unknown;
  area: unknown;
  respondent_id: unknown;
  reasons: Reason[];
  record?: unknown;
}

export interface FileReport {
  raw_rows: number;
  valid: number;
  rejected: number;
  rejected_by_clean: number;
  rejected_by_schema: number;
  rejected_duplicate_id: number;
  reject_rate: number;
  /** `raw_rows = valid + rejected`, checked. */
  balanced: true;
}

export interface ValidationReport {
  synthetic: boolean;
  max_reject_rate: number;
  files: Record<string, FileReport>;
  totals: { raw_rows: number; valid: number; rejected: number };
}

function one(inputs: StepInputs, name: string): Artifact {
  const list = inputs[name] ?? [];
  if (list.length !== 1) throw new DataError(`validate expects exactly one "${name}" input, got ${list.length}`, { value: list.map((a) => a.path) });
  return list[0]!;
}

// The validator is compiled once per schema text, not per call or per row.
const compiled = new Map<string, ValidateFunction>();
function validatorFor(schema: Artifact): ValidateFunction {
  const key = schema.text();
  let fn = compiled.get(key);
  if (!fn) {
    try {
      fn = compileRecordSchema(schema.json());
    } catch (e) {
      throw new DataError(`record schema does not compile: ${(e as Error).message}`, { file: schema.path });
    }
    compiled.set(key, fn);
  }
  return fn;
}

export default function validate(inputs: StepInputs, params: ValidateParams): StreamingStepOutputs {
  return validateRecords(inputs, params, { pieceBytes: 4 * 1024 * 1024, piecesBeforeWorker: 1 });
}

export interface ValidateOptions {
  /** The records are read, and checked, in pieces of this many bytes (cut at line ends). */
  pieceBytes: number;
  /** Pieces checked on this thread alone before a worker thread is started for the rest (it costs a few hundred milliseconds). */
  piecesBeforeWorker: number;
}

/**
 * validate with its reading and thread use stated (tests force small pieces and the worker on small
 * data). The records are read twice, a piece at a time, and never held whole: once to check every record
 * (on this thread and a worker thread; the output does not depend on which thread checked what), and again
 * as valid.ndjson is written, leaving out the rows set aside. A duplicate found late rejects a row read
 * early, so nothing can be written before the first reading ends.
 */
export function validateRecords(inputs: StepInputs, params: ValidateParams, options: ValidateOptions): StreamingStepOutputs {
  const limit = params?.maxRejectRate;
  if (typeof limit !== 'number' || !(limit >= 0 && limit <= 1)) {
    throw new DataError('params.maxRejectRate must be a number between 0 and 1', { path: 'params.maxRejectRate', value: limit });
  }
  const recordsArt = one(inputs, 'records');
  const quarantineArt = one(inputs, 'quarantine');
  const logArt = one(inputs, 'log');
  const schemaArt = one(inputs, 'schema');
  const check = validatorFor(schemaArt);
  const log = logArt.json<CleaningLog>();
  if (!log || typeof log.files !== 'object') throw new DataError('cleaning log has no "files" section', { file: logArt.path, path: '/files' });

  const counts = new Map<string, { valid: number; clean: number; schema: number; duplicate: number }>();
  for (const file of Object.keys(log.files)) counts.set(file, { valid: 0, clean: 0, schema: 0, duplicate: 0 });
  const countsFor = (file: unknown, where: { file: string; line: number }) => {
    const c = typeof file === 'string' ? counts.get(file) : undefined;
    if (!c) throw new DataError('record names a source file the cleaning log does not list', { ...where, value: file });
    return c;
  };

  // First reading: every record checked, in runs of whole lines merged in input order, so the first bad
  // line in the file is the one reported. Records are known afterwards by the byte offset of their line.
  const files = [...counts.keys()];
  const failures = new Map<number, { file: number; reasons: Reason[] }>();
  const empties: number[] = [];
  const perFile = new Array<number>(files.length).fill(0);
  const keys = new SeenKeys();
  const firstSeen = new FirstSeen((id) => keys.key(id));
  const duplicates = new Set<number>();
  // Records (non-empty lines), and lines of any kind: the line an error names.
  let total = 0;
  let lines = 0;
  let failed: DataError | undefined;
  for (const { result: r, base } of checkPieces(recordsArt.chunks(options.pieceBytes), files, schemaArt.json(), check, options)) {
    // After a run holding an error nothing more is checked; the file is read to its end before the error is thrown.
    if (r.error && !failed) {
      const { line, message } = r.error;
      failed = new DataError(message, { file: recordsArt.path, line: lines + line + 1, ...('value' in r.error ? { value: r.error.value } : {}) });
    }
    if (failed) continue;
    total += r.lines;
    lines += r.lines + r.empties.length;
    r.perFile.forEach((n, fi) => (perFile[fi] = perFile[fi]! + n));
    for (const f of r.failures) failures.set(base + f.at, { file: f.file, reasons: f.reasons });
    for (const at of r.empties) empties.push(base + at);
    const first = keys.addRun(r, base);
    for (let k = 0; k < r.idHashes.length; k++) {
      const earlier = firstSeen.addHashed(r.idHashes[k]!, first + k);
      if (earlier !== -1) {
        duplicates.add(earlier);
        duplicates.add(first + k);
      }
    }
  }
  if (failed) throw failed;

  // The rows set aside, by the offset of their line: the schema's reasons, and whether their ID repeats.
  const setAside = new Map<number, { reasons: Reason[]; duplicate: boolean }>();
  for (const [at, f] of failures) {
    setAside.set(at, { reasons: f.reasons, duplicate: false });
    counts.get(files[f.file]!)!.schema++;
  }
  for (const id of duplicates) {
    const at = keys.offset(id);
    const c = counts.get(files[keys.file(id)]!)!;
    const entry = setAside.get(at);
    if (entry) {
      entry.duplicate = true;
      c.schema--;
    } else setAside.set(at, { reasons: [], duplicate: true });
    c.duplicate++;
  }
  files.forEach((file, fi) => {
    const c = counts.get(file)!;
    c.valid = perFile[fi]! - c.schema - c.duplicate;
  });
  const validCount = total - setAside.size;
  // What valid.ndjson leaves out: each of these lines, up to and with its newline.
  const leftOut = [...setAside.keys(), ...empties].sort((a, b) => a - b);

  const cleanRejected: RejectedEntry[] = [];
  forEachLine(quarantineArt.bytes, (line, i) => {
    let q: QuarantineEntry;
    try {
      q = JSON.parse(line) as QuarantineEntry;
    } catch (e) {
      throw new DataError(`not a JSON quarantine entry: ${(e as Error).message}`, { file: quarantineArt.path, line: i + 1 });
    }
    countsFor(q.source?.file, { file: quarantineArt.path, line: i + 1 }).clean++;
    cleanRejected.push({
      stage: 'clean',
      source: q.source,
      wave: q.wave,
      area: q.area,
      respondent_id: q.respondent_id,
      reasons: [{ path: '', column: q.column, value: q.value, message: q.reason }],
    });
  });

  const report: ValidationReport = { synthetic: log.synthetic === true, max_reject_rate: limit, files: {}, totals: { raw_rows: 0, valid: 0, rejected: 0 } };
  const overLimit: string[] = [];
  for (const file of [...counts.keys()].sort()) {
    const c = counts.get(file)!;
    const raw = log.files[file]!.raw_rows;
    const rejectedRows = c.clean + c.schema + c.duplicate;
    if (raw !== c.valid + rejectedRows) {
      throw new DataError(`rows lost or invented: ${raw} raw rows but ${c.valid} valid + ${rejectedRows} rejected`, { file, value: { raw_rows: raw, valid: c.valid, rejected: rejectedRows } });
    }
    const rate = raw === 0 ? 0 : rejectedRows / raw;
    report.files[file] = {
      raw_rows: raw,
      valid: c.valid,
      rejected: rejectedRows,
      rejected_by_clean: c.clean,
      rejected_by_schema: c.schema,
      rejected_duplicate_id: c.duplicate,
      reject_rate: Math.round(rate * 1e6) / 1e6,
      balanced: true,
    };
    report.totals.raw_rows += raw;
    report.totals.valid += c.valid;
    report.totals.rejected += rejectedRows;
    if (rate > limit) overLimit.push(`${file}: ${(rate * 100).toFixed(2)}% of ${raw} rows rejected`);
  }
  if (overLimit.length) {
    throw new DataError(
      `reject rate above the limit of ${(limit * 100).toFixed(2)}% (params.maxRejectRate = ${limit}) in ${overLimit.join('; ')}. ` +
        'Read rejected reasons by running with a higher params.maxRejectRate, then fix the export or its codebook.',
      { file: overLimit[0]!.split(':')[0], path: 'params.maxRejectRate', value: limit },
    );
  }

  // Second reading, as valid.ndjson is written: the rows set aside are kept (they are few: at most
  // maxRejectRate of each file) for rejected.ndjson, which the runner asks for afterwards.
  let kept: Map<number, Uint8Array> | undefined;
  function* secondReading(): Generator<Uint8Array> {
    const lines = new Map<number, Uint8Array>();
    yield* withoutLines(recordsArt.chunks(options.pieceBytes), leftOut, setAside, lines);
    kept = lines;
  }
  const rejectedFile = (): OutputFile => {
    // Asked for without valid.ndjson having been read through: a reading of its own.
    if (!kept) for (const _ of secondReading());
    const decoder = new TextDecoder();
    const rejected = [...cleanRejected];
    for (const [at, bytes] of kept!) {
      const record = JSON.parse(decoder.decode(bytes));
      const { reasons, duplicate } = setAside.get(at)!;
      const all = duplicate
        ? [...reasons, { path: '/respondent_id', message: `respondent ID occurs more than once in ${record.area}, wave ${record.wave}: every row with it is rejected`, value: record.respondent_id }]
        : reasons;
      rejected.push({ stage: 'validate', source: record.source, wave: record.wave, area: record.area, respondent_id: record.respondent_id, reasons: all, record });
    }
    rejected.sort((a, b) => (a.source.file < b.source.file ? -1 : a.source.file > b.source.file ? 1 : a.source.line - b.source.line));
    const out = new NdjsonWriter();
    for (const e of rejected) out.push(JSON.stringify(e));
    return { content: out.finish(), rows: out.count };
  };
  return {
    // Read again from the start each time it is iterated (a generator object could be read only once).
    'valid.ndjson': { chunks: { [Symbol.iterator]: secondReading }, rows: validCount },
    'rejected.ndjson': rejectedFile,
    'validation-report.json': JSON.stringify(report, null, 2) + '\n',
  };
}
