import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { columnFromArray, int32, tableFromColumns, tableToIPC } from '@uwdata/flechette';
import { artifact, outputBytes, readOutputs, type DataErrorWithOutputs, type StepOutputs } from '../../contract/step.js';
import cleanStep from '../../steps/clean.js';
import { studyArtifact } from '../study.js';
import validate from '../../steps/validate.js';
import type { ValidationReport } from '../../lib/survey/validation-report.js';
import { readRecords, recordOf } from '../../lib/survey/records-table.js';
import { dataError } from '../data-error.js';

/** clean with the shipped study as its `study` input. */
const clean = (inputs: Parameters<typeof cleanStep>[0], params: Parameters<typeof cleanStep>[1]) => cleanStep({ study: [studyArtifact()], ...inputs }, params);


const codebook = {
  area: 'Wolverhampton',
  synthetic: true,
  dont_know: ["don't know"],
  columns: {
    ID: { variable: 'respondent_id' },
    Q1: { variable: 'environment/activities/recycle', numeric: true },
    Q2: { variable: 'environment/join_groups', labels: { often: 1, sometimes: 2, never: 3 }, on_unknown: 'quarantine' },
    Q3: { variable: 'environment/conditions', numeric: true },
    AGE: { variable: 'age_band', numeric: true },
  },
};

function text(out: StepOutputs, name: string): string {
  return new TextDecoder().decode(outputBytes(out[name]!));
}
const lines = (out: StepOutputs, name: string) => text(out, name).split('\n').filter(Boolean).map((l) => JSON.parse(l));
/** valid.arrow's rows as nested records. */
const valid = (out: StepOutputs) => {
  const t = readRecords(outputBytes(out['valid.arrow']!), 'valid.arrow');
  return Array.from({ length: t.rows }, (_, i) => recordOf(t, i)) as any[];
};

/** Runs clean on a tiny export, then validate on clean's outputs. */
async function pipeline(csv: string, maxRejectRate = 1, exports = [artifact('raw/2013/wolverhampton.csv', csv)]) {
  const cleaned = readOutputs(await clean({ exports, codebooks: [artifact('raw/codebooks/wolverhampton.json', JSON.stringify(codebook))] }, {}));
  const inputs = {
    records: [artifact('clean:records.arrow', outputBytes(cleaned['records.arrow']!))],
    quarantine: [artifact('clean:quarantine.ndjson', text(cleaned, 'quarantine.ndjson'))],
    log: [artifact('clean:cleaning-log.json', text(cleaned, 'cleaning-log.json'))],
    // The record schema generated from the shipped study is the contract under test.
    study: [studyArtifact()],
  };
  return { inputs, out: () => validate(inputs, { maxRejectRate }) };
}
const report = (out: StepOutputs) => JSON.parse(text(out, 'validation-report.json')) as ValidationReport;


test('records within range pass unchanged', async () => {
  const { inputs, out } = (await pipeline('ID,Q1,Q2,Q3,AGE\nW1,1,often,5,6\nW2,3,never,1,1\n'));
  const o = out();
  assert.equal(outputBytes(o['valid.arrow']!), inputs.records[0]!.bytes);
  assert.is(text(o, 'rejected.ndjson'), '');
});

test('an out-of-range code is rejected with the schema path, message, value and raw file and line', async () => {
  const o = (await pipeline('ID,Q1,Q2,Q3,AGE\nW1,1,often,5,6\nW2,4,never,7,0\n')).out();
  assert.equal(valid(o).map((r) => r.respondent_id), ['W1']);
  const [r] = lines(o, 'rejected.ndjson');
  assert.is(r.stage, 'validate');
  assert.equal(r.source, { file: 'raw/2013/wolverhampton.csv', line: 3 });
  // allErrors: every bad cell is reported, not just the first.
  assert.equal(r.reasons, [
    { path: '/age_band', message: 'must be >= 1', value: 0 },
    { path: '/themes/environment/activities/recycle', message: 'must be <= 3', value: 4 },
    { path: '/themes/environment/conditions', message: 'must be <= 5', value: 7 },
  ]);
  assert.is(r.record.respondent_id, 'W2');
});

test('blanks and don\'t knows are valid answers, not errors', async () => {
  const o = (await pipeline("ID,Q1,Q2,Q3,AGE\nW1,,Don't know,,\n")).out();
  assert.equal(valid(o)[0].themes.environment, { activities: { recycle: null }, join_groups: 'dont_know', conditions: null });
});

test('a respondent ID used twice in one wave and area rejects both rows', async () => {
  const o = (await pipeline('ID,Q1,Q2,Q3,AGE\nW1,1,often,5,6\nW2,1,often,5,6\nW1,2,never,3,2\n')).out();
  assert.equal(valid(o).map((r) => r.respondent_id), ['W2']);
  const rejected = lines(o, 'rejected.ndjson');
  assert.equal(rejected.map((r) => r.source.line), [2, 4]);
  assert.equal(rejected[0].reasons[0].path, '/respondent_id');
  assert.is(report(o).files['raw/2013/wolverhampton.csv']!.rejected_duplicate_id, 2);
});

test('a blank respondent ID is rejected by the schema', async () => {
  const o = (await pipeline('ID,Q1,Q2,Q3,AGE\n ,1,often,5,6\n')).out();
  assert.equal(lines(o, 'rejected.ndjson')[0].reasons[0].path, '/respondent_id');
});

test('rows clean quarantined are carried into rejected with their reason, column and value', async () => {
  const o = (await pipeline('ID,Q1,Q2,Q3,AGE\nW1,1,Sometiems,5,6\nW2,1,often,5,6\n')).out();
  const [r] = lines(o, 'rejected.ndjson');
  assert.equal(r, {
    stage: 'clean',
    source: { file: 'raw/2013/wolverhampton.csv', line: 2 },
    wave: 2013,
    area: 'Wolverhampton',
    respondent_id: 'W1',
    reasons: [{ path: '', column: 'Q2', value: 'Sometiems', message: 'label not in codebook raw/codebooks/wolverhampton.json' }],
  });
});

test('no row is lost: raw rows = valid + rejected, across clean and validate', async () => {
  const o = (await pipeline('ID,Q1,Q2,Q3,AGE\nW1,1,often,5,6\nW2,1,Sometiems,5,6\nW3,9,often,5,6\nW3,1,often,5,6\nW4,1,often,5,6\n')).out();
  assert.equal(report(o).files['raw/2013/wolverhampton.csv'], {
    raw_rows: 5,
    valid: 2,
    rejected: 3,
    rejected_by_clean: 1,
    rejected_by_schema: 0,
    rejected_duplicate_id: 2,
    reject_rate: 0.6,
    balanced: true,
  });
  assert.is(report(o).synthetic, true);
});

test('a reject rate above the limit fails naming the file, the rate, the limit and the parameter', async () => {
  const e = dataError((await pipeline('ID,Q1,Q2,Q3,AGE\nW1,1,often,5,6\nW2,4,often,5,6\n', 0.02)).out);
  assert.is(e.where.file, 'raw/2013/wolverhampton.csv');
  assert.match(e.message, '50.00% of 2 rows');
  assert.match(e.message, '2.00%');
  assert.match(e.message, 'params.maxRejectRate = 0.02');
});

test('when the reject rate stops the run, the rejected rows and their reasons go with the error', async () => {
  const e = dataError((await pipeline('ID,Q1,Q2,Q3,AGE\nW1,1,often,5,6\nW2,4,often,5,6\n', 0.02)).out) as DataErrorWithOutputs;
  const kept = e.partialOutputs;
  assert.equal(Object.keys(kept).sort(), ['rejected.ndjson', 'validation-report.json']);
  const rejected = (kept['rejected.ndjson'] as { content: string }).content.split('\n').filter(Boolean).map((l) => JSON.parse(l));
  assert.equal(rejected.map((r) => [r.source.line, r.respondent_id, r.reasons.length > 0]), [[3, 'W2', true]]);
  const report = JSON.parse(kept['validation-report.json'] as string);
  const f = report.files['raw/2013/wolverhampton.csv'];
  assert.equal([f.raw_rows, f.valid, f.rejected], [2, 1, 1]);
});

test('a cleaning log that disagrees with the records is a DataError: rows are never silently lost', async () => {
  const { inputs } = (await pipeline('ID,Q1,Q2,Q3,AGE\nW1,1,often,5,6\n'));
  const log = JSON.parse(new TextDecoder().decode(inputs.log[0]!.bytes));
  log.files['raw/2013/wolverhampton.csv'].raw_rows = 2;
  const e = await dataError(async () => validate({ ...inputs, log: [artifact('clean:cleaning-log.json', JSON.stringify(log))] }, { maxRejectRate: 1 }));
  assert.is(e.where.file, 'raw/2013/wolverhampton.csv');
  assert.match(e.message, '2 raw rows but 1 valid + 0 rejected');
});

test('a cleaning log or quarantine line not of the shape clean writes is a DataError naming file, line, path and value', async () => {
  const { inputs } = await pipeline('ID,Q1,Q2,Q3,AGE\nW1,1,often,5,6\n');
  const log = JSON.parse(new TextDecoder().decode(inputs.log[0]!.bytes));
  log.files['raw/2013/wolverhampton.csv'].raw_rows = '1';
  const e = await dataError(async () => validate({ ...inputs, log: [artifact('clean[2013,wolverhampton]:cleaning-log.json', JSON.stringify(log, null, 2))] }, { maxRejectRate: 1 }));
  assert.equal(e.where, { file: 'clean[2013,wolverhampton]:cleaning-log.json', line: 11, path: '/files/raw~12013~1wolverhampton.csv/raw_rows', value: '1' });
  assert.match(e.message, 'schemas/cleaning-log.schema.json');
  const line = JSON.stringify({ wave: 2013, area: 'Wolverhampton', respondent_id: 'W2', source: { file: 'raw/2013/wolverhampton.csv' }, reason: 'r', column: 'Q2', value: 'x' });
  const q = await dataError(async () => validate({ ...inputs, quarantine: [artifact('clean:quarantine.ndjson', `${line}\n`)] }, { maxRejectRate: 1 }));
  assert.equal(q.where, { file: 'clean:quarantine.ndjson', line: 1, path: '/source/line' });
  assert.match(q.message, 'schemas/quarantine-entry.schema.json');
});

test('maxRejectRate must be given as a share between 0 and 1', async () => {
  const { inputs } = (await pipeline('ID,Q1,Q2,Q3,AGE\nW1,1,often,5,6\n'));
  assert.is((await dataError(async () => validate(inputs, { maxRejectRate: 2 }))).where.path, 'params.maxRejectRate');
});

test('the same respondent ID in another wave is another respondent', async () => {
  const exports = [artifact('raw/2013/wolverhampton.csv', 'ID,Q1,Q2,Q3,AGE\nW1,1,often,5,6\n'), artifact('raw/2014/wolverhampton.csv', 'ID,Q1,Q2,Q3,AGE\nW1,2,often,5,6\n')];
  const o = (await pipeline('', 1, exports)).out();
  assert.equal(valid(o).map((r) => [r.wave, r.respondent_id]), [[2013, 'W1'], [2014, 'W1']]);
  assert.is(text(o, 'rejected.ndjson'), '');
});

test('a records input that breaks schemas/records.table.json is a DataError naming the file and column', async () => {
  const { inputs } = (await pipeline('ID,Q1,Q2,Q3,AGE\nW1,1,often,5,6\n'));
  const notRecords = tableToIPC(tableFromColumns({ wave: columnFromArray(Int32Array.of(2013), int32()) }), { format: 'file' })!;
  const e = await dataError(async () => validate({ ...inputs, records: [artifact('clean:records.arrow', notRecords)] }, { maxRejectRate: 1 }));
  assert.is(e.where.file, 'clean:records.arrow');
  assert.match(e.message, 'records table format');
});

test.run();
