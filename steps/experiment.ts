/**
 * experiment: scores → the nudge experiment analysed as a randomised experiment.
 *
 *   scores.arrow ── groups with nudge arms ─┬─ per area: pre-treatment balance by arm ──────── balance.csv
 *                                           ├─ per theme, outcome: unadjusted and adjusted ── experiment.csv
 *                                           │  (HC3), joint Wald test, BH and Holm per family
 *                                           └─ per theme, outcome, arm: minimum detectable ─── power.csv
 *                                              effect                                    + experiment.json
 *
 * Arms: no nudge (the reference), nudge A, nudge B, both. A respondent without an arm was not randomised
 * and is left out of every table. Only pre-treatment variables may be balanced on or adjusted for: the
 * attitude questions (conditions, satisfaction, self-efficacy) are asked after the nudge text, so the nudge
 * may move them, and adjusting for them (as Table 5 does) can bias the estimate. Here the pre-treatment
 * variables are the demographics (gender, age band, ethnicity), where an area asked them.
 *
 * balance.csv, per wave and area: for each pre-treatment variable its mean by arm (gender: share male,
 * ethnicity: share minority ethnic, age: mean band 1-6), the standardised difference of each arm against
 * no nudge, and the HC3 Wald F test that the three arm means equal the reference's; then all variables at
 * once (HC3 of the multivariate regression, chi-square with 3 x variables df). Themes of an area whose
 * respondents carry the same arms and demographics share one block (`themes` lists them); an area that
 * asked no pre-treatment variable gets one row saying so, with its arm sizes.
 *
 * experiment.csv, per wave, area, theme and outcome (individual index, collective indicator; one model
 * each, no per-item versions): OLS on the three arm dummies over every randomised respondent with the
 * outcome (`unadjusted`, the primary estimate), and the same with the pre-treatment variables of
 * `adjustFor` the area asked (`adjusted`, listwise on those), age entering as its band code. Inference is
 * HC3 throughout: SE, t with n - k df, p, stars (** p < .01, * p < .05) and 95% interval; the joint Wald
 * test (HC3, F form) that all three arm effects are zero; BH and Holm adjusted p across a family, which is
 * every arm contrast of one specification in the wave (named in `family`).
 *
 * power.csv, per unadjusted model and arm: the minimum detectable effect at `power` and two-sided `alpha`,
 * (t_{1-alpha/2} + t_power) x sigma sqrt(1/n_arm + 1/n_none) from the model's residual SD and the arm
 * sizes it used, and the same from the arm's HC3 SE.
 *
 * experiment.json: the parameters used and what each area asked, for the report's Methods section.
 */
import { DataError, type StepInputs, type StepOutputs } from '../contract/step.js';
import { armContrastsHC3, standardisedDifference } from '../lib/stats/balance.js';
import { tQuantile } from '../lib/stats/distributions.js';
import { adjustBH, adjustHolm } from '../lib/stats/multiple-testing.js';
import { ols, type OlsFit } from '../lib/stats/ols.js';
import { minimumDetectableEffect, twoGroupSe } from '../lib/stats/power.js';
import { stars } from '../lib/stats/significance.js';
import { waldTest } from '../lib/stats/wald.js';
import { fixed, significant, toCsv, type Cell } from '../lib/table/csv.js';
import { groupLabel, nudgeTerms, type AnalysisVocabulary } from '../lib/survey/analysis-vocabulary.js';
import { orderedGroups, readScores, type Outcome, type Scores, type ScoresGroup } from '../lib/table/scores.js';
import { completeRanges, pushRow, RowLineage, type Ranges } from '../lib/table/row-lineage.js';
import { balanceHeader, EXPERIMENT_HEADER, POWER_HEADER, type ExperimentInfo } from '../lib/table/experiment-tables.js';

type PreTreatment = string;

export interface ExperimentParams {
  /** Pre-treatment variables the adjusted estimates control for, where the area asked them; default all three. */
  adjustFor?: readonly PreTreatment[];
  /** Two-sided level of the tests and the power calculation; default 0.05. */
  alpha?: number;
  /** Power of the minimum detectable effect; default 0.8. */
  power?: number;
}

/**
 * The study's names a run works with, from the scores table's vocabulary: every arm in table order (the
 * control first), the arms against the control (term name and the arm it marks), each arm's index (the
 * control 0), and the pre-treatment variables (the demographics). Handed to every function that needs them.
 */
interface Design {
  names: readonly string[];
  arms: readonly { term: string; nudge: string }[];
  armIndex: Readonly<Record<string, number>>;
  preTreatment: readonly PreTreatment[];
}
function designOf(v: AnalysisVocabulary): Design {
  return {
    names: v.arms.map((a) => a.name),
    arms: nudgeTerms(v),
    armIndex: Object.fromEntries(v.arms.map((a, i) => [a.name, i])),
    preTreatment: v.demographics.map((d) => d.predictor),
  };
}
const OUTCOMES: readonly Outcome[] = ['individual', 'collective'];


export default async function experiment(inputs: StepInputs, params: ExperimentParams = {}): Promise<StepOutputs> {
  const list = inputs.scores ?? [];
  if (list.length !== 1) throw new DataError(`experiment expects exactly one "scores" input, got ${list.length}`, { value: list.map((a) => a.path) });
  const file = list[0]!.path;
  const scores = readScores(list[0]!.bytes, file);
  const design = designOf(scores.layout.vocabulary);
  const adjustFor = params.adjustFor ?? design.preTreatment;
  for (const v of adjustFor)
    if (!design.preTreatment.includes(v)) throw new DataError(`experiment parameter adjustFor names a variable that is not pre-treatment (allowed: ${design.preTreatment.join(', ')})`, { path: 'params.adjustFor', value: v });
  const alpha = params.alpha ?? 0.05;
  const power = params.power ?? 0.8;
  for (const [name, value] of [['alpha', alpha], ['power', power]] as const)
    if (!(value > 0 && value < 1)) throw new DataError(`experiment parameter ${name} must lie strictly between 0 and 1`, { path: `params.${name}`, value });
  const groups = orderedGroups(scores.layout).filter((g) => g.nudge && g.rows > 0);
  const data = groups.map((g) => groupData(scores, g, design));

  const balanceSources: Ranges[] = [];
  const balance = balanceRows(data, design, file, balanceSources);
  const models = data.flatMap((d) => OUTCOMES.filter((o) => d.group.outcomes.includes(o)).flatMap((o) => fitModels(d, design, o, adjustFor, file)));
  const estimates = estimateRows(models, design, alpha);
  const powerRows = models.filter((m) => m.specification === 'unadjusted').flatMap((m) => mdeRows(m, design, alpha, power));

  const wave = groups[0]?.wave ?? scores.layout.groups[0]?.wave ?? 0;
  const areas = [...new Set(data.map((d) => d.group.area))];
  const info: ExperimentInfo = {
    wave,
    min_activity_answers: scores.layout.min_activity_answers,
    alpha,
    power,
    adjust_for: [...adjustFor],
    pre_treatment: areas.map((area) => ({ area, asked: data.find((d) => d.group.area === area)!.asked })),
    families: estimates.families,
  };
  // Row lineage (explain --cell): each estimate and each MDE rests on its model's rows, as many as its n.
  const lineageOf = (sets: readonly Ranges[]) => {
    const lineage = new RowLineage([file], ['row']);
    for (const ranges of sets) lineage.add([[0, ranges]]);
    return lineage.json();
  };
  const modelLineage = (ms: readonly Model[]) => lineageOf(ms.flatMap((m) => design.arms.map(() => m.used)));
  return {
    'balance.csv': { content: toCsv(balanceHeader(design.names), balance), rows: balance.length },
    'balance.csv.lineage.json': lineageOf(balanceSources),
    'experiment.csv': { content: toCsv(EXPERIMENT_HEADER, estimates.rows), rows: estimates.rows.length },
    'experiment.csv.lineage.json': modelLineage(models),
    'power.csv': { content: toCsv(POWER_HEADER, powerRows), rows: powerRows.length },
    'power.csv.lineage.json': modelLineage(models.filter((m) => m.specification === 'unadjusted')),
    'experiment.json': JSON.stringify(info, null, 2) + '\n',
  };
}

/** A group's arm per row (NaN: none assigned), its arm dummies and the pre-treatment columns it asked. */
interface GroupData {
  group: ScoresGroup;
  arm: Float64Array;
  dummies: Float64Array[];
  asked: PreTreatment[];
  pre: Map<PreTreatment, Float64Array>;
  outcomes: Map<Outcome, Float64Array>;
}

function groupData(scores: Scores, g: ScoresGroup, design: Design): GroupData {
  const nudges = scores.nudges(g.start, g.start + g.rows);
  const arm = Float64Array.from(nudges, (n) => (n === null ? NaN : design.armIndex[n]!));
  const dummies = design.arms.map((_, k) => Float64Array.from(arm, (a) => (Number.isNaN(a) ? NaN : a === k + 1 ? 1 : 0)));
  const asked = design.preTreatment.filter((v) => g.variables.includes(v));
  const column = (name: string) => scores.numeric(name, g.start, g.start + g.rows);
  return {
    group: g,
    arm,
    dummies,
    asked,
    pre: new Map(asked.map((v) => [v, column(v)])),
    outcomes: new Map(OUTCOMES.filter((o) => g.outcomes.includes(o)).map((o) => [o, column(o)])),
  };
}

// ---- balance ------------------------------------------------------------------------------------

/** `sources` receives each row's scores rows: the randomised respondents with the row's variables, in the block's first theme. */
function balanceRows(data: readonly GroupData[], design: Design, file: string, sources: Ranges[] = []): Cell[][] {
  // Cells left blank where nothing is compared: a mean per arm, a difference per treatment arm, the test's five.
  const untested = design.names.length + design.arms.length + 5;
  // Themes of one area with identical arms and demographics give identical balance: one block for them.
  const blocks: { first: GroupData; themes: string[] }[] = [];
  for (const d of data) {
    const same = blocks.find((b) => b.first.group.area === d.group.area && sameColumns(b.first, d));
    if (same) same.themes.push(d.group.theme);
    else blocks.push({ first: d, themes: [d.group.theme] });
  }
  return blocks.flatMap(({ first, themes }) => {
    const g = first.group;
    const key: Cell[] = [g.wave, g.area, themes.join('; ')];
    const used = (variables: readonly PreTreatment[]) => completeRanges(g.start, [first.arm, ...variables.map((v) => first.pre.get(v)!)]);
    if (first.asked.length === 0) {
      const c = armCounts(first.arm, design);
      sources.push(used([]));
      return [[...key, '', c.reduce((s, x) => s + x, 0), ...c, ...blank(untested), 'no pre-treatment variable was asked in this area: balance cannot be checked']];
    }
    const rows = first.asked.map((v) => variableRow(first, design, v, key, file));
    sources.push(...first.asked.map((v) => used([v])));
    const varying = first.asked.filter((v) => !isConstant(first.pre.get(v)!));
    if (varying.length > 0) {
      const c = contrasts(first, design, varying, file);
      const tested = design.arms.flatMap((a) => varying.map((v) => `${v}:${a.term}`));
      const w = guardedWald(c.estimates, c.vcov, tested);
      sources.push(used(varying));
      rows.push([...key, 'all (joint)', c.n, ...c.counts, ...blank(untested - 5), w ? 'HC3 Wald chi-square' : '', w ? fixed(w.statistic, 4) : '', w ? w.df1 : '', '', w ? significant(w.pChiSquare) : '', `${varying.join(', ')}; respondents with all of them`]);
    }
    return rows;
  });
}

function variableRow(d: GroupData, design: Design, v: PreTreatment, key: Cell[], file: string): Cell[] {
  const column = d.pre.get(v)!;
  if (isConstant(column)) {
    const c = armCounts(d.arm, design, column);
    return [...key, v, c.reduce((s, x) => s + x, 0), ...c, ...blank(design.names.length + design.arms.length + 5), 'the same value for every respondent: nothing to compare'];
  }
  const c = contrasts(d, design, [v], file);
  const inArm = (k: number) => column.filter((x, i) => d.arm[i] === k && !Number.isNaN(x));
  const smd = design.arms.map((_, k) => standardisedDifference(inArm(k + 1), inArm(0)));
  const w = guardedWald(c.estimates, c.vcov, design.arms.map((a) => a.term), c.n - design.arms.length - 1);
  return [
    ...key, v, c.n, ...c.counts,
    ...c.means[0]!.map((m) => fixed(m, 4)),
    ...smd.map((s) => fixed(s, 4)),
    w ? 'HC3 Wald F' : '', w ? fixed(w.f!, 4) : '', w ? w.df1 : '', w ? w.df2! : '', w ? significant(w.pF!) : '',
    w ? '' : 'no variation within arms: no test',
  ];
}

function contrasts(d: GroupData, design: Design, variables: readonly PreTreatment[], file: string) {
  try {
    return armContrastsHC3(variables.map((v) => d.pre.get(v)!), variables, d.arm, design.names.length);
  } catch (e) {
    if (e instanceof DataError) throw new DataError(`${groupLabel(d.group)}, balance of ${variables.join(', ')}: ${e.message}`, { file, column: variables.join(', ') });
    throw e;
  }
}

/** The Wald test, or null when the covariance is singular (no spread inside some arms): the cells stay empty. */
function guardedWald(estimates: number[], vcov: number[][], names: string[], df?: number) {
  try {
    return waldTest(estimates, vcov, names, df);
  } catch (e) {
    if (e instanceof DataError) return null;
    throw e;
  }
}

function armCounts(arm: Float64Array, design: Design, present?: Float64Array): number[] {
  const c = design.names.map(() => 0);
  arm.forEach((a, i) => {
    if (!Number.isNaN(a) && !(present && Number.isNaN(present[i]!))) c[a]!++;
  });
  return c;
}

function sameColumns(a: GroupData, b: GroupData): boolean {
  if (a.arm.length !== b.arm.length || a.asked.join() !== b.asked.join()) return false;
  const equal = (x: Float64Array, y: Float64Array) => x.every((v, i) => Object.is(v, y[i]));
  return equal(a.arm, b.arm) && a.asked.every((v) => equal(a.pre.get(v)!, b.pre.get(v)!));
}

function isConstant(column: Float64Array): boolean {
  let first = NaN;
  for (const v of column) {
    if (Number.isNaN(v)) continue;
    if (Number.isNaN(first)) first = v;
    else if (v !== first) return false;
  }
  return true;
}

const blank = (n: number): Cell[] => Array<Cell>(n).fill('');

// ---- estimates ----------------------------------------------------------------------------------

/** One fitted model: its group, outcome, specification and controls, the fit and its arm sizes. */
interface Model {
  group: ScoresGroup;
  outcome: Outcome;
  specification: 'unadjusted' | 'adjusted';
  controls: PreTreatment[];
  fit: OlsFit;
  /** Respondents per arm (the control first) among the rows the model used. */
  counts: number[];
  meanNone: number;
  /** The scores rows (1-based runs) the model used, for the tables' row lineage. */
  used: Ranges;
}

function fitModels(d: GroupData, design: Design, outcome: Outcome, adjustFor: readonly PreTreatment[], file: string): Model[] {
  const specs: { specification: Model['specification']; controls: PreTreatment[] }[] = [{ specification: 'unadjusted', controls: [] }];
  const controls = d.asked.filter((v) => adjustFor.includes(v));
  if (controls.length) specs.push({ specification: 'adjusted', controls });
  return specs.map(({ specification, controls }) => {
    const outcomeColumn = d.outcomes.get(outcome)!;
    const columns = [...d.dummies, ...controls.map((v) => d.pre.get(v)!)];
    const names = [...design.arms.map((a) => a.term), ...controls];
    let fit: OlsFit;
    try {
      fit = ols(outcomeColumn, columns, names, { outcome });
    } catch (e) {
      if (e instanceof DataError) throw new DataError(`${groupLabel(d.group)}, ${outcome} co-production on the arms (${specification}): ${e.message}`, { file, column: e.where.column ?? outcome, value: e.where.value });
      throw e;
    }
    const used = (i: number) => !Number.isNaN(outcomeColumn[i]!) && columns.every((c) => !Number.isNaN(c[i]!));
    const counts = design.names.map(() => 0);
    const rows: Ranges = [];
    let sumNone = 0;
    d.arm.forEach((a, i) => {
      if (!used(i)) return;
      counts[a]!++;
      pushRow(rows, d.group.start + i + 1);
      if (a === 0) sumNone += outcomeColumn[i]!;
    });
    return { group: d.group, outcome, specification, controls, fit, counts, meanNone: sumNone / counts[0]!, used: rows };
  });
}

/** The table rows of every model, with the BH and Holm adjustments of each specification's family. */
function estimateRows(models: readonly Model[], design: Design, alpha: number): { rows: Cell[][]; families: ExperimentInfo['families'] } {
  // Rows are built family by family, then listed in model order (a model's two specifications side by side).
  const byModel = new Map<Model, Cell[][]>();
  const families: ExperimentInfo['families'] = [];
  for (const specification of ['unadjusted', 'adjusted'] as const) {
    const family = models.filter((m) => m.specification === specification);
    if (!family.length) continue;
    const wave = family[0]!.group.wave;
    const contrasts = family.flatMap((m) => design.arms.map((a) => m.fit.terms.find((t) => t.name === a.term)!));
    const bh = adjustBH(contrasts.map((t) => t.robustP));
    const holm = adjustHolm(contrasts.map((t) => t.robustP));
    const label = `wave ${wave} ${specification}: ${contrasts.length} arm contrasts in ${family.length} models`;
    families.push({ specification, contrasts: contrasts.length, models: family.length });
    family.forEach((m, i) => {
      const at = design.arms.map((a) => m.fit.terms.findIndex((t) => t.name === a.term));
      const wald = guardedWald(at.map((j) => m.fit.terms[j]!.coef), at.map((j) => at.map((k) => m.fit.robustVcov[j]![k]!)), design.arms.map((a) => a.term), m.fit.df);
      const tCrit = tQuantile(1 - alpha / 2, m.fit.df);
      byModel.set(m, design.arms.map((a, k) => {
        const t = m.fit.terms[at[k]!]!;
        const g = m.group;
        return [
          g.wave, g.area, g.theme, m.outcome, specification, m.controls.join(', '), a.term,
          fixed(t.coef, 4), fixed(t.robustSe, 4), fixed(t.robustT, 4), significant(t.robustP), stars(t.robustP),
          fixed(t.coef - tCrit * t.robustSe, 4), fixed(t.coef + tCrit * t.robustSe, 4),
          m.fit.n, m.counts[k + 1]!, m.counts[0]!, fixed(m.meanNone, 4),
          ...(wald ? [fixed(wald.f!, 4), wald.df1, wald.df2!, significant(wald.pF!)] : blank(4)),
          label, significant(bh[i * design.arms.length + k]!), significant(holm[i * design.arms.length + k]!),
        ];
      }));
    });
  }
  return { rows: models.flatMap((m) => byModel.get(m)!), families };
}

// ---- power --------------------------------------------------------------------------------------

function mdeRows(m: Model, design: Design, alpha: number, power: number): Cell[][] {
  const g = m.group;
  return design.arms.map((a, k) => {
    const nArm = m.counts[k + 1]!;
    const nNone = m.counts[0]!;
    const se = twoGroupSe(m.fit.sigma, nArm, nNone);
    const seHc3 = m.fit.terms.find((t) => t.name === a.term)!.robustSe;
    return [
      g.wave, g.area, g.theme, m.outcome, a.term, nArm, nNone, m.fit.df,
      fixed(m.fit.sigma, 4), fixed(se, 4), fixed(minimumDetectableEffect(se, m.fit.df, { alpha, power }), 4),
      fixed(seHc3, 4), fixed(minimumDetectableEffect(seHc3, m.fit.df, { alpha, power }), 4),
      alpha, power,
    ];
  });
}
