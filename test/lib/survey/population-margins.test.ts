import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { marginOf, marginSpecs, usableMargins } from '../../../lib/survey/population-margins.js';
import { kishDesignEffect, rake } from '../../../lib/stats/raking.js';
import { surveyMean } from '../../../lib/stats/survey-estimates.js';
import { assertAbsolute, assertRelative } from '../stats/r-reference.js';
import { surveyReference as R, surveyTable } from '../stats/survey-reference.js';

// The margins as the margins file states them: age x sex as one joint margin ("age:sex", cells "age:sex"), arm_a alone.
const joint = surveyTable('population-age-sex');
const arm = surveyTable('population-arm');
const file = {
  'age:sex': Object.fromEntries(Array.from(joint.Freq!, (f, k) => [`${joint.age![k]}:${joint.sex![k]}`, f])),
  arm_a: Object.fromEntries(Array.from(arm.Freq!, (f, k) => [String(arm.arm_a![k]), f])),
};
const panel = surveyTable('panel');
const rows = Array.from(panel.age!, (_, i) => i);
const codes = (variable: string) => Array.from(panel[variable]!);

for (const [name, reference] of Object.entries(R.joint_raking))
  test(`raking to ${reference.margins.join(' and ')} from the margins file gives survey::rake's weights with a joint formula (${name})`, () => {
    const { specs, malformed } = marginSpecs(Object.fromEntries(reference.margins.map((m) => [m, file[m as keyof typeof file]])));
    assert.equal(malformed, []);
    const margins = specs.map((s) => {
      const { margin, unknown } = marginOf(s, codes, rows);
      assert.is(unknown, undefined);
      return margin;
    });
    const raked = rake(margins, { epsilon: 1e-12, maxPasses: 100 });
    assert.is(raked.weights.length, reference.weights.length);
    reference.weights.forEach((w, i) => assertRelative(raked.weights[i]!, w, 1e-12, `weight ${i + 1}`));
    assert.ok(raked.converged);
    assert.is(raked.passes, reference.passes);
    assertAbsolute(kishDesignEffect(raked.weights), reference.kish, 1e-12, "Kish's design effect");
    // The design-based SE of a mean on that raking, joint margin included, as svymean gives it.
    for (const m of reference.means) {
      const got = surveyMean(panel[m.variable]!, { weights: raked.weights, raking: raked.steps });
      assertRelative(got.mean, m.mean, 1e-12, `${m.variable} mean`);
      assertRelative(got.se, m.se, 1e-9, `${m.variable} SE`);
    }
  });

test('a joint margin with one variable not asked is summed over it; none asked, it drops out', () => {
  const { specs } = marginSpecs({ 'age_band:gender': { '1:0': 10, '1:1': 20, '2:0': 30, '2:1': 40 } });
  assert.equal(usableMargins(specs, ['age_band', 'gender']), specs);
  assert.equal(usableMargins(specs, ['age_band']), [{ name: 'age_band', variables: ['age_band'], totals: { '1': 30, '2': 70 } }]);
  assert.equal(usableMargins(specs, ['gender']), [{ name: 'gender', variables: ['gender'], totals: { '0': 40, '1': 60 } }]);
  assert.equal(usableMargins(specs, ['ethnicity']), []);
  // A margin the file gives for that variable already is not doubled.
  const both = marginSpecs({ 'age_band:gender': { '1:0': 10, '1:1': 20, '2:0': 30, '2:1': 40 }, age_band: { '1': 3, '2': 7 } }).specs;
  assert.equal(usableMargins(both, ['age_band']), [both[1]]);
});

test('a cell key with the wrong number of codes, and a respondent in a cell without a total, are named', () => {
  assert.equal(marginSpecs({ 'age_band:gender': { '1:0': 1, '2': 2 } }).malformed, [{ margin: 'age_band:gender', cell: '2' }]);
  const { specs } = marginSpecs({ 'age_band:gender': { '1:0': 1, '1:1': 2 } });
  const got = marginOf(specs[0]!, (v) => (v === 'age_band' ? [1, 2] : [0, 0]), [0, 1]);
  assert.equal(got.unknown, { row: 1, cell: '2:0' });
});

test('cells are ordered by their codes, numerically, first variable first', () => {
  const { specs } = marginSpecs({ 'a:b': { '10:1': 4, '2:1': 2, '2:0': 1, '10:0': 3 } });
  const { margin } = marginOf(specs[0]!, (v) => (v === 'a' ? [10, 2] : [0, 1]), [0, 1]);
  assert.equal(margin.population, [1, 2, 3, 4]);
  assert.equal(margin.cells, [2, 1]);
});

test.run();
