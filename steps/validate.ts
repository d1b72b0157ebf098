/**
 * validate: clean's records table → the valid rows, plus every row set aside with its reasons.
 *
 *   records.arrow ── each row as a record, against the schema (ajv, all errors) ─┐
 *                 ── respondent IDs used twice in one wave and area (arquero) ───┼─ valid.arrow
 *   quarantine.ndjson ───────────────────────────────────────────────────────────┼─ rejected.ndjson
 *   cleaning-log.json ── raw rows per file ── raw rows = valid + rejected? ───────┴─ validation-report.json
 *
 * The record schema is generated from the study (`study` input, raw/study.json; survey/record-schema.ts):
 * its areas, themes, questions, scales, sub-items and arms.
 *
 * A respondent ID that occurs more than once in one wave and area rejects every row carrying it: the
 * export cannot say which row is the respondent, so keeping the first would be arbitrary.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { op, table } from 'arquero';
import { DataError, DataErrorWithOutputs, type Artifact, type StepInputs, type StepOutputs } from '../contract/step.js';
import { readCleaningLog, type CleaningLog } from '../lib/survey/cleaning-log.js';
import { readQuarantine } from '../lib/survey/record.js';
import { readRecords, recordOf, selectRows, writeRecords } from '../lib/survey/records-table.js';
import { recordSchema } from '../lib/survey/record-schema.js';
import { studyInput, type Study } from '../lib/survey/study.js';
import type { Reason, RejectedEntry, ValidationReport } from '../lib/survey/validation-report.js';

export interface ValidateParams {
  /** Largest share of a file's raw rows that may be rejected (clean's quarantine included), e.g. 0.02. */
  maxRejectRate: number;
}


function one(inputs: StepInputs, name: string): Artifact {
  const list = inputs[name] ?? [];
  if (list.length !== 1) throw new DataError(`validate expects exactly one "${name}" input, got ${list.length}`, { value: list.map((a) => a.path) });
  return list[0]!;
}

// The validator is compiled once per study, not per call or per row.
const compiled = new WeakMap<Study, ValidateFunction>();
function validatorFor(study: Study): ValidateFunction {
  let fn = compiled.get(study);
  if (!fn) {
    try {
      fn = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(recordSchema(study));
    } catch (e) {
      throw new DataError(`the record schema generated from the study does not compile: ${(e as Error).message}`, { file: study.file });
    }
    compiled.set(study, fn);
  }
  return fn;
}

export default function validate(inputs: StepInputs, params: ValidateParams): StepOutputs {
  const limit = params?.maxRejectRate;
  if (typeof limit !== 'number' || !(limit >= 0 && limit <= 1)) {
    throw new DataError('params.maxRejectRate must be a number between 0 and 1', { path: 'params.maxRejectRate', value: limit });
  }
  const recordsArt = one(inputs, 'records');
  const quarantineArt = one(inputs, 'quarantine');
  const logArt = one(inputs, 'log');
  const check = validatorFor(studyInput(inputs));
  const log = readCleaningLog(logArt);
  const records = readRecords(recordsArt.bytes, recordsArt.path);

  const counts = new Map<string, { valid: number; clean: number; schema: number; duplicate: number; rows: number }>();
  for (const file of Object.keys(log.files)) counts.set(file, { valid: 0, clean: 0, schema: 0, duplicate: 0, rows: 0 });
  const countsFor = (file: unknown, where: { file: string; line?: number; value?: unknown }) => {
    const c = typeof file === 'string' ? counts.get(file) : undefined;
    if (!c) throw new DataError('record names a source file the cleaning log does not list', { ...where, value: file });
    return c;
  };

  // Every row as a record against the schema; the reasons of those that fail, by row.
  const failures = new Map<number, Reason[]>();
  for (let i = 0; i < records.rows; i++) {
    countsFor(records.sourceFile[i], { file: recordsArt.path }).rows++;
    const record = recordOf(records, i);
    // An `if` error only says "the then/else branch failed"; the branch's own error says what and where.
    if (!check(record)) failures.set(i, (check.errors ?? []).filter((e) => e.keyword !== 'if').map((e) => reasonOf(e, record)));
  }
  const duplicates = new Set(repeatedIds(records));

  const setAside = [...new Set([...failures.keys(), ...duplicates])].sort((a, b) => a - b);
  for (const i of setAside) {
    const c = counts.get(records.sourceFile[i]!)!;
    if (duplicates.has(i)) c.duplicate++;
    else c.schema++;
  }
  for (const c of counts.values()) c.valid = c.rows - c.schema - c.duplicate;

  const rejected: RejectedEntry[] = [];
  for (const { line, value: q } of readQuarantine(quarantineArt)) {
    countsFor(q.source.file, { file: quarantineArt.path, line }).clean++;
    rejected.push({ stage: 'clean', source: q.source, wave: q.wave, area: q.area, respondent_id: q.respondent_id, reasons: [{ path: '', column: q.column, value: q.value, message: q.reason }] });
  }
  for (const i of setAside) {
    const record = recordOf(records, i);
    const reasons = failures.get(i) ?? [];
    const all = duplicates.has(i)
      ? [...reasons, { path: '/respondent_id', message: `respondent ID occurs more than once in ${record.area}, wave ${record.wave}: every row with it is rejected`, value: record.respondent_id }]
      : reasons;
    rejected.push({ stage: 'validate', source: record.source, wave: record.wave, area: record.area, respondent_id: record.respondent_id, reasons: all, record });
  }
  rejected.sort((a, b) => (a.source.file < b.source.file ? -1 : a.source.file > b.source.file ? 1 : a.source.line - b.source.line));

  const { report, overLimit } = reportOf(counts, log, limit);
  const kept = {
    'rejected.ndjson': { content: rejected.map((e) => JSON.stringify(e) + '\n').join(''), rows: rejected.length },
    'validation-report.json': JSON.stringify(report, null, 2) + '\n',
  };
  if (overLimit.length) {
    // The rejected rows go with the error: the runner keeps them where the cache never serves them.
    throw new DataErrorWithOutputs(
      `reject rate above the limit of ${(limit * 100).toFixed(2)}% (params.maxRejectRate = ${limit}) in ${overLimit.join('; ')}. ` +
        'Read the rejected rows and their reasons in rejected.ndjson, then fix the export or its codebook.',
      { file: overLimit[0]!.split(':')[0], path: 'params.maxRejectRate', value: limit },
      kept,
    );
  }
  const setAsideRows = new Set(setAside);
  const valid = selectRows(records, Array.from({ length: records.rows }, (_, i) => i).filter((i) => !setAsideRows.has(i)));
  return { 'valid.arrow': { content: writeRecords(valid), rows: valid.rows }, ...kept };
}

/** Rows whose respondent ID occurs more than once in their wave and area (blank IDs are the schema's to reject). */
function repeatedIds(records: ReturnType<typeof readRecords>): number[] {
  return table({ wave: records.wave, area: records.area, respondent_id: records.respondentId, row: Int32Array.from({ length: records.rows }, (_, i) => i) })
    .filter((d) => d.respondent_id !== null)
    .groupby('wave', 'area', 'respondent_id')
    .filter(() => (op.count() as unknown as number) > 1)
    .array('row') as number[];
}

/** Per file: raw rows = valid + rejected, checked, and the reject rate against the limit. */
function reportOf(counts: Map<string, { valid: number; clean: number; schema: number; duplicate: number }>, log: CleaningLog, limit: number): { report: ValidationReport; overLimit: string[] } {
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
  return { report, overLimit };
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
