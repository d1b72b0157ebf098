import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import schema from '../../../schemas/codebook.schema.json' with { type: 'json' };
import type { ExportTable } from '../../../lib/survey/readers/index.js';
import { draftCodebook } from '../../../tools/codebook/draft.js';
import { read } from '../../lib/survey/readers/fixtures.js';

const GOLDEN = new URL('panel-sav.draft.json', import.meta.url);

test('a draft from a .sav: variable labels, value labels as answers, guessed variables and codes, review notes (golden file)', async () => {
  const draft = draftCodebook(await read('panel.sav'), 'Barnet', 'npm run codebook -- draft raw/2013/barnet.sav');
  const text = `${JSON.stringify(draft, null, 2)}\n`;
  const expected = readFileSync(GOLDEN, 'utf8');
  if (text !== expected) writeFileSync(new URL('panel-sav.draft-changed.json', import.meta.url), text);
  assert.is(text, expected, 'see panel-sav.draft-changed.json');
});

test('a draft passes the codebook schema; without "draft" its review notes do not', async () => {
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
  const validate = ajv.compile(schema);
  const draft = draftCodebook(await read('panel.sav'), 'Barnet', 'npm run codebook -- draft raw/2013/barnet.sav');
  assert.ok(validate(draft), JSON.stringify(validate.errors));
  const { draft: _, ...undrafted } = draft;
  assert.not.ok(validate(undrafted));
  assert.ok(validate.errors!.some((e) => e.instancePath === '/columns/RespondentID' && e.params.additionalProperty === 'review'));
});

test('the same answers as CSV and .xlsx draft the mappings the .sav drafts, for the answers they hold', async () => {
  const labels = (t: ExportTable) => Object.fromEntries(Object.entries(draftCodebook(t, 'Barnet', '').columns).map(([h, c]) => [h, c.labels ?? {}]));
  const sav = labels(await read('panel.sav'));
  // A .sav lists every value label, used or not; a CSV or a sheet shows only the answers given.
  const expected = {
    RespondentID: {},
    Q1: { often: 1, sometimes: 2, never: 3, refused: 'refused' },
    Q2: { often: 1, sometimes: 2, never: 3, refused: 'refused' },
    Q3: sav.Q3,
    Gender: { male: 1, female: 0, 'no answer': null },
    Age: { '18-24': 1, '25-34': 2, '35-44': 3, '65 or over': 6 },
    Comment: {},
  };
  assert.equal(labels(await read('panel.csv')), expected);
  assert.equal(labels(await read('panel.xlsx', { sheet: 'Responses' })), expected);
});

const table = (names: string[], rows: string[][]): ExportTable => ({
  file: 't.csv',
  format: 'csv',
  columns: names.map((name) => ({ name })),
  rows: rows.map((cells, i) => ({ at: i + 2, cells })),
});

test('codes without labels: whole numbers pass through, 9 above the scale is read as don\'t know, nudge codes 1-4 in order', () => {
  const draft = draftCodebook(
    table(
      ['Serial', 'ENV_Q1', 'VERSION', 'ethnic_group'],
      [
        ['1', '1', '1', 'White'],
        ['2', '3', '2', 'Mixed'],
        ['3', '9', '3', 'Asian'],
        ['4', '2', '4', 'Other'],
      ],
    ),
    'Bristol',
    '',
  );
  assert.equal(draft.columns.Serial!.variable, 'respondent_id');
  assert.equal(draft.columns.ENV_Q1, {
    variable: '',
    labels: { '9': 'dont_know' },
    numeric: true,
    answers: ['1', '2', '3', '9'],
    review: [
      'variable not guessed: set it',
      "9 read as don't know (the customary code above the scale)",
      "codes 1, 2, 3 pass through as they are: check that they run as the study's scale does, not reversed",
    ],
  });
  assert.equal(draft.columns.VERSION!.labels, { '1': 'none', '2': 'A', '3': 'B', '4': 'both' });
  assert.equal(draft.columns.ethnic_group!.labels, { white: 0, mixed: 1, asian: 1, other: 1 });
});

test('the golden file exists (it is never written by the test)', () => {
  assert.ok(existsSync(GOLDEN));
});

test.run();
