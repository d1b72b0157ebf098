import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { artifact, outputBytes, readOutputs, type StreamingStepOutputs } from '../../runner/step.js';
import clean from '../../steps/clean.js';
import validate, { validateRecords, type ValidationReport } from '../../steps/validate.js';
import { dataError } from '../data-error.js';

// The record schema is the contract under test, so the shipped one is used.
const schema = artifact('schemas/record.schema.json', readFileSync(new URL('../../schemas/record.schema.json', import.meta.url)));

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

function text(out: StreamingStepOutputs, name: string): string {
  return new TextDecoder().decode(outputBytes(out[name]!));
}
const lines = (out: StreamingStepOutputs, name: string) => text(out, name).split('\n').filter(Boolean).map((l) => JSON.parse(l));

/** Runs clean on a tiny export, then validate on clean's outputs. */
function pipeline(csv: string, maxRejectRate = 1) {
  const cleaned = readOutputs(clean({ exports: [artifact('raw/2013/wolverhampton.csv', csv)], codebooks: [artifact('raw/codebooks/wolverhampton.json', JSON.stringify(codebook))] }, {}));
  const inputs = {
    records: [artifact('clean:records.ndjson', text(cleaned, 'records.ndjson'))],
    quarantine: [artifact('clean:quarantine.ndjson', text(cleaned, 'quarantine.ndjson'))],
    log: [artifact('clean:cleaning-log.json', text(cleaned, 'cleaning-log.json'))],
    schema: [schema],
  };
  return { inputs, out: () => validate(inputs, { maxRejectRate }) };
}
const report = (out: StreamingStepOutputs) => JSON.parse(text(out, 'validation-report.json')) as ValidationReport;


test('records within range pass unchanged', () => {
  const { inputs, out } = pipeline('ID,Q1,Q2,Q3,AGE\nW1,1,often,5,6\nW2,3,never,1,1\n');
  const o = out();
  assert.is(text(o, 'valid.ndjson'), new TextDecoder().decode(inputs.records[0]!.bytes));
  assert.is(text(o, 'rejected.ndjson'), '');
});

test('an out-of-range code is rejected with the schema path, message, value and raw file and line', () => {
  const o = pipeline('ID,Q1,Q2,Q3,AGE\nW1,1,often,5,6\nW2,4,never,7,0\n').out();
  assert.equal(lines(o, 'valid.ndjson').map((r) => r.respondent_id), ['W1']);
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

test('blanks and don\'t knows are valid answers, not errors', () => {
  const o = pipeline("ID,Q1,Q2,Q3,AGE\nW1,,Don't know,,\n").out();
  assert.equal(lines(o, 'valid.ndjson')[0].themes.environment, { activities: { recycle: null }, join_groups: 'dont_know', conditions: null });
});

test('a respondent ID used twice in one wave and area rejects both rows', () => {
  const o = pipeline('ID,Q1,Q2,Q3,AGE\nW1,1,often,5,6\nW2,1,often,5,6\nW1,2,never,3,2\n').out();
  assert.equal(lines(o, 'valid.ndjson').map((r) => r.respondent_id), ['W2']);
  const rejected = lines(o, 'rejected.ndjson');
  assert.equal(rejected.map((r) => r.source.line), [2, 4]);
  assert.equal(rejected[0].reasons[0].path, '/respondent_id');
  assert.is(report(o).files['raw/2013/wolverhampton.csv']!.rejected_duplicate_id, 2);
});

test('a blank respondent ID is rejected by the schema', () => {
  const o = pipeline('ID,Q1,Q2,Q3,AGE\n ,1,often,5,6\n').out();
  assert.equal(lines(o, 'rejected.ndjson')[0].reasons[0].path, '/respondent_id');
});

test('rows clean quarantined are carried into rejected with their reason, column and value', () => {
  const o = pipeline('ID,Q1,Q2,Q3,AGE\nW1,1,Sometiems,5,6\nW2,1,often,5,6\n').out();
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

test('no row is lost: raw rows = valid + rejected, across clean and validate', () => {
  const o = pipeline('ID,Q1,Q2,Q3,AGE\nW1,1,often,5,6\nW2,1,Sometiems,5,6\nW3,9,often,5,6\nW3,1,often,5,6\nW4,1,often,5,6\n').out();
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

test('a reject rate above the limit fails naming the file, the rate, the limit and the parameter', () => {
  const e = dataError(pipeline('ID,Q1,Q2,Q3,AGE\nW1,1,often,5,6\nW2,4,often,5,6\n', 0.02).out);
  assert.is(e.where.file, 'raw/2013/wolverhampton.csv');
  assert.match(e.message, '50.00% of 2 rows');
  assert.match(e.message, '2.00%');
  assert.match(e.message, 'params.maxRejectRate = 0.02');
});

test('a cleaning log that disagrees with the records is a DataError: rows are never silently lost', () => {
  const { inputs } = pipeline('ID,Q1,Q2,Q3,AGE\nW1,1,often,5,6\n');
  const log = JSON.parse(new TextDecoder().decode(inputs.log[0]!.bytes));
  log.files['raw/2013/wolverhampton.csv'].raw_rows = 2;
  const e = dataError(() => validate({ ...inputs, log: [artifact('clean:cleaning-log.json', JSON.stringify(log))] }, { maxRejectRate: 1 }));
  assert.is(e.where.file, 'raw/2013/wolverhampton.csv');
  assert.match(e.message, '2 raw rows but 1 valid + 0 rejected');
});

test('maxRejectRate must be given as a share between 0 and 1', () => {
  const { inputs } = pipeline('ID,Q1,Q2,Q3,AGE\nW1,1,often,5,6\n');
  assert.is(dataError(() => validate(inputs, { maxRejectRate: 2 })).where.path, 'params.maxRejectRate');
});

test('checking records in small blocks on a worker thread gives byte for byte the same outputs', () => {
  const rows = Array.from({ length: 300 }, (_, i) => `W${i < 20 ? i % 10 : i},${(i % 4) + 1},${['often', 'never', 'sometimes', 'Often'][i % 4]},${(i % 6) + 1},${(i % 7) + 1}`);
  const { inputs } = pipeline('ID,Q1,Q2,Q3,AGE\n' + rows.join('\n') + '\n');
  const records = { ...inputs, records: [artifact('clean:records.ndjson', Buffer.from(inputs.records[0]!.bytes))] };
  const before = Buffer.from(records.records[0]!.bytes);
  const alone = validate(records, { maxRejectRate: 1 });
  const threaded = validateRecords(records, { maxRejectRate: 1 }, { blockBytes: 500, minBlocksForWorker: 1 });
  for (const name of ['valid.ndjson', 'rejected.ndjson', 'validation-report.json']) assert.is(text(threaded, name), text(alone, name), name);
  // Records in shared memory (how the runner reads a large input) are read by the worker in place.
  const inShared = new Uint8Array(new SharedArrayBuffer(before.length));
  inShared.set(before);
  const fromShared = validateRecords({ ...records, records: [artifact('clean:records.ndjson', inShared)] }, { maxRejectRate: 1 }, { blockBytes: 500, minBlocksForWorker: 1 });
  for (const name of ['valid.ndjson', 'rejected.ndjson', 'validation-report.json']) assert.is(text(fromShared, name), text(alone, name), `${name}, shared memory`);
  const r = report(alone).files['raw/2013/wolverhampton.csv']!;
  assert.ok(r.rejected_duplicate_id > 0 && r.rejected_by_schema > 0 && r.valid > 0);
  assert.ok(Buffer.from(records.records[0]!.bytes).equals(before), 'the records input is left as it was');
});

test('a broken record far into the file is reported at its own line, whatever the block size', () => {
  const { inputs } = pipeline('ID,Q1,Q2,Q3,AGE\n' + Array.from({ length: 50 }, (_, i) => `W${i},1,often,2,3`).join('\n') + '\n');
  const lines = new TextDecoder().decode(inputs.records[0]!.bytes).split('\n');
  lines.splice(40, 0, '', '{"wave": 2013');
  const broken = { ...inputs, records: [artifact('clean:records.ndjson', lines.join('\n'))] };
  for (const options of [{ blockBytes: 4 * 1024 * 1024, minBlocksForWorker: 32 }, { blockBytes: 300, minBlocksForWorker: 1 }]) {
    const e = dataError(() => validateRecords(broken, { maxRejectRate: 1 }, options));
    assert.equal([e.where.file, e.where.line], ['clean:records.ndjson', 41]);
    assert.match(e.message, 'not a JSON record');
  }
});

test('valid.ndjson comes in pieces that together are the records minus the rejected and empty lines, whatever the block size', () => {
  // Rejected rows at the start, next to last, in a run and alone (Q1 = 9 is out of range; ID D is used
  // twice); empty lines between records; the last record, a valid one, without its newline.
  const rows = Array.from({ length: 60 }, (_, i) => `W${i === 7 || i === 31 ? 'D' : i},${[0, 1, 2, 20, 44, 58].includes(i) ? 9 : (i % 3) + 1},often,${i % 2 ? 5 : 1},${i % 2 ? 6 : 1}`);
  const { inputs } = pipeline('ID,Q1,Q2,Q3,AGE\n' + rows.join('\n') + '\n');
  const recordLines = new TextDecoder().decode(inputs.records[0]!.bytes).split('\n').filter(Boolean);
  const withGaps = recordLines.flatMap((l, i) => (i % 9 === 4 ? ['', l] : [l])).join('\n');
  const records = { ...inputs, records: [artifact('clean:records.ndjson', withGaps)] };

  const reference = (out: StreamingStepOutputs) => {
    const rejectedLines = new Set(lines(out, 'rejected.ndjson').map((r) => r.source.line));
    return recordLines.filter((l) => !rejectedLines.has(JSON.parse(l).source.line)).map((l) => l + '\n').join('');
  };
  for (const options of [
    { blockBytes: 4 * 1024 * 1024, minBlocksForWorker: 32 },
    { blockBytes: 1, minBlocksForWorker: 1000 },
    { blockBytes: 700, minBlocksForWorker: 1000 },
    { blockBytes: 300, minBlocksForWorker: 1 },
  ]) {
    const out = validateRecords(records, { maxRejectRate: 1 }, options);
    assert.is(lines(out, 'rejected.ndjson').filter((r) => r.stage === 'validate').length, 8, 'six out of range and both rows of the ID used twice');
    const valid = out['valid.ndjson']!;
    assert.ok(typeof valid === 'object' && 'chunks' in valid, 'valid.ndjson is streamed');
    const pieces = [...valid.chunks];
    if (options.blockBytes < 1000) assert.ok(pieces.length > 1, `in pieces at ${options.blockBytes} bytes a block`);
    assert.is(text(out, 'valid.ndjson'), reference(out), `blocks of ${options.blockBytes} bytes`);
    assert.is(Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))).toString(), reference(out), 'read a second time, the same bytes');
    assert.is(valid.rows, 52);
  }
});

test('every check runs when validate is called: a failure never leaves a half-read valid.ndjson', () => {
  const { inputs } = pipeline('ID,Q1,Q2,Q3,AGE\n' + Array.from({ length: 40 }, (_, i) => `W${i},${i === 30 ? 9 : 1},often,2,3`).join('\n') + '\n');
  // Over the limit, and checked in small blocks so that valid records come before and after the bad one.
  const e = dataError(() => validateRecords(inputs, { maxRejectRate: 0.01 }, { blockBytes: 300, minBlocksForWorker: 1000 }));
  assert.match(e.message, '2.50% of 40 rows');
  const dup = pipeline('ID,Q1,Q2,Q3,AGE\nW1,1,often,2,3\nW2,1,often,2,3\nW1,1,often,2,3\n', 0.5);
  assert.match(dataError(dup.out).message, '66.67% of 3 rows');
});

test.run();
