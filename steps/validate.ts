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
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { DataError, type Artifact, type StepInputs, type StepOutputs } from '../runner/step.js';
import type { CleaningLog } from './clean.js';
import { FirstSeen } from './survey/id-table.js';
import { forEachLine, NdjsonWriter } from './survey/ndjson.js';
import type { QuarantineEntry } from './survey/record.js';

export interface ValidateParams {
  /** Largest share of a file's raw rows that may be rejected (clean's quarantine included), e.g. 0.02. */
  maxRejectRate: number;
}

export interface Reason {
  /** Where in the record (JSON pointer into the record; "" is the whole record). */
  path: string;
  message: string;
  value?: unknown;
  /** Raw column, for rows clean quarantined. */
  column?: string;
}

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
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    try {
      fn = ajv.compile(schema.json());
    } catch (e) {
      throw new DataError(`record schema does not compile: ${(e as Error).message}`, { file: schema.path });
    }
    compiled.set(key, fn);
  }
  return fn;
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

export default function validate(inputs: StepInputs, params: ValidateParams): StepOutputs {
  const limit = params?.maxRejectRate;
  if (typeof limit !== 'number' || !(limit >= 0 && limit <= 1)) {
    throw new DataError('params.maxRejectRate must be a number between 0 and 1', { path: 'params.maxRejectRate', value: limit });
  }
  const recordsArt = one(inputs, 'records');
  const quarantineArt = one(inputs, 'quarantine');
  const logArt = one(inputs, 'log');
  const check = validatorFor(one(inputs, 'schema'));
  const log = logArt.json<CleaningLog>();
  if (!log || typeof log.files !== 'object') throw new DataError('cleaning log has no "files" section', { file: logArt.path, path: '/files' });

  const counts = new Map<string, { valid: number; clean: number; schema: number; duplicate: number }>();
  for (const file of Object.keys(log.files)) counts.set(file, { valid: 0, clean: 0, schema: 0, duplicate: 0 });
  const countsFor = (file: unknown, where: { file: string; line: number }) => {
    const c = typeof file === 'string' ? counts.get(file) : undefined;
    if (!c) throw new DataError('record names a source file the cleaning log does not list', { ...where, value: file });
    return c;
  };

  // Pass 1: schema-check every record, index respondent IDs per wave and area, note where each line sits.
  const files = [...counts.keys()];
  const fileIndex = new Map(files.map((f, i) => [f, i]));
  const failures = new Map<number, Reason[]>();
  // Per line: source file (index), byte start and end. Typed arrays: a million records cost 20 MB, not 80.
  let lineFile = new Uint16Array(1024);
  let lineStart = new Float64Array(1024);
  let lineEnd = new Float64Array(1024);
  const grow = <T extends Uint16Array | Float64Array>(a: T, make: (n: number) => T): T => {
    const b = make(a.length * 2);
    b.set(a);
    return b;
  };
  const idKey = (r: any) => `${r.wave}\u0000${r.area}\u0000${r.respondent_id}`;
  const firstSeen = new FirstSeen((line) => idKey(JSON.parse(new TextDecoder().decode(recordsArt.bytes.subarray(lineStart[line]!, lineEnd[line]!)))));
  const duplicates = new Set<number>();
  const total = forEachLine(recordsArt.bytes, (line, i, start, end) => {
    let record: any;
    try {
      record = JSON.parse(line);
    } catch (e) {
      throw new DataError(`not a JSON record: ${(e as Error).message}`, { file: recordsArt.path, line: i + 1 });
    }
    const file = record?.source?.file;
    const fi = typeof file === 'string' ? fileIndex.get(file) : undefined;
    if (fi === undefined) throw new DataError('record names a source file the cleaning log does not list', { file: recordsArt.path, line: i + 1, value: file });
    if (i === lineFile.length) {
      lineFile = grow(lineFile, (n) => new Uint16Array(n));
      lineStart = grow(lineStart, (n) => new Float64Array(n));
      lineEnd = grow(lineEnd, (n) => new Float64Array(n));
    }
    lineFile[i] = fi;
    lineStart[i] = start;
    lineEnd[i] = end;
    if (!check(record)) {
      // An `if` error only says "the then/else branch failed"; the branch's own error says what and where.
      failures.set(i, (check.errors ?? []).filter((e) => e.keyword !== 'if').map((e) => reasonOf(e, record)));
    }
    if (typeof record.respondent_id === 'string') {
      const first = firstSeen.add(idKey(record), i);
      if (first !== -1) {
        duplicates.add(first);
        duplicates.add(i);
      }
    }
  });

  // Pass 2: valid records are copied byte for byte, in runs, into a buffer of exactly their size (a million
  // records are most of the memory this step holds); the others are rejected with their reasons.
  const bytes = recordsArt.bytes;
  const isValid = (i: number) => !failures.has(i) && !duplicates.has(i);
  let validBytes = 0;
  for (let i = 0; i < total; i++) if (isValid(i)) validBytes += lineEnd[i]! - lineStart[i]! + 1;
  const valid = new Uint8Array(validBytes);
  let at = 0;
  let validCount = 0;
  // Rejected rows are few (at most maxRejectRate of each file): kept as entries and written in file, line order.
  const rejected: RejectedEntry[] = [];
  const lineDecoder = new TextDecoder();
  let runStart = -1;
  let runEnd = -1;
  const flushRun = () => {
    if (runStart === -1) return;
    valid.set(bytes.subarray(runStart, runEnd), at);
    at += runEnd - runStart;
    // The last record may lack its newline; every output line ends with one.
    if (bytes[runEnd - 1] !== 10) valid[at++] = 10;
    runStart = -1;
  };
  for (let i = 0; i < total; i++) {
    const c = counts.get(files[lineFile[i]!]!)!;
    if (isValid(i)) {
      c.valid++;
      validCount++;
      // Lines of a run are contiguous in the input (clean writes no blank lines between records).
      if (runStart === -1 || lineStart[i] !== runEnd) {
        flushRun();
        runStart = lineStart[i]!;
      }
      runEnd = Math.min(bytes.length, lineEnd[i]! + 1);
      continue;
    }
    flushRun();
    const schemaReasons = failures.get(i);
    const record = JSON.parse(lineDecoder.decode(bytes.subarray(lineStart[i]!, lineEnd[i]!)));
    const reasons = [...(schemaReasons ?? [])];
    if (duplicates.has(i)) {
      reasons.push({ path: '/respondent_id', message: `respondent ID occurs more than once in ${record.area}, wave ${record.wave}: every row with it is rejected`, value: record.respondent_id });
      c.duplicate++;
    } else c.schema++;
    const entry: RejectedEntry = { stage: 'validate', source: record.source, wave: record.wave, area: record.area, respondent_id: record.respondent_id, reasons, record };
    rejected.push(entry);
  }
  flushRun();
  if (at !== validBytes) throw new Error(`validate copied ${at} bytes of valid records, expected ${validBytes}`);

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
    'valid.ndjson': { content: valid, rows: validCount },
    'rejected.ndjson': { content: rejectedOut.finish(), rows: rejectedOut.count },
    'validation-report.json': JSON.stringify(report, null, 2) + '\n',
  };
}
