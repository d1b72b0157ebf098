import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { artifact, lazyArtifact, outputBytes, readOutputs, type StreamingStepOutputs } from '../../runner/step.js';
import clean from '../../steps/clean.js';
import validate, { validateRecords, type ValidationReport } from '../../steps/validate.js';
import { keyHash } from '../../steps/survey/id-table.js';
import { dataError } from '../data-error.js';
import { inReusedBuffer } from '../reused-buffer.js';

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

test('checking records in small pieces on a worker thread gives byte for byte the same outputs', () => {
  const rows = Array.from({ length: 300 }, (_, i) => `W${i < 20 ? i % 10 : i},${(i % 4) + 1},${['often', 'never', 'sometimes', 'Often'][i % 4]},${(i % 6) + 1},${(i % 7) + 1}`);
  const { inputs } = pipeline('ID,Q1,Q2,Q3,AGE\n' + rows.join('\n') + '\n');
  const records = { ...inputs, records: [artifact('clean:records.ndjson', Buffer.from(inputs.records[0]!.bytes))] };
  const before = Buffer.from(records.records[0]!.bytes);
  const alone = validate(records, { maxRejectRate: 1 });
  const threaded = validateRecords(records, { maxRejectRate: 1 }, { pieceBytes: 500, piecesBeforeWorker: 0 });
  for (const name of ['valid.ndjson', 'rejected.ndjson', 'validation-report.json']) assert.is(text(threaded, name), text(alone, name), name);
  const r = report(alone).files['raw/2013/wolverhampton.csv']!;
  assert.ok(r.rejected_duplicate_id > 0 && r.rejected_by_schema > 0 && r.valid > 0);
  assert.ok(Buffer.from(records.records[0]!.bytes).equals(before), 'the records input is left as it was');
});

test('a broken record far into the file is reported at its own line, empty lines counted, whatever the piece size', () => {
  const { inputs } = pipeline('ID,Q1,Q2,Q3,AGE\n' + Array.from({ length: 50 }, (_, i) => `W${i},1,often,2,3`).join('\n') + '\n');
  const lines = new TextDecoder().decode(inputs.records[0]!.bytes).split('\n');
  lines.splice(40, 0, '', '{"wave": 2013');
  const broken = { ...inputs, records: [artifact('clean:records.ndjson', lines.join('\n'))] };
  for (const options of [{ pieceBytes: 4 * 1024 * 1024, piecesBeforeWorker: 4 }, { pieceBytes: 300, piecesBeforeWorker: 1 }]) {
    const e = dataError(() => validateRecords(broken, { maxRejectRate: 1 }, options));
    // Line 41 is empty: the broken record is on line 42, as an editor numbers it.
    assert.equal([e.where.file, e.where.line], ['clean:records.ndjson', 42]);
    assert.match(e.message, 'not a JSON record');
  }
});

test('valid.ndjson comes in pieces that together are the records minus the rejected and empty lines, whatever the piece size', () => {
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
    { pieceBytes: 4 * 1024 * 1024, piecesBeforeWorker: 4 },
    { pieceBytes: 1, piecesBeforeWorker: Infinity },
    { pieceBytes: 700, piecesBeforeWorker: Infinity },
    { pieceBytes: 300, piecesBeforeWorker: 1 },
  ]) {
    const out = validateRecords(records, { maxRejectRate: 1 }, options);
    assert.is(lines(out, 'rejected.ndjson').filter((r) => r.stage === 'validate').length, 8, 'six out of range and both rows of the ID used twice');
    const valid = out['valid.ndjson']!;
    assert.ok(typeof valid === 'object' && 'chunks' in valid, 'valid.ndjson is streamed');
    const pieces = [...valid.chunks];
    if (options.pieceBytes < 1000) assert.ok(pieces.length > 1, `in pieces at ${options.pieceBytes} bytes a piece`);
    assert.is(text(out, 'valid.ndjson'), reference(out), `pieces of ${options.pieceBytes} bytes`);
    assert.is(Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))).toString(), reference(out), 'read a second time, the same bytes');
    assert.is(valid.rows, 52);
  }
});

test('every check runs when validate is called: a failure never leaves a half-read valid.ndjson', () => {
  const { inputs } = pipeline('ID,Q1,Q2,Q3,AGE\n' + Array.from({ length: 40 }, (_, i) => `W${i},${i === 30 ? 9 : 1},often,2,3`).join('\n') + '\n');
  // Over the limit, and checked in small pieces so that valid records come before and after the bad one.
  const e = dataError(() => validateRecords(inputs, { maxRejectRate: 0.01 }, { pieceBytes: 300, piecesBeforeWorker: Infinity }));
  assert.match(e.message, '2.50% of 40 rows');
  const dup = pipeline('ID,Q1,Q2,Q3,AGE\nW1,1,often,2,3\nW2,1,often,2,3\nW1,1,often,2,3\n', 0.5);
  assert.match(dataError(dup.out).message, '66.67% of 3 rows');
});

/**
 * The records as the runner hands over a large file: never whole, read in pieces into one reused buffer,
 * each reading counted; `atEnd` runs when a reading ends (where the runner checks the file's hash).
 */
function readInPieces(bytes: Uint8Array, options: { atEnd?: (reading: number) => void } = {}) {
  const readings = { started: 0, ended: 0 };
  const records = lazyArtifact('clean:records.ndjson', '', {
    load: () => {
      throw new Error('the records were read whole');
    },
    *chunks(size) {
      const reading = ++readings.started;
      yield* inReusedBuffer(bytes, size);
      options.atEnd?.(reading);
      readings.ended++;
    },
  });
  return { records, readings };
}

test('the records are read twice, a piece at a time into a reused buffer, never whole, with the same outputs', () => {
  const rows = Array.from({ length: 200 }, (_, i) => `W${i === 150 ? 7 : i},${i % 50 === 3 ? 9 : (i % 3) + 1},often,${i % 2 ? 5 : 1},${i % 2 ? 6 : 1}`);
  const { inputs } = pipeline('ID,Q1,Q2,Q3,AGE\n' + rows.join('\n') + '\n');
  const whole = readOutputs(validate(inputs, { maxRejectRate: 1 }));
  for (const options of [
    { pieceBytes: 333, piecesBeforeWorker: Infinity },
    { pieceBytes: 333, piecesBeforeWorker: 2 },
  ]) {
    const { records, readings } = readInPieces(inputs.records[0]!.bytes);
    const out = validateRecords({ ...inputs, records: [records] }, { maxRejectRate: 1 }, options);
    assert.equal(readings, { started: 1, ended: 1 }, 'one reading when validate is called');
    const read = readOutputs(out);
    assert.equal(readings, { started: 2, ended: 2 }, 'and one more as valid.ndjson is written');
    for (const name of Object.keys(whole)) assert.is(new TextDecoder().decode(read[name]), new TextDecoder().decode(whole[name]), `${name}, worker after ${options.piecesBeforeWorker} pieces`);
  }
  const rejected = new TextDecoder().decode(whole['rejected.ndjson']).split('\n').filter(Boolean).map((l) => JSON.parse(l));
  assert.equal(rejected.map((r) => r.source.line), [5, 9, 55, 105, 152, 155], 'four out of range (Q1 = 9), both rows of the ID used twice');
});

test('rejected.ndjson asked for before valid.ndjson is read takes a reading of its own, with the same bytes', () => {
  const { inputs } = pipeline('ID,Q1,Q2,Q3,AGE\nW1,1,often,2,3\nW2,9,often,2,3\nW1,1,often,2,3\nW4,1,often,2,3\n');
  const { records, readings } = readInPieces(inputs.records[0]!.bytes);
  const out = validateRecords({ ...inputs, records: [records] }, { maxRejectRate: 1 }, { pieceBytes: 100, piecesBeforeWorker: Infinity });
  const first = text(out, 'rejected.ndjson');
  assert.is(readings.started, 2);
  assert.is(first, text(validate(inputs, { maxRejectRate: 1 }), 'rejected.ndjson'));
  assert.equal(lines(out, 'rejected.ndjson').map((r) => r.source.line), [2, 3, 4]);
});

test('records that change between the two readings fail the step while valid.ndjson is written', () => {
  const { inputs } = pipeline('ID,Q1,Q2,Q3,AGE\n' + Array.from({ length: 30 }, (_, i) => `W${i},1,often,2,3`).join('\n') + '\n');
  const bytes = inputs.records[0]!.bytes;
  const changed = new Error('clean:records.ndjson changed while it was read');
  const { records } = readInPieces(bytes, {
    atEnd: (reading) => {
      if (reading === 2) throw changed;
    },
  });
  const out = validateRecords({ ...inputs, records: [records] }, { maxRejectRate: 1 }, { pieceBytes: 200, piecesBeforeWorker: Infinity });
  assert.throws(() => readOutputs(out), (e: unknown) => e === changed);
});

test('a bad record is reported only once the records have been read to their end, so a changed file is reported as such', () => {
  const { inputs } = pipeline('ID,Q1,Q2,Q3,AGE\n' + Array.from({ length: 30 }, (_, i) => `W${i},1,often,2,3`).join('\n') + '\n');
  const broken = new TextEncoder().encode('{"wave": 2013\n' + new TextDecoder().decode(inputs.records[0]!.bytes));
  for (const piecesBeforeWorker of [Infinity, 0]) {
    const options = { pieceBytes: 200, piecesBeforeWorker };
    const read = readInPieces(broken);
    const e = dataError(() => validateRecords({ ...inputs, records: [read.records] }, { maxRejectRate: 1 }, options));
    assert.equal([e.where.line, read.readings.ended], [1, 1], 'the bad line, after a whole reading');
    const changed = new Error('clean:records.ndjson changed while it was read');
    const { records } = readInPieces(broken, {
      atEnd: () => {
        throw changed;
      },
    });
    assert.throws(() => validateRecords({ ...inputs, records: [records] }, { maxRejectRate: 1 }, options), (err: unknown) => err === changed);
  }
});

test('records that are not UTF-8 fail naming the file and the first line that is not', () => {
  const { inputs } = pipeline('ID,Q1,Q2,Q3,AGE\n' + Array.from({ length: 30 }, (_, i) => `W${i},1,often,2,3`).join('\n') + '\n');
  const text = new TextDecoder().decode(inputs.records[0]!.bytes).split('\n');
  const bad = Buffer.concat([Buffer.from(text.slice(0, 20).join('\n') + '\n\n'), Buffer.from([0xff, 0xfe]), Buffer.from('\n' + text.slice(20).join('\n'))]);
  for (const options of [{ pieceBytes: 4 * 1024 * 1024, piecesBeforeWorker: 4 }, { pieceBytes: 300, piecesBeforeWorker: 1 }, { pieceBytes: 300, piecesBeforeWorker: 0 }]) {
    const e = dataError(() => validateRecords({ ...inputs, records: [artifact('clean:records.ndjson', bad)] }, { maxRejectRate: 1 }, options));
    assert.equal([e.where.file, e.where.line, e.message], ['clean:records.ndjson', 22, 'not UTF-8 text'], `pieces of ${options.pieceBytes} bytes`);
  }
});

test('respondents whose keys hash alike stay two respondents, in pieces apart and on either thread; a real repeat is still caught', () => {
  // W1149599 and W1312382 have the same 32-bit key hash in Wolverhampton, wave 2013.
  const key = (id: string) => `2013\u0000Wolverhampton\u0000${id}`;
  assert.is(keyHash(key('W1149599')), keyHash(key('W1312382')));
  const filler = (prefix: string) => Array.from({ length: 40 }, (_, i) => `${prefix}${i},1,often,2,3`);
  const csv = (rows: string[]) => 'ID,Q1,Q2,Q3,AGE\n' + rows.join('\n') + '\n';
  const alike = pipeline(csv(['W1149599,1,often,2,3', ...filler('F'), 'W1312382,1,often,2,3']));
  const repeated = pipeline(csv(['W1149599,1,often,2,3', ...filler('F'), 'W1312382,1,often,2,3', ...filler('G'), 'W1149599,2,often,2,3']));
  for (const options of [{ pieceBytes: 300, piecesBeforeWorker: Infinity }, { pieceBytes: 300, piecesBeforeWorker: 0 }, { pieceBytes: 1 << 20, piecesBeforeWorker: 4 }]) {
    const r = report(validateRecords(alike.inputs, { maxRejectRate: 1 }, options)).files['raw/2013/wolverhampton.csv']!;
    assert.equal([r.valid, r.rejected_duplicate_id], [42, 0], `pieces of ${options.pieceBytes} bytes`);
    const out = validateRecords(repeated.inputs, { maxRejectRate: 1 }, options);
    assert.equal(lines(out, 'rejected.ndjson').map((e) => [e.respondent_id, e.source.line]), [['W1149599', 2], ['W1149599', 84]]);
  }
});

test.run();
