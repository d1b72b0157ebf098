/**
 * nudge-regress: scores → Table 5, the nudge experiment.
 *
 *   scores.arrow ── groups with nudge assignments ── per item version ── per outcome ── OLS ── table5.csv
 *
 * In each wave, area and theme where respondents carry a nudge group (none, A, B, both), each outcome
 * (individual index, collective indicator) is regressed by OLS on three dummies, nudge_a (A only),
 * nudge_b (B only) and both, against no nudge, with the group's predictors as controls (by default all
 * eight of Tables 3-4 that the group asked; `controls` narrows the list). Where predictors were asked once
 * about crime and once about anti-social behaviour (Barnet's community safety), the model is fitted once
 * per version, with that version's sub-items and the unsplit predictors, and the rows carry the item;
 * other sub-items enter side by side.
 *
 * Missing values: listwise deletion per model. A respondent enters a model only with the outcome, a nudge
 * group and every control present; n is the number of respondents used, so it can differ between the
 * outcomes and the versions of one group.
 *
 * Reported per nudge term: coefficient (0-100 scale), classical SE, t, two-sided p (t with n - k df),
 * stars (** p < .01, * p < .05), 95% interval, and the HC3 robust SE and p beside them. A design that
 * cannot be fitted (a nudge group nobody in the complete rows belongs to, a constant control, too few
 * rows) stops the step with a DataError naming wave, area, theme, item, outcome and the offending term.
 *
 * Groups without any nudge assignment (areas that did not run the experiment) have no rows. Barnet's
 * wellbeing theme, which the paper leaves out of its table, is fitted like any other nudge group, with its
 * three self-efficacy questions side by side.
 */
import { DataError, type StepInputs, type StepOutputs } from '../contract/step.js';
import { ols, stars, type OlsFit } from '../lib/stats/index.js';
import { fixed, significant, toCsv, type Cell } from '../lib/table/csv.js';
import { groupLabel, nudgeTerms, predictorNames, variableOf, type PredictorName } from '../lib/survey/analysis-vocabulary.js';
import { orderedGroups, readScores, type Outcome, type Scores, type ScoresGroup, type ScoresLayout } from '../lib/table/scores.js';
import { completeRanges, RowLineage, type Ranges } from '../lib/table/row-lineage.js';
import { TABLE5_HEADER } from '../lib/table/nudge-tables.js';

export interface NudgeRegressParams {
  /** Predictors entered as controls where asked; default every predictor of the study's. */
  controls?: readonly PredictorName[];
}

const MODEL_OUTCOMES: readonly Outcome[] = ['individual', 'collective'];

export default async function nudgeRegress(inputs: StepInputs, params: NudgeRegressParams = {}): Promise<StepOutputs> {
  const list = inputs.scores ?? [];
  if (list.length !== 1) throw new DataError(`nudge-regress expects exactly one "scores" input, got ${list.length}`, { value: list.map((a) => a.path) });
  const scores = readScores(list[0]!.bytes, list[0]!.path);
  const known = predictorNames(scores.layout.vocabulary);
  const controls = params.controls ?? known;
  for (const c of controls) {
    if (!known.includes(c)) {
      throw new DataError(`nudge-regress parameter controls names an unknown predictor (known: ${known.join(', ')})`, { path: 'params.controls', value: c });
    }
  }
  const terms = nudgeTerms(scores.layout.vocabulary);
  const file = list[0]!.path;
  const models = nudgeModels(scores.layout, new Set(controls));
  // Models of one group share its columns: each is read once (models come group by group).
  let cached: { group: ScoresGroup; columns: Map<string, Float64Array> } | undefined;
  // Each model's complete rows of the scores (1-based runs, as many rows as its n), for the table's lineage.
  const used: Ranges[] = [];
  const fits = models.map((m): OlsFit => {
    if (cached?.group !== m.group) cached = { group: m.group, columns: groupColumns(scores, m.group, terms) };
    const column = (name: string) => cached!.columns.get(name) ?? readInto(cached!.columns, scores, m.group, name);
    const names = [...terms.map((t) => t.term), ...m.controls];
    used.push(completeRanges(m.group.start, [column(m.outcome), ...names.map(column)]));
    try {
      return ols(column(m.outcome), names.map(column), names, { outcome: m.outcome });
    } catch (e) {
      throw e instanceof DataError ? explain(m, e, file) : e;
    }
  });
  const rows = models.flatMap((m, i) => tableRows(m, fits[i]!, terms));
  const lineage = new RowLineage([file], ['row']);
  for (const ranges of used) for (const _ of terms) lineage.add([[0, ranges]]);
  return { 'table5.csv': { content: toCsv(TABLE5_HEADER, rows), rows: rows.length }, 'table5.csv.lineage.json': lineage.json() };
}

/** One regression to run: a group, an item version ('' when not split), an outcome and its controls. */
export interface NudgeModel {
  group: ScoresGroup;
  item: string;
  outcome: Outcome;
  controls: string[];
}

/** The models of Table 5 in row order. */
export function nudgeModels(layout: ScoresLayout, controls: ReadonlySet<string>): NudgeModel[] {
  const models: NudgeModel[] = [];
  const split = layout.vocabulary.versions;
  for (const group of orderedGroups(layout)) {
    if (!group.nudge || group.rows === 0) continue;
    const asked = group.variables.filter((c) => controls.has(variableOf(c)!.predictor));
    const versions = split.filter((item) => asked.some((c) => variableOf(c)!.item === item));
    const items: string[] = versions.length ? [...versions] : [''];
    for (const item of items) {
      const own = asked.filter((c) => {
        const sub = variableOf(c)!.item;
        return sub === '' || sub === item || !split.includes(sub);
      });
      for (const outcome of MODEL_OUTCOMES) {
        if (group.outcomes.includes(outcome)) models.push({ group, item, outcome, controls: own });
      }
    }
  }
  return models;
}

/** A group's nudge dummies: 1 in the term's nudge group, 0 in another, NaN when unassigned. */
function groupColumns(scores: Scores, g: ScoresGroup, terms: readonly { term: string; nudge: string }[]): Map<string, Float64Array> {
  const nudges = scores.nudges(g.start, g.start + g.rows);
  return new Map(
    terms.map(({ term, nudge }) => {
      const out = new Float64Array(nudges.length);
      for (let i = 0; i < nudges.length; i++) out[i] = nudges[i] === null ? NaN : nudges[i] === nudge ? 1 : 0;
      return [term, out];
    }),
  );
}

function readInto(cache: Map<string, Float64Array>, scores: Scores, g: ScoresGroup, name: string): Float64Array {
  const c = scores.numeric(name, g.start, g.start + g.rows);
  cache.set(name, c);
  return c;
}

/** The model's context in front of the statistics module's message; the offending term as the column. */
function explain(m: NudgeModel, e: DataError, file: string): DataError {
  const item = m.item ? ` (item ${m.item})` : '';
  return new DataError(`${groupLabel(m.group)}${item}, ${m.outcome} co-production on the nudges: ${e.message}`, {
    file,
    column: e.where.column ?? m.outcome,
    value: e.where.value,
  });
}

function tableRows(m: NudgeModel, fit: OlsFit, terms: readonly { term: string }[]): Cell[][] {
  const g = m.group;
  return terms.map(({ term }) => {
    const t = fit.terms.find((x) => x.name === term)!;
    return [
      g.wave,
      g.area,
      g.theme,
      m.item,
      m.outcome,
      term,
      fixed(t.coef, 4),
      fixed(t.se, 4),
      fixed(t.t, 4),
      significant(t.p),
      stars(t.p),
      fixed(t.ci.lower, 4),
      fixed(t.ci.upper, 4),
      fixed(t.robustSe, 4),
      significant(t.robustP),
      fit.n,
    ];
  });
}
