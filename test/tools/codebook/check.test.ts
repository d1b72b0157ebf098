import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkExport, formatCheck } from '../../../tools/codebook/check.js';
import type { CodebookJson } from '../../../tools/codebook/codebook-json.js';
import { read } from '../../lib/survey/readers/fixtures.js';

const frequency = { often: 1, sometimes: 2, never: 3 };
const book: CodebookJson = {
  dont_know: ["don't know"],
  label_sets: { frequency },
  columns: {
    RespondentID: { variable: 'respondent_id' },
    Q1: { variable: 'community safety/activities/report_crime', label_set: 'frequency' },
    Q2: { variable: 'community safety/join_groups', labels: { ...frequency, refused: null } },
    Q3: { variable: 'community safety/willing_time', numeric: true },
    Gender: { variable: 'gender', labels: { male: 1, female: 0 } },
    Ethnicity: { variable: 'ethnicity', labels: { white: 0 } },
  },
};

test('check lists a missing variable, a column the codebook lacks, and each answer it does not map, with where it first occurs', async () => {
  const report = checkExport(await read('panel.sav'), book);
  assert.equal(report, {
    missingColumns: ['Ethnicity'],
    extraColumns: ['Age', 'Comment'],
    unmapped: [
      { column: 'Q1', answer: 'refused', count: 1, first: 'case 4' },
      { column: 'Q1', answer: '7', count: 1, first: 'case 5' },
      { column: 'Q3', answer: 'a few hours a week or more', count: 1, first: 'case 1', notCode: true },
      { column: 'Q3', answer: 'no time', count: 1, first: 'case 2', notCode: true },
      { column: 'Q3', answer: 'a few hours a month', count: 1, first: 'case 4', notCode: true },
      { column: 'Q3', answer: 'a few hours a year', count: 1, first: 'case 5', notCode: true },
      { column: 'Gender', answer: 'no answer', count: 1, first: 'case 4' },
    ],
  });
  assert.is(
    formatCheck('raw/2013/barnet.sav', 'raw/codebooks/barnet.json', { ...report, unmapped: report.unmapped.slice(0, 1).concat(report.unmapped.slice(2, 3)) }),
    [
      'raw/2013/barnet.sav: column "Ethnicity" is in raw/codebooks/barnet.json but not in the export',
      'raw/2013/barnet.sav: column "Age" is not in raw/codebooks/barnet.json',
      'raw/2013/barnet.sav: column "Comment" is not in raw/codebooks/barnet.json',
      'raw/2013/barnet.sav, column "Q1", case 4: "refused" is not mapped; 1 answer',
      'raw/2013/barnet.sav, column "Q3", case 1: "a few hours a week or more" is not mapped (the column takes whole-number codes); 1 answer',
    ].join('\n'),
  );
});

test('a CSV reports lines, a sheet its rows', async () => {
  const narrow: CodebookJson = { dont_know: [], columns: { RespondentID: { variable: 'respondent_id' }, Q1: { variable: 'x', labels: frequency } } };
  const csv = checkExport(await read('panel.csv'), narrow);
  const xlsx = checkExport(await read('panel.xlsx', { sheet: 'Responses' }), narrow);
  assert.equal(
    csv.unmapped.map((u) => `${u.answer} ${u.first}`),
    ['refused line 5', '7 line 6'],
  );
  assert.equal(
    xlsx.unmapped.map((u) => `${u.answer} ${u.first}`),
    ['refused row 5', '7 row 6'],
  );
});

test('an export its codebook maps fully says so', async () => {
  const full: CodebookJson = { dont_know: [], columns: { RespondentID: { variable: 'respondent_id' }, Q2: { variable: 'x', labels: { ...frequency, refused: null, "don't know": 'dont_know' } } } };
  const report = checkExport(await read('panel.sav'), full);
  assert.equal(report.unmapped, []);
  assert.is(formatCheck('a.sav', 'b.json', { ...report, extraColumns: [] }), 'a.sav: every answer is mapped by b.json');
});

test('check maps a cell as clean does (decodeCell): a negative number in a numeric column is a label to name, not a code', () => {
  const numeric: CodebookJson = { dont_know: ['dk'], columns: { ID: { variable: 'respondent_id' }, Q3: { variable: 'environment/conditions', numeric: true, labels: { '9': 'dont_know' } } } };
  const table = {
    file: 'raw/2013/swansea.csv',
    format: 'csv' as const,
    columns: [{ name: 'ID' }, { name: 'Q3' }],
    rows: [
      { at: 2, cells: ['S1', '-9'] },
      { at: 3, cells: ['S2', ' 3 '] },
      { at: 4, cells: ['S3', 'DK'] },
      { at: 5, cells: ['S4', '9'] },
      { at: 6, cells: ['S5', '2.5'] },
    ],
  };
  assert.equal(checkExport(table, numeric).unmapped, [
    { column: 'Q3', answer: '-9', count: 1, first: 'line 2', notCode: true },
    { column: 'Q3', answer: '2.5', count: 1, first: 'line 6', notCode: true },
  ]);
});

test.run();
