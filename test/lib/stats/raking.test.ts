import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { kishDesignEffect, rake, trimWeights, type Margin } from '../../../lib/stats/raking.js';
import { assertAbsolute, assertRelative } from './r-reference.js';
import { surveyReference as R, surveyTable } from './survey-reference.js';

const panel = surveyTable('panel');
const population = (name: string) => Array.from(surveyTable(`population-${name}`).Freq!);
const margins: Margin[] = [
  { name: 'age', cells: panel.age!.map((a) => a - 1), population: population('age') },
  { name: 'sex', cells: panel.sex!.map((s) => s - 1), population: population('sex') },
];

function assertWeights(got: ArrayLike<number>, want: number[], what: string) {
  assert.is(got.length, want.length, `${what}: one weight per respondent`);
  want.forEach((w, i) => assertRelative(got[i]!, w, 1e-12, `${what}, respondent ${i + 1}`));
}

test("raking to convergence gives survey::rake's weights, in as many passes", () => {
  const raked = rake(margins, { epsilon: R.raking.converged.epsilon, maxPasses: R.raking.converged.maxit });
  assertWeights(raked.weights, R.raking.converged.weights, 'raked weight');
  assert.ok(raked.converged);
  assert.is(raked.passes, R.raking.converged.passes);
  assertAbsolute(kishDesignEffect(raked.weights), R.raking.converged.kish, 1e-12, "Kish's design effect");
});

test("survey's default stopping rule (epsilon 1, in weighted counts) stops where survey stops", () => {
  const raked = rake(margins);
  assert.is(raked.passes, R.raking.loose.passes);
  assertWeights(raked.weights, R.raking.loose.weights, 'raked weight (epsilon 1)');
});

test('raked weights reproduce every population margin', () => {
  const { weights } = rake(margins, { epsilon: 1e-12, maxPasses: 100 });
  for (const m of margins) {
    const totals = m.population.map(() => 0);
    for (let i = 0; i < weights.length; i++) totals[m.cells[i]!]! += weights[i]!;
    totals.forEach((t, c) => assertRelative(t, m.population[c]!, 1e-9, `${m.name} category ${c}`));
  }
});

test('raking that has not converged after its passes says so', () => {
  const raked = rake(margins, { epsilon: 1e-12, maxPasses: 2 });
  assert.is(raked.converged, false);
  assert.is(raked.passes, 2);
  assert.ok(raked.delta >= 1e-12);
});

test('trimming moves what it cuts onto the other weights (survey::trimWeights), once or until inside', () => {
  const w = Float64Array.from(R.raking.converged.weights);
  const bounds = { lower: R.raking.trimmed.lower, upper: R.raking.trimmed.upper };
  const once = trimWeights(w, bounds);
  assertWeights(once, R.raking.trimmed.weights, 'trimmed weight');
  assertAbsolute(kishDesignEffect(once), R.raking.trimmed.kish, 1e-12, "Kish's design effect after trimming");
  assertWeights(trimWeights(w, { ...bounds, strict: true }), R.raking.trimmed_strict.weights, 'strictly trimmed weight');
  assertRelative(once.reduce((s, v) => s + v, 0), w.reduce((s, v) => s + v, 0), 1e-12, 'the total weight');
});

test('a category with respondents but no population, or the reverse, is refused with the margin named', () => {
  const cells = [0, 0, 1];
  assert.throws(() => rake([{ name: 'age', cells, population: [10, 0] }]), /margin "age": category 1 has respondents but a population of 0/);
  assert.throws(() => rake([{ name: 'age', cells, population: [10, 5, 5] }]), /margin "age": category 2 has a population of 5 but no respondent/);
  assert.throws(() => rake([{ name: 'sex', cells: [0, 3], population: [1, 1] }]), /margin "sex": row 2 has category 3/);
});

test('equal weights have a design effect of 1', () => {
  assert.is(kishDesignEffect([2, 2, 2]), 1);
});

test.run();
