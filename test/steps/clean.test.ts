import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tableFromIPC } from '@uwdata/flechette';
import { artifact, outputBytes, readOutputs, type StepOutputs } from '../../contract/step.js';
import cleanStep from '../../steps/clean.js';
import type { CleaningLog } from '../../lib/survey/cleaning-log.js';
import { studyArtifact, studyText } from '../study.js';
import { readRecords, recordOf } from '../../lib/survey/records-table.js';
import { dataError } from '../data-error.js';

/** clean with the shipped study as its `study` input. */
const clean = (inputs: Parameters<typeof cleanStep>[0], params: Parameters<typeof cleanStep>[1]) => cleanStep({ study: [studyArtifact()], ...inputs }, params);

const codebook = {
  area: 'Swansea',
  synthetic: true,
  dont_know: ["don't know", 'dk'],
  label_sets: { freq: { often: 1, sometimes: 2, never: 3 } },
  columns: {
    ID: { variable: 'respondent_id' },
    Q1: { variable: 'environment/activities/recycle', label_set: 'freq' },
    Q2: { variable: 'environment/join_groups', label_set: 'freq', on_unknown: 'quarantine' },
    Q3: { variable: 'environment/conditions', numeric: true, labels: { '9': 'dont_know' } },
  },
};
const book = (b: object = codebook, path = 'raw/codebooks/swansea.json') => artifact(path, JSON.stringify(b));

function text(out: StepOutputs, name: string): string {
  return new TextDecoder().decode(outputBytes(out[name]!));
}
const lines = (out: StepOutputs, name: string) => text(out, name).split('\n').filter(Boolean).map((l) => JSON.parse(l));
/** The records table's rows as nested records, the shape the record schema describes. */
const records = (out: StepOutputs) => {
  const t = readRecords(outputBytes(out['records.arrow']!), 'records.arrow');
  return Array.from({ length: t.rows }, (_, i) => recordOf(t, i)) as any[];
};
const logOf = (out: StepOutputs) => JSON.parse(text(out, 'cleaning-log.json')) as CleaningLog;
/** Every output, read. */
const readAll = (out: StepOutputs) => readOutputs(out);
const run = async (csv: string | Uint8Array, books = [book()], path = 'raw/2013/swansea.csv') => readAll(await clean({ exports: [artifact(path, csv)], codebooks: books }, {}));


test('writes one canonical record per row, with wave and area from the path and the 1-based source line', async () => {
  const out = await run('ID,Q1,Q2,Q3\nS1,Often,Never,4\nS2,sometimes,often,2\n');
  assert.equal(records(out), [
    { wave: 2013, area: 'Swansea', respondent_id: 'S1', source: { file: 'raw/2013/swansea.csv', line: 2 }, themes: { environment: { activities: { recycle: 1 }, join_groups: 3, conditions: 4 } } },
    { wave: 2013, area: 'Swansea', respondent_id: 'S2', source: { file: 'raw/2013/swansea.csv', line: 3 }, themes: { environment: { activities: { recycle: 2 }, join_groups: 1, conditions: 2 } } },
  ]);
  assert.is(text(out, 'quarantine.ndjson'), '');
});

test('labels with stray spaces and mixed case map to their code, and the log counts them', async () => {
  const out = await run('ID,Q1,Q2,Q3\nS1, Often ,NEVER,4\nS2,sometimes,Some  times,2\n'.replace('Some  times', 'SomeTimes'));
  const recs = records(out);
  assert.equal(recs.map((r) => r.themes.environment.activities.recycle), [1, 2]);
  assert.equal(recs.map((r) => r.themes.environment.join_groups), [3, 2]);
  const q1 = logOf(out).files['raw/2013/swansea.csv']!.columns.Q1!;
  assert.is(q1.trimmed, 1);
  assert.is(q1.case_folded, 1);
  assert.equal(q1.recodes, { often: { code: 1, count: 1 }, sometimes: { code: 2, count: 1 } });
  assert.is(logOf(out).files['raw/2013/swansea.csv']!.columns.Q2!.case_folded, 2);
});

test('the log counts trimmed and case-folded cells apart: each cell once per way it was changed', async () => {
  const cells = [' often ', 'Often', ' SOMETIMES', 'never', 'often ', '   ', ' DK'];
  const out = await run('ID,Q1,Q2,Q3\n' + cells.map((c, i) => `S${i + 1},${c},never,3\n`).join(''));
  assert.equal(logOf(out).files['raw/2013/swansea.csv']!.columns.Q1, {
    variable: 'environment/activities/recycle',
    recodes: { never: { code: 3, count: 1 }, often: { code: 1, count: 3 }, sometimes: { code: 2, count: 1 } },
    passed_through: {},
    dont_know: { dk: 1 },
    refused: {},
    blank: 1,
    // ' often ', ' SOMETIMES', 'often ', ' DK'; the blank cell is counted as blank only.
    trimmed: 4,
    // 'Often', ' SOMETIMES', ' DK'.
    case_folded: 3,
    quarantined: {},
  });
});

test('a blank cell is null and every don\'t-know spelling is "dont_know": never confused', async () => {
  const out = await run('ID,Q1,Q2,Q3\nS1,,DK,9\nS2,  ,Don\'t Know,\n');
  const envs = records(out).map((r) => r.themes.environment);
  assert.equal(envs, [
    { activities: { recycle: null }, join_groups: 'dont_know', conditions: 'dont_know' },
    { activities: { recycle: null }, join_groups: 'dont_know', conditions: null },
  ]);
  const cols = logOf(out).files['raw/2013/swansea.csv']!.columns;
  assert.is(cols.Q1!.blank, 2);
  assert.equal(cols.Q2!.dont_know, { dk: 1, "don't know": 1 });
  // A code the codebook maps to don't know counts as one more spelling of it.
  assert.equal(cols.Q3!.dont_know, { '9': 1 });
  assert.equal(cols.Q3!.recodes, {});
});

test('a UTF-8 byte-order mark is stripped before the header is read, and logged', async () => {
  const body = new TextEncoder().encode('ID,Q1,Q2,Q3\nS1,often,never,3\n');
  const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...body]);
  const out = await run(withBom);
  assert.is(records(out)[0].respondent_id, 'S1');
  assert.is(logOf(out).files['raw/2013/swansea.csv']!.bom_stripped, true);
  assert.is(logOf(await run(body)).files['raw/2013/swansea.csv']!.bom_stripped, false);
});

test('numeric columns pass whole numbers through unchecked (validate judges the range)', async () => {
  const out = await run('ID,Q1,Q2,Q3\nS1,often,never,7\n');
  assert.is(records(out)[0].themes.environment.conditions, 7);
  assert.equal(logOf(out).files['raw/2013/swansea.csv']!.columns.Q3!.passed_through, { '7': 1 });
});

test('an unknown label in an "error" column stops with file, line, column and value', async () => {
  const e = await dataError(async () => await run('ID,Q1,Q2,Q3\nS1,often,never,3\nS2,Offten,never,3\n'));
  assert.equal(e.where, { file: 'raw/2013/swansea.csv', line: 3, column: 'Q1', value: 'Offten' });
  assert.match(e.describe(), 'raw/2013/swansea.csv:3, column "Q1", value "Offten"');
});

test('an unknown label in a "quarantine" column sets the row aside with its reason, never drops it', async () => {
  const out = await run('ID,Q1,Q2,Q3\nS1,often,Sometiems,3\nS2,often,never,3\n');
  assert.equal(records(out).map((r) => r.respondent_id), ['S2']);
  const [q] = lines(out, 'quarantine.ndjson');
  assert.equal(q, {
    wave: 2013,
    area: 'Swansea',
    respondent_id: 'S1',
    source: { file: 'raw/2013/swansea.csv', line: 2 },
    reason: 'label not in codebook raw/codebooks/swansea.json',
    column: 'Q2',
    value: 'Sometiems',
  });
  const f = logOf(out).files['raw/2013/swansea.csv']!;
  assert.equal([f.raw_rows, f.records, f.quarantined], [2, 1, 1]);
  assert.equal(f.columns.Q2!.quarantined, { sometiems: 1 });
});

test('a column the codebook requires but the export lacks is a DataError naming file and column', async () => {
  const e = await dataError(async () => await run('ID,Q1,Q2\nS1,often,never\n'));
  assert.equal([e.where.file, e.where.column], ['raw/2013/swansea.csv', 'Q3']);
  assert.match(e.message, 'missing');
});

test('a column the codebook does not know is a DataError naming file and column', async () => {
  const e = await dataError(async () => await run('ID,Q1,Q2,Q3,Q4\nS1,often,never,3,x\n'));
  assert.equal([e.where.file, e.where.column], ['raw/2013/swansea.csv', 'Q4']);
});

test('a codebook that breaks the schema is a DataError naming the codebook, the path inside it and what was expected', async () => {
  const bad = { ...codebook, columns: { ...codebook.columns, Q1: { variable: 'environment/activities/recycle', label_set: 'freq', on_unknown: 'skip' } } };
  const e = await dataError(async () => await run('ID,Q1,Q2,Q3\n', [book(bad)]));
  assert.is(e.where.file, 'raw/codebooks/swansea.json');
  assert.is(e.where.path, '/columns/Q1/on_unknown');
  assert.is(e.where.value, 'skip');
  assert.match(e.message, 'must be equal to one of the allowed values');
});

test('a codebook mapping to a variable outside the vocabulary is reported at its path', async () => {
  const bad = { ...codebook, columns: { ...codebook.columns, Q3: { variable: 'environment/happiness', numeric: true } } };
  const e = await dataError(async () => await run('ID,Q1,Q2,Q3\n', [book(bad)]));
  assert.is(e.where.path, '/columns/Q3/variable');
});

test('a codebook referring to an undefined label set, or with an unnormalised label, is reported at its path', async () => {
  const noSet = { ...codebook, columns: { ...codebook.columns, Q1: { variable: 'environment/activities/recycle', label_set: 'frequency' } } };
  assert.is((await dataError(async () => await run('ID,Q1,Q2,Q3\n', [book(noSet)]))).where.path, '/columns/Q1/label_set');
  const upper = { ...codebook, label_sets: { freq: { Often: 1, sometimes: 2, never: 3 } } };
  const e = await dataError(async () => await run('ID,Q1,Q2,Q3\n', [book(upper)]));
  assert.equal([e.where.path, e.where.value], ['/label_sets/freq/Often', 'Often']);
});

test('a codebook schema given as an input is the one codebooks are checked against', async () => {
  const strict = { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', required: ['docs'] };
  const e = await dataError(async () =>
    await clean({ exports: [artifact('raw/2013/swansea.csv', 'ID,Q1,Q2,Q3\n')], codebooks: [book()], codebookSchema: [artifact('schemas/codebook.schema.json', JSON.stringify(strict))] }, {}),
  );
  assert.is(e.where.file, 'raw/codebooks/swansea.json');
  assert.match(e.message, "must have required property 'docs'");
});

test('a wave-specific codebook replaces the area default for its wave only', async () => {
  const y2014 = { ...codebook, wave: 2014, columns: { ...codebook.columns, Q3: undefined, Q3b: { variable: 'environment/conditions', labels: { good: 5, bad: 1 }, changed_from_wave: 2013, change_note: 'reworded' } } };
  const books = [book(), book(JSON.parse(JSON.stringify(y2014)), 'raw/codebooks/swansea.2014.json')];
  const out = await clean(
    {
      exports: [artifact('raw/2014/swansea.csv', 'ID,Q1,Q2,Q3b\nS1,often,never,good\n'), artifact('raw/2013/swansea.csv', 'ID,Q1,Q2,Q3\nS1,often,never,2\n')],
      codebooks: books,
    },
    {},
  );
  const recs = records(out);
  assert.equal(recs.map((r) => [r.wave, r.themes.environment.conditions]), [[2013, 2], [2014, 5]]);
  assert.is(logOf(out).files['raw/2014/swansea.csv']!.codebook, 'raw/codebooks/swansea.2014.json');
  assert.equal(logOf(out).files['raw/2014/swansea.csv']!.changed_questions, [
    { column: 'Q3b', variable: 'environment/conditions', changed_from_wave: 2013, note: 'reworded' },
  ]);
});

test("a predictor the study asks from a later wave on, in an earlier wave's export, names the export, column, variable, wave and codebook", async () => {
  const doc = JSON.parse(studyText);
  doc.areas.find((a: { slug: string }) => a.slug === 'swansea').themes.environment.predictors.conditions = { sub_items: [], from_wave: 2014 };
  const study = artifact('raw/study.json', JSON.stringify(doc));
  const e = await dataError(async () => await cleanStep({ study: [study], exports: [artifact('raw/2013/swansea.csv', 'ID,Q1,Q2,Q3\nS1,often,never,2\n')], codebooks: [book()] }, {}));
  assert.equal(e.where, { file: 'raw/2013/swansea.csv', column: 'Q3', value: 'environment/conditions' });
  assert.match(e.message, 'says Swansea asks from wave 2014 on, but this is the wave 2013 export, read with codebook raw/codebooks/swansea.json');
  assert.match(e.message, 'swansea.2014.json');
  // From its wave on it is read as any other question.
  const out = await cleanStep({ study: [study], exports: [artifact('raw/2014/swansea.csv', 'ID,Q1,Q2,Q3\nS1,often,never,2\n')], codebooks: [book()] }, {});
  assert.equal(records(readAll(out)).map((r) => r.themes.environment.conditions), [2]);
});

test('a wave-specific codebook must be named for its wave', async () => {
  const e = await dataError(async () => await run('ID,Q1,Q2,Q3\n', [book({ ...codebook, wave: 2014 })]));
  assert.is(e.where.file, 'raw/codebooks/swansea.json');
  assert.match(e.message, 'swansea.2014.json');
});

test('sub-items become an object keyed by label; variables not asked are absent, not null', async () => {
  const barnet = {
    area: 'Barnet',
    synthetic: false,
    dont_know: ["don't know"],
    columns: {
      Resp: { variable: 'respondent_id' },
      Sex: { variable: 'gender', labels: { female: 0, male: 1 } },
      SE_C: { variable: 'community safety/self_efficacy/crime', numeric: true },
      SE_A: { variable: 'community safety/self_efficacy/anti-social behaviour', numeric: true },
      Grp: { variable: 'nudge', labels: { control: 'none', a: 'A', b: 'B', ab: 'both' } },
    },
  };
  const out = await run('Resp,SE_A,Sex,SE_C,Grp\nB7,4,Male,2,AB\n', [book(barnet, 'raw/codebooks/barnet.json')], 'raw/2013/barnet.csv');
  assert.equal(records(out), [
    {
      wave: 2013,
      area: 'Barnet',
      respondent_id: 'B7',
      source: { file: 'raw/2013/barnet.csv', line: 2 },
      gender: 1,
      nudge: 'both',
      themes: { 'community safety': { self_efficacy: { crime: 2, 'anti-social behaviour': 4 } } },
    },
  ]);
  assert.is(logOf(out).synthetic, false);
});

test('source lines count the header as line 1 and survive quoted line breaks', async () => {
  const out = await run('ID,Q1,Q2,Q3\n"S\n1",often,never,3\n\nS2,often,never,3\n');
  assert.equal(records(out).map((r) => r.source.line), [2, 5]);
});

test('records come out by wave, then area, whatever order the exports arrive in', async () => {
  const bristolBook = { ...codebook, area: 'Bristol' };
  const out = await clean(
    {
      exports: [
        artifact('raw/2014/swansea.csv', 'ID,Q1,Q2,Q3\nS9,often,never,3\n'),
        artifact('raw/2013/swansea.csv', 'ID,Q1,Q2,Q3\nS1,often,never,3\n'),
        artifact('raw/2013/bristol.csv', 'ID,Q1,Q2,Q3\nB1,often,never,3\n'),
      ],
      codebooks: [book(), book(bristolBook, 'raw/codebooks/bristol.json')],
    },
    {},
  );
  assert.equal(records(out).map((r) => r.respondent_id), ['B1', 'S1', 'S9']);
});

test('an export outside raw/<wave>/<slug>.csv, or without a codebook, is a DataError naming the file', async () => {
  assert.is((await dataError(async () => await run('ID\n', [book()], 'raw/2013/cardiff.csv'))).where.file, 'raw/2013/cardiff.csv');
  assert.is((await dataError(async () => await run('ID\n', [book()], 'raw/latest/swansea.csv'))).where.file, 'raw/latest/swansea.csv');
  assert.match((await dataError(async () => await run('ID\n', [], 'raw/2013/swansea.csv'))).message, 'raw/codebooks/swansea.json');
});

test('a row with the wrong number of cells is a DataError naming file and line', async () => {
  const e = await dataError(async () => await run('ID,Q1,Q2,Q3\nS1,often,never,3\nS2,often,never\n'));
  assert.equal([e.where.file, e.where.line], ['raw/2013/swansea.csv', 3]);
});

test('empty lines before the header are skipped, and counted in source lines', async () => {
  assert.equal(records(await run('\n\nID,Q1,Q2,Q3\nS1,often,never,3\n')).map((r) => r.source.line), [4]);
  assert.match((await dataError(async () => await run('\n\n'))).message, 'export is empty');
});

test('Windows line endings read like Unix ones', async () => {
  const out = await run('ID,Q1,Q2,Q3\r\nS1,often,never,3\r\nS2,never,often,1\r\n');
  assert.equal(records(out).map((r) => [r.respondent_id, r.source.line]), [['S1', 2], ['S2', 3]]);
});

test('clean leaves its inputs unchanged', async () => {
  const exp = artifact('raw/2013/swansea.csv', 'ID,Q1,Q2,Q3\nS1,often,never,3\n');
  const before = exp.bytes.slice();
  await clean({ exports: [exp], codebooks: [book()] }, {});
  assert.equal([...exp.bytes], [...before]);
});

test('exports of several waves and areas come out in wave and area order, every row accounted for', async () => {
  const books = [book(), book({ ...codebook, area: 'Bristol' }, 'raw/codebooks/bristol.json'), book({ ...codebook, area: 'Wolverhampton' }, 'raw/codebooks/wolverhampton.json')];
  const exports = [
    artifact('raw/2013/swansea.csv', Buffer.from('ID,Q1,Q2,Q3\r\nS1,often,never,3\r\nS2,Often ,sometiems,9\r\n')),
    artifact('raw/2013/bristol.csv', Buffer.from('ID,Q1,Q2,Q3\nB1,never,DK,\n"B\n2",often,never,4\n')),
    artifact('raw/2014/wolverhampton.csv', Buffer.from('ID,Q1,Q2,Q3\nN1,often,often,1\n\nN2,never,never,2\n')),
    artifact('raw/2013/wolverhampton.csv', Buffer.from('ID,Q1,Q2,Q3\nM1,sometimes,never,5\n')),
  ];
  const out = readAll(await clean({ exports, codebooks: books }, {}));
  assert.equal(records(out).map((r) => [r.respondent_id, r.source.file, r.source.line]), [
    ['B1', 'raw/2013/bristol.csv', 2],
    ['B\n2', 'raw/2013/bristol.csv', 3],
    ['S1', 'raw/2013/swansea.csv', 2],
    ['M1', 'raw/2013/wolverhampton.csv', 2],
    ['N1', 'raw/2014/wolverhampton.csv', 2],
    ['N2', 'raw/2014/wolverhampton.csv', 4],
  ]);
  assert.equal(lines(out, 'quarantine.ndjson').map((q) => [q.source.file, q.source.line]), [['raw/2013/swansea.csv', 3]]);
  const files = logOf(out).files;
  assert.equal(Object.keys(files).map((f) => [f, files[f]!.raw_rows, files[f]!.records, files[f]!.quarantined]), [
    ['raw/2013/bristol.csv', 2, 2, 0],
    ['raw/2013/swansea.csv', 2, 1, 1],
    ['raw/2013/wolverhampton.csv', 1, 1, 0],
    ['raw/2014/wolverhampton.csv', 2, 2, 0],
  ]);
});

test('with several exports, the first bad file in wave and area order is the one reported', async () => {
  const books = [book(), book({ ...codebook, area: 'Bristol' }, 'raw/codebooks/bristol.json'), book({ ...codebook, area: 'Wolverhampton' }, 'raw/codebooks/wolverhampton.json')];
  const exports = [
    artifact('raw/2013/swansea.csv', 'ID,Q1,Q2,Q3\nS1,often,never\n'),
    artifact('raw/2013/wolverhampton.csv', 'ID,Q1,Q2,Q3\nM1,sometimes,never,5\n'),
    artifact('raw/2013/bristol.csv', 'ID,Q1,Q2,Q3\nB1,never,DK,\nB2,Offten,never,3\n'),
  ];
  const e = await dataError(async () => readAll(await clean({ exports, codebooks: books }, {})));
  assert.equal(e.where, { file: 'raw/2013/bristol.csv', line: 3, column: 'Q1', value: 'Offten' });
});

test('byte-order mark, Windows line ends, empty lines, spaces, escapes and blank IDs together', async () => {
  const csv =
    '\ufeffID,Q1,Q2,Q3\r\nS1, Often ,never,3\r\n\r\nS2,often,sometiems,9\r\n  S3 ,DK,often,\r\n' +
    'S\\4,never,NEVER,2\r\nS\u00e95,Sometimes,dk,12\r\n,often,often,1\r\n';
  const out = await run(csv);
  assert.equal(records(out).map((r) => [r.respondent_id, r.source.line]), [['S1', 2], ['S3', 5], ['S\\4', 6], ['S\u00e95', 7], [null, 8]]);
  assert.equal(lines(out, 'quarantine.ndjson').map((q) => q.source.line), [4]);
  assert.equal(logOf(out).files['raw/2013/swansea.csv']!.columns.ID!.blank, 1);
});

test('a negative number in a numeric column is not a code: negative codes are kinds of missing answer', async () => {
  const e = await dataError(async () => await run('ID,Q1,Q2,Q3\nS1,often,never,-1\n'));
  assert.equal(e.where, { file: 'raw/2013/swansea.csv', line: 2, column: 'Q3', value: '-1' });
});

test('records.arrow is a table of codes any Arrow reader opens: one column per variable, missing answers as their codes', async () => {
  const out = await run("ID,Q1,Q2,Q3\nS1,often,Don't know,\n");
  const table = tableFromIPC(outputBytes(out['records.arrow']!));
  assert.equal(table.toArray().map((r) => ({ ...r })), [
    {
      wave: 2013,
      area: 'Swansea',
      respondent_id: 'S1',
      source_file: 'raw/2013/swansea.csv',
      source_line: 2,
      'environment/activities/recycle': 1,
      'environment/join_groups': -1,
      'environment/conditions': -3,
    },
  ]);
});

test('cells with the same lookup hash still decode to their own codes', async () => {
  // As written in the export: "Aa" and "BB" give the same 31-multiplier hash, so the first two cells
  // collide; the others are near misses.
  const cells = ['xyzwAaq', 'xyzwBBq', 'xyzwAbq', 'xyAwAbq'];
  const labels = { xyzwaaq: 1, xyzwbbq: 2, xyzwabq: 3, xyawabq: 4 };
  const alike = { ...codebook, columns: { ID: codebook.columns.ID, Q1: { variable: 'environment/conditions', labels } } };
  const rows = cells.flatMap((cell, i) => [`S${i},${cell}`, `T${i},${cell}`]);
  const out = await run(`ID,Q1\n${rows.join('\n')}\n`, [book(alike)]);
  assert.equal(records(out).map((r) => r.themes.environment.conditions), [1, 1, 2, 2, 3, 3, 4, 4]);
  const recodes = logOf(out).files['raw/2013/swansea.csv']!.columns.Q1!.recodes;
  assert.equal(recodes, { xyawabq: { code: 4, count: 2 }, xyzwaaq: { code: 1, count: 2 }, xyzwabq: { code: 3, count: 2 }, xyzwbbq: { code: 2, count: 2 } });
});

test.run();
