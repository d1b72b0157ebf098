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
import { DataError, type Artifact, type StepInputs, type StreamingStepOutputs } from '../runner/step.js';
import type { CleaningLog } from './clean.js';
import { FirstSeen } from './survey/id-table.js';
import { forEachLine, lineBlocks, NdjsonWriter } from './survey/ndjson.js';
import { idKey, type Reason } from './survey/record-check.js';
import { checkBlocks, compileRecordSchema } from './survey/record-pool.js';
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
  return validateRecords(inputs, params, { blockBytes: 4 * 1024 * 1024, minBlocksForWorker: 32 });
}

export interface ValidateOptions {
  /** Records are checked in blocks of about this many bytes (whole lines). */
  blockBytes: number;
  /** Fewest blocks worth starting a worker thread for (it costs a few hundred milliseconds). */
  minBlocksForWorker: number;
}

/**
 * validate with its thread use stated (tests force the worker on small data). Blocks of records are
 * checked on this thread and a worker thread; the output does not depend on which thread checked what.
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

  // Pass 1: check every record, a block of lines at a time; merged in block order, so the first bad line
  // in the file is the one reported.
  const files = [...counts.keys()];
  const fileIndex = new Map(files.map((f, i) => [f, i]));
  // In shared memory: blocks checked on the worker thread are read there in place, not copied.
  const bytes = recordsArt.shared();
  const blocks = lineBlocks(bytes, options.blockBytes);
  const { results } = checkBlocks(bytes, blocks, files, schemaArt.json(), check, options);
  // Records are found again by byte offset: the schema's reasons, the ID table and pass 2 all key on it.
  const lineAt = (offset: number) => {
    const end = bytes.indexOf(10, offset);
    return JSON.parse(lineDecoder.decode(bytes.subarray(offset, end === -1 ? bytes.length : end)));
  };
  const lineDecoder = new TextDecoder();
  const firstSeen = new FirstSeen((offset) => idKey(lineAt(offset)));
  const failures = new Map<number, Reason[]>();
  const duplicates = new Set<number>();
  const perFile = new Array<number>(files.length).fill(0);
  const empties: number[] = [];
  let total = 0;
  for (let b = 0; b < results.length; b++) {
    const r = results[b];
    // Blocks after the first one holding an error are left unchecked; the error is thrown before them.
    if (!r) throw new Error(`validate: block ${b} of the records was never checked`);
    const base = blocks[b]![0];
    if (r.notUtf8 !== undefined) throw new TypeError(r.notUtf8);
    if (r.error) {
      const { line, message } = r.error;
      throw new DataError(message, { file: recordsArt.path, line: total + line + 1, ...('value' in r.error ? { value: r.error.value } : {}) });
    }
    total += r.lines;
    r.perFile.forEach((n, fi) => (perFile[fi] = perFile[fi]! + n));
    for (const f of r.failures) failures.set(base + f.at, f.reasons);
    for (const at of r.empties) empties.push(base + at);
    for (let k = 0; k < r.idCount; k++) {
      const at = base + r.idOffsets[k]!;
      const first = firstSeen.addHashed(r.idHashes[k]!, at);
      if (first !== -1) {
        duplicates.add(first);
        duplicates.add(at);
      }
    }
  }
  results.length = 0;

  // Pass 2: the records set aside, in file order, with their reasons. Rejected rows are few (at most
  // maxRejectRate of each file), so they are kept as entries.
  const rejectedAt = [...new Set([...failures.keys(), ...duplicates])].sort((a, b) => a - b);
  const rejected: RejectedEntry[] = [];
  // What valid.ndjson leaves out: rejected lines with their newline, and empty lines.
  const gaps: [number, number][] = [];
  for (const at of rejectedAt) {
    const record = lineAt(at);
    const c = counts.get(files[fileIndex.get(record.source.file)!]!)!;
    const reasons = [...(failures.get(at) ?? [])];
    if (duplicates.has(at)) {
      reasons.push({ path: '/respondent_id', message: `respondent ID occurs more than once in ${record.area}, wave ${record.wave}: every row with it is rejected`, value: record.respondent_id });
      c.duplicate++;
    } else c.schema++;
    const entry: RejectedEntry = { stage: 'validate', source: record.source, wave: record.wave, area: record.area, respondent_id: record.respondent_id, reasons, record };
    rejected.push(entry);
    const end = bytes.indexOf(10, at);
    gaps.push([at, end === -1 ? bytes.length : end + 1]);
  }
  for (const at of empties) gaps.push([at, at + 1]);
  gaps.sort((a, b) => a[0] - b[0]);
  files.forEach((file, fi) => {
    const c = counts.get(file)!;
    c.valid = perFile[fi]! - c.schema - c.duplicate;
  });
  const validCount = total - rejectedAt.length;

  // Valid records are the runs of input between gaps. They are not gathered here: valid.ndjson is streamed
  // block by block once every check below has passed (a million records are most of this step's memory).
  const runs: [number, number][] = [];
  let from = 0;
  for (const [start, end] of gaps) {
    if (start > from) runs.push([from, start]);
    from = end;
  }
  if (from < bytes.length) runs.push([from, bytes.length]);
  // The last record may lack its newline; every output line ends with one.
  const missingNewline = runs.length > 0 && bytes[runs.at(-1)![1] - 1] !== 10;

  forEachLine(quarantineArt.bytes, (line, i) => {
    let q: QuarantineEntry;
    try {
      q = JSON.parse(line) as QuarantineEntry;
    } catch (e) {
      throw new DataError(`not a JSON quarantine entry: ${(e as Error).message}`, { file: quarantineArt.path, line: i + 1 });
    }
    countsFor(q.source?.file, { file: quarantineArt.path, line: i + 1 }).clean++;
    const entry: RejectedEntry = {
      stage: 'clean',
      source: q.source,
      wave: q.wave,
      area: q.area,
      respondent_id: q.respondent_id,
      reasons: [{ path: '', column: q.column, value: q.value, message: q.reason }],
    };
    rejected.push(entry);
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

  rejected.sort((a, b) => (a.source.file < b.source.file ? -1 : a.source.file > b.source.file ? 1 : a.source.line - b.source.line));
  const rejectedOut = new NdjsonWriter();
  for (const e of rejected) rejectedOut.push(JSON.stringify(e));
  return {
    // Read again from the start each time it is iterated (a generator object could be read only once).
    'valid.ndjson': { chunks: { [Symbol.iterator]: () => validChunks(bytes, blocks, runs, missingNewline) }, rows: validCount },
    'rejected.ndjson': { content: rejectedOut.finish(), rows: rejectedOut.count },
    'validation-report.json': JSON.stringify(report, null, 2) + '\n',
  };
}

/**
 * valid.ndjson, one piece per block of the records: the block itself when none of its lines was set aside,
 * otherwise a fresh buffer holding its valid runs (never a reused one: a reader may keep every piece).
 * Only copies bytes already checked, so it cannot fail part way through writing.
 */
function* validChunks(bytes: Uint8Array, blocks: readonly [number, number][], runs: readonly [number, number][], missingNewline: boolean): Generator<Uint8Array> {
  let r = 0;
  for (const [blockStart, blockEnd] of blocks) {
    // Runs may span blocks: each block takes its part of them.
    let size = 0;
    for (let k = r; k < runs.length && runs[k]![0] < blockEnd; k++) size += Math.min(runs[k]![1], blockEnd) - Math.max(runs[k]![0], blockStart);
    if (size === blockEnd - blockStart) yield bytes.subarray(blockStart, blockEnd);
    else if (size > 0) {
      const piece = new Uint8Array(size);
      let at = 0;
      for (let k = r; k < runs.length && runs[k]![0] < blockEnd; k++) {
        const start = Math.max(runs[k]![0], blockStart);
        const end = Math.min(runs[k]![1], blockEnd);
        piece.set(bytes.subarray(start, end), at);
        at += end - start;
      }
      yield piece;
    }
    while (r < runs.length && runs[r]![1] <= blockEnd) r++;
  }
  if (missingNewline) yield Uint8Array.of(10);
}
