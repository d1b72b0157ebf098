import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rake, trimWeights } from '../../../lib/stats/raking.js';
import { surveyCorrelation, surveyMean, surveyRegression, weightedCorrelation, type Design } from '../../../lib/stats/survey-estimates.js';
import { assertAbsolute, assertRelative } from './r-reference.js';
import { surveyReference as R, surveyTable } from './survey-reference.js';

const panel = surveyTable('panel');
const population = (name: string) => Array.from(surveyTable(`population-${name}`).Freq!);
const raked = rake(
  [
    { name: 'age', cells: panel.age!.map((a) => a - 1), population: population('age') },
    { name: 'sex', cells: panel.sex!.map((s) => s - 1), population: population('sex') },
  ],
  { epsilon: R.raking.converged.epsilon, maxPasses: R.raking.converged.maxit },
);
// The trimmed design keeps the raking it came from, as survey's trimWeights does.
const designs: Record<string, Design> = {
  unweighted: { weights: new Float64Array(panel.age!.length).fill(1) },
  raked: { weights: raked.weights, raking: raked.steps },
  trimmed: { weights: trimWeights(raked.weights, { lower: R.raking.trimmed.lower, upper: R.raking.trimmed.upper }), raking: raked.steps },
};

for (const { design, estimates } of R.means)
  for (const e of estimates)
    test(`the ${design} mean of ${e.variable} and its linearised SE match svymean`, () => {
      const got = surveyMean(panel[e.variable]!, designs[design]!);
      assertRelative(got.mean, e.mean, 1e-12, 'mean');
      assertRelative(got.se, e.se, 1e-9, 'SE');
    });

for (const { design, models } of R.glms)
  for (const m of models)
    test(`the ${design} regression ${m.formula} matches svyglm`, () => {
      const [outcome, rhs] = m.formula.split(' ~ ');
      const names = rhs!.split(' + ');
      const got = surveyRegression(panel[outcome!]!, names.map((n) => panel[n]!), names, designs[design]!);
      assert.is(got.df, m.df);
      assert.equal(got.terms.map((t) => t.name), m.terms);
      got.terms.forEach((t, k) => {
        assertRelative(t.coef, m.coef[k]!, 1e-10, `${t.name} coefficient`);
        assertRelative(t.se, m.se[k]!, 1e-9, `${t.name} SE`);
        assertRelative(t.t, m.t[k]!, 1e-9, `${t.name} t`);
        assertRelative(t.p, m.p[k]!, 1e-6, `${t.name} p`);
      });
    });

const weightsOf: Record<string, ArrayLike<number>> = { raked: designs.raked!.weights, trimmed: designs.trimmed!.weights };
for (const { design, estimates } of R.correlations)
  for (const e of estimates)
    test(`the ${design} correlation of ${e.x} and ${e.y} matches cov.wt(cor = TRUE)`, () => {
      const got = weightedCorrelation(panel[e.x]!, panel[e.y]!, weightsOf[design]!);
      assert.is(got.n, e.n);
      assertAbsolute(got.r, e.r, 1e-12, 'r');
    });

// R's domain is subset(design, arm_a == 1): the other respondents stay in the design with no value.
const inDomain = (column: Float64Array) => column.map((v, i) => (panel.arm_a![i] === 1 ? v : NaN));
for (const { design, estimates, domain } of R.correlation_inference)
  for (const [where, list] of [['', estimates], [' in the arm_a domain', domain]] as const)
    for (const e of list)
      test(`the ${design} correlation of ${e.x} and ${e.y}${where}, its SE, interval and test match svyvar + svycontrast`, () => {
        const pick = (v: string) => (where ? inDomain(panel[v]!) : panel[v]!);
        const got = surveyCorrelation(pick(e.x), pick(e.y), designs[design]!);
        assert.is(got.n, e.n);
        assertAbsolute(got.r, e.r, 1e-12, 'r');
        assertAbsolute(got.r, e.r_cov2cor, 1e-12, 'r (cov2cor)');
        assertRelative(got.se, e.se, 1e-12, 'SE');
        assertAbsolute(got.ciLow, e.ci_lower, 1e-12, 'CI lower');
        assertAbsolute(got.ciHigh, e.ci_upper, 1e-12, 'CI upper');
        assertRelative(got.z, e.z, 1e-12, 'z');
        assertRelative(got.p, e.p, 1e-12, 'p');
      });

test('raking lowers the SE of a variable its margins explain, against the same weights taken as fixed', () => {
  const calibrated = surveyMean(panel.index!, designs.raked!).se;
  const fixed = surveyMean(panel.index!, { weights: designs.raked!.weights }).se;
  assert.ok(calibrated < fixed, `${calibrated} < ${fixed}`);
});

test("a raked design's cell sums, worked out for its first estimate, serve the next ones unchanged", () => {
  const copy = () => ({ weights: raked.weights, raking: { margins: raked.steps.margins.map((m) => ({ ...m })) } });
  const shared = designs.raked!;
  const first = surveyMean(panel.index!, shared);
  assert.equal(surveyMean(panel.index!, shared), first);
  assert.equal(surveyMean(panel.index!, copy()), first);
});

test('a variable nobody answered has no mean', () => {
  assert.throws(() => surveyMean([NaN, NaN], { weights: [1, 1] }), /no respondent answered/);
});

test.run();
