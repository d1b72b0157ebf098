import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { artifact } from '../../../contract/step.js';
import { decodeCell, loadCodebook, normaliseLabel } from '../../../lib/survey/codebook.js';
import { codebookIndex } from '../../../lib/survey/exports.js';
import { dataError } from '../../data-error.js';
import { study } from '../../study.js';

const base = {
  area: 'Bristol',
  synthetic: false,
  dont_know: ["don't know", 'dk'],
  columns: {
    Serial: { variable: 'respondent_id' },
    Q1: { variable: 'environment/join_groups', numeric: true, labels: { '9': 'dont_know', '0': null } },
    Q2: { variable: 'environment/conditions', labels: { good: 5, bad: 1 } },
  },
};
const load = (book: unknown, path = 'raw/codebooks/bristol.json') => loadCodebook(artifact(path, JSON.stringify(book)), study);


test('labels are compared trimmed, lower-cased and with inner spaces collapsed; apostrophes are not folded', () => {
  assert.is(normaliseLabel('  Very   Good '), 'very good');
  assert.is(normaliseLabel('DON’T KNOW'), 'don’t know');
});

test('a cell decodes to a code, a don\'t-know, a blank or unknown', () => {
  const q1 = load(base).columns.get('Q1')!;
  const q2 = load(base).columns.get('Q2')!;
  assert.equal(decodeCell(q1, ' 2 '), { kind: 'code', code: 2 });
  assert.equal(decodeCell(q1, '9'), { kind: 'dont_know' });
  assert.equal(decodeCell(q1, 'DK'), { kind: 'dont_know' });
  assert.equal(decodeCell(q1, '0'), { kind: 'blank' }, 'a label mapped to null is treated as blank');
  assert.equal(decodeCell(q1, ''), { kind: 'blank' });
  assert.equal(decodeCell(q1, 'two'), { kind: 'unknown' });
  assert.equal(decodeCell(q2, '5'), { kind: 'unknown' }, 'only numeric columns pass numbers through');
  assert.equal(decodeCell(q2, 'GOOD'), { kind: 'code', code: 5 });
});

test('every schema violation is listed, the first one named by its path', () => {
  const e = dataError(() => load({ ...base, dont_know: [], extra: 1 }));
  assert.is(e.where.file, 'raw/codebooks/bristol.json');
  assert.is(e.where.path, '/');
  assert.match(e.message, "must NOT have additional properties");
  assert.match(e.message, '/dont_know: must NOT have fewer than 1 items');
});

test('a column with no way to read its cells is reported at its path', () => {
  const e = dataError(() => load({ ...base, columns: { ...base.columns, Q3: { variable: 'environment/self_efficacy' } } }));
  assert.equal([e.where.path, e.where.value], ['/columns/Q3', 'Q3']);
});

test('two columns for one variable, or a predictor asked per sub-item where the study asks it whole, are rejected', () => {
  const twice = dataError(() => load({ ...base, columns: { ...base.columns, Q3: { variable: 'environment/conditions', numeric: true } } }));
  assert.equal(twice.where.path, '/columns/Q3/variable');
  const both = dataError(() =>
    load({ ...base, columns: { ...base.columns, Q3: { variable: 'environment/conditions/crime', numeric: true } } }),
  );
  assert.match(both.message, 'is not one the study (raw/study.json) says Bristol asks');
});

test('a codebook needs exactly one respondent ID column', () => {
  const e = dataError(() => load({ ...base, columns: { Q1: base.columns.Q1, Q2: base.columns.Q2 } }));
  assert.is(e.where.path, '/columns');
  assert.match(e.message, 'exactly one column must map to respondent_id');
});

test('only the nudge column maps labels to nudge groups, and it maps to nothing else', () => {
  const wrong = dataError(() => load({ ...base, columns: { ...base.columns, V: { variable: 'nudge', labels: { '1': 1 } } } }));
  assert.is(wrong.where.path, '/columns/V/labels/1');
  const elsewhere = dataError(() => load({ ...base, columns: { ...base.columns, Q2: { variable: 'environment/conditions', labels: { good: 'A' } } } }));
  assert.is(elsewhere.where.path, '/columns/Q2/labels/good');
});

test('a code outside the scale of the variable it maps to is a codebook error, named at its path', () => {
  const e = dataError(() => load({ ...base, columns: { ...base.columns, Q2: { variable: 'environment/conditions', labels: { good: 5, bad: 6 } } } }));
  assert.is(e.where.file, 'raw/codebooks/bristol.json');
  assert.is(e.where.path, '/columns/Q2/labels/bad');
  assert.is(e.where.value, 6);
  assert.match(e.message, 'code 6 is outside the conditions scale of environment/conditions (1–5');
  const activity = dataError(() => load({ ...base, columns: { ...base.columns, A: { variable: 'environment/activities/recycle', labels: { never: 4 } } } }));
  assert.match(activity.message, 'code 4 is outside the frequency scale');
  const sets = dataError(() => load({ ...base, label_sets: { freq: { often: 1, never: 0 } }, columns: { ...base.columns, A: { variable: 'environment/activities/recycle', label_set: 'freq' } } }));
  assert.is(sets.where.path, '/label_sets/freq/never');
});

test("a label that is also a don't-know spelling cannot map to a code", () => {
  const e = dataError(() => load({ ...base, columns: { ...base.columns, Q2: { variable: 'environment/conditions', labels: { good: 5, dk: 3 } } } }));
  assert.is(e.where.path, '/columns/Q2/labels/dk');
  assert.match(e.message, `"dk" is one of the codebook's don't-know spellings`);
  assert.ok(load({ ...base, columns: { ...base.columns, Q2: { variable: 'environment/conditions', labels: { good: 5, dk: 'dont_know' } } } }));
});

test('a codebook with a label given twice is refused before any export is read', () => {
  const text = JSON.stringify(base, null, 2).replace('"good": 5,', '"good": 5,\n        "good": 1,');
  const e = dataError(() => loadCodebook(artifact('raw/codebooks/bristol.json', text), study));
  assert.match(e.message, 'the key "good" appears twice');
  assert.is(e.where.path, '/columns/Q2/labels');
});

test('clean refuses a codebook still marked as a draft, naming the columns left to review', () => {
  const draft = {
    ...base,
    draft: true,
    columns: {
      Serial: { variable: 'respondent_id', review: ['the ID column, guessed from its name'] },
      Q2: { variable: 'environment/conditions', labels: { good: 5, bad: 1 }, review: ['guessed from the label'] },
    },
  };
  const e = dataError(() => load(draft));
  assert.is(e.where.path, '/draft');
  assert.match(e.message, 'codebook is a draft (npm run codebook -- draft): review "Serial", "Q2" against the questionnaire');
});

test('a version\'s "wave" must agree with its file name, and the error names both', () => {
  assert.is(load({ ...base, wave: 2014 }, 'raw/codebooks/bristol.2014.json').wave, 2014);
  const e = dataError(() => load({ ...base, wave: 2014 }, 'raw/codebooks/bristol.2015.json'));
  assert.is(e.where.file, 'raw/codebooks/bristol.2015.json');
  assert.is(e.where.path, '/wave');
  assert.is(e.where.value, 2014);
  assert.match(e.message, 'the file name says this version applies from wave 2015, but its "wave" is 2014');
  const unset = dataError(() => load(base, 'raw/codebooks/bristol.2015.json'));
  assert.match(unset.message, 'its "wave" is not set');
});

test('an export reads the latest codebook version at or before its wave, else the first one', () => {
  const first = load(base);
  const v2014 = load({ ...base, wave: 2014 }, 'raw/codebooks/bristol.2014.json');
  const v2016 = load({ ...base, wave: 2016 }, 'raw/codebooks/bristol.2016.json');
  const pick = codebookIndex([v2016, first, v2014], study);
  const at = (wave: number) => pick({ file: `raw/${wave}/bristol.csv`, wave, area: 'Bristol' }).file;
  assert.equal([2013, 2014, 2015, 2016, 2017].map(at), [first.file, v2014.file, v2014.file, v2016.file, v2016.file]);
  const none = dataError(() => codebookIndex([v2014], study)({ file: 'raw/2013/bristol.csv', wave: 2013, area: 'Bristol' }));
  assert.match(none.message, 'no codebook for area "Bristol" in wave 2013');
});



test('a codebook mapping a variable its area does not ask in the study names the codebook, the path and the variable', () => {
  const e = dataError(() => load({ ...base, columns: { ...base.columns, Q3: { variable: 'health/conditions', numeric: true } } }));
  assert.equal(e.where, { file: 'raw/codebooks/bristol.json', path: '/columns/Q3/variable', value: 'health/conditions' });
  assert.match(e.message, 'is not one the study (raw/study.json) says Bristol asks: correct the variable, or add the question');
});

test('a codebook for an area the study does not have says where to add it', () => {
  const e = dataError(() => load({ ...base, area: 'Leeds' }, 'raw/codebooks/leeds.json'));
  assert.equal(e.where, { file: 'raw/codebooks/leeds.json', path: '/area', value: 'Leeds' });
  assert.match(e.message, 'area "Leeds" is not in the study (raw/study.json): add it under "areas" there');
});
test.run();
