/**
 * weights: scores + population margins → raking weights per area, and the wave's levels and
 * correlations re-estimated with them, as a sensitivity analysis beside the unweighted tables.
 *
 *   scores.arrow ── respondents of each area (one row each) ─┬─ rake to the area's margins ── weights.csv
 *   population-margins.json ─────────────────────────────────┘   (passes, Kish's deff) ──── weighting.csv
 *        ── per theme: weighted levels with design-based 95% intervals ─────────────────── table2-weighted.csv
 *        ── per theme, predictor: weighted r of each outcome ───────────────────────────── correlations-weighted.csv
 *        ── per theme, outcome: the nudge arms by weighted least squares ───────────────── experiment-weighted.csv
 *
 * Citizens' panels are not probability samples. Raking (iterative proportional fitting, survey::rake)
 * reweights an area's respondents so that their weighted counts match the population's on every margin
 * the margins file gives for it and its respondents were asked: one variable (gender, age band) or a
 * joint margin over several (age band x gender, lib/survey/population-margins.ts), summed over a variable
 * the area did not ask. A respondent missing
 * one of those answers gets no weight and is left out of the weighted estimates (counted in
 * weighting.csv, whose `population` column says where the margins come from, or that they are the
 * replica's synthetic ones); an area with no margins, or that asked none of the variables, stays unweighted, with
 * the reason. Weights are optionally trimmed to [trimLower, trimUpper] times their mean
 * (survey::trimWeights, total kept).
 *
 * Weighted levels are design-based: the weighted mean and its linearised standard error for one stage of
 * independent respondents, with the raking's calibration taken into account (svymean on the raked design;
 * lib/stats/survey-estimates.ts), and a normal 95% interval, as confint() on svymean gives. A theme's
 * respondents are a domain of the area's raked respondents. Weighted correlations are the weighted
 * Pearson r of a theme's complete pairs (cov.wt, or cov2cor of svyvar), as a domain of the raked
 * design, with a delta-method standard error on svyvar's linearised variance (svycontrast), a 95%
 * interval by Fisher's z and the Wald test of r = 0 on the normal. The experiment's unadjusted model (each
 * outcome on the three arm dummies, randomised respondents only) is refitted by weighted least squares with
 * design-based standard errors (svyglm), its t on n - 4 df.
 */
import { Ajv } from 'ajv';
import { DataError, type Artifact, type StepInputs, type StepOutputs } from '../contract/step.js';
import { normalQuantile } from '../lib/stats/distributions.js';
import { extent } from '../lib/stats/column.js';
import { kishDesignEffect, rake, trimWeights, type Margin } from '../lib/stats/raking.js';
import { surveyCorrelation, surveyMean, surveyRegression, type Design } from '../lib/stats/survey-estimates.js';
import { fixed, significant, toCsv, type Cell } from '../lib/table/csv.js';
import { variableOf } from '../lib/survey/analysis-vocabulary.js';
import { marginOf, marginSpecs, usableMargins } from '../lib/survey/population-margins.js';
import { orderedGroups, readScores, type ScoresGroup } from '../lib/table/scores.js';
import { rowLineage } from '../lib/table/row-lineage.js';
import { CORRELATIONS_WEIGHTED_HEADER, EXPERIMENT_WEIGHTED_HEADER, TABLE2_WEIGHTED_HEADER, WEIGHTING_HEADER, WEIGHTS_HEADER } from '../lib/table/weight-tables.js';

export interface WeightsParams {
  /** Trim weights below this multiple of their mean (e.g. 0.3); default: no lower bound. */
  trimLower?: number | null;
  /** Trim weights above this multiple of their mean (e.g. 3); default: no upper bound. */
  trimUpper?: number | null;
  /** Raking stops when no cell of the margins' cross-table moves by this share of the total weight; default 1e-9. */
  epsilon?: number;
  /** Raking gives up after this many passes (reported as not converged); default 50. */
  maxPasses?: number;
}

/** The margins file as its schema describes it. */
interface PopulationMargins {
  source: string;
  synthetic: boolean;
  /** Per area, per margin (a demographic variable, or several joined by colons): population total per code or cell. */
  areas: Record<string, { margins: Record<string, Record<string, number>> }>;
}

/** The arms against no nudge, as the experiment step names its terms. */
const ARMS = [
  { term: 'nudge_a', nudge: 'A' },
  { term: 'nudge_b', nudge: 'B' },
  { term: 'both', nudge: 'both' },
] as const;

const MEASURES = ['individual', 'collective', 'willing'] as const;
const Z975 = normalQuantile(0.975);

export default function weights(inputs: StepInputs, params: WeightsParams = {}): StepOutputs {
  const scoresArtifact = one(inputs, 'scores');
  const margins = readMargins(one(inputs, 'margins'), one(inputs, 'marginsSchema'));
  const scores = readScores(scoresArtifact.bytes, scoresArtifact.path);
  const wave = scores.layout.groups[0]?.wave;
  if (wave === undefined) throw new DataError('scores table has no respondents', { file: scoresArtifact.path });

  const weightRows: Cell[][] = [];
  const report: Cell[][] = [];
  const levels: Cell[][] = [];
  const correlations: Cell[][] = [];
  const experiment: Cell[][] = [];
  // Row lineage (explain --cell): the scores rows (1-based) each output row rests on.
  const lineage = { weighting: [] as number[][], levels: [] as number[][], correlations: [] as number[][], experiment: [] as number[][] };
  const demographics = scores.layout.vocabulary.demographics;
  const areas = [...new Set(orderedGroups(scores.layout).map((g) => g.area))];
  for (const area of areas) {
    const groups = orderedGroups(scores.layout).filter((g) => g.area === area && g.rows > 0);
    const asked = demographics.filter((d) => groups.some((g) => g.variables.includes(d.predictor)));
    const { specs, malformed } = marginSpecs(margins.areas[area]?.margins ?? {});
    for (const m of malformed)
      throw new DataError(`margin "${m.margin}" has the cell "${m.cell}": a cell gives one code for each of the margin's variables, joined by colons`, { path: `/areas/${area}/margins/${m.margin}/${m.cell}`, value: m.cell });
    for (const spec of specs)
      for (const name of spec.variables)
        if (!demographics.some((d) => d.field === name))
          throw new DataError(`a margin for "${name}", which is not a demographic of the study (${demographics.map((d) => d.field).join(', ')})`, { path: `/areas/${area}/margins/${spec.name}`, value: name });
    const usable = usableMargins(specs, asked.map((d) => d.field));
    const used = demographics.filter((d) => usable.some((s) => s.variables.includes(d.field)));
    // The area's respondents in table order, each with the answers of the first row that carries them.
    const people = respondentsOf(scores, groups, used.map((d) => d.predictor));
    const ids = people.ids;
    const areaRows = groups.flatMap((g) => Array.from({ length: g.rows }, (_, k) => g.start + k + 1));
    if (usable.length === 0) {
      const note =
        asked.length === 0 ? 'the area asked no demographics' : !margins.areas[area] ? 'no margins for this area in the margins file' : "its respondents were asked none of the margins' variables";
      report.push([wave, area, '', '', ids.length, 0, ids.length, null, null, null, null, null, '', `unweighted: ${note}`]);
      lineage.weighting.push(areaRows);
      continue;
    }
    const codes = new Map(used.map((d) => [d.field, people.columns.get(d.predictor)!]));
    const complete = ids.map((_, i) => used.every((d) => !Number.isNaN(codes.get(d.field)![i]!)));
    const rows = ids.flatMap((_, i) => (complete[i] ? [i] : []));
    const marginList: Margin[] = usable.map((spec) => {
      const { margin, unknown } = marginOf(spec, (v) => codes.get(v)!, rows);
      if (unknown)
        throw new DataError(`${area}, wave ${wave}: respondent ${ids[unknown.row]} has ${spec.variables.join(':')} ${unknown.cell}, which the margins file has no total for`, { path: `/areas/${area}/margins/${spec.name}`, value: unknown.cell });
      return margin;
    });
    const raked = rake(marginList, { epsilon: params.epsilon ?? 1e-9, maxPasses: params.maxPasses ?? 50 });
    const mean = raked.weights.reduce((s, w) => s + w, 0) / raked.weights.length;
    const lower = params.trimLower == null ? undefined : params.trimLower * mean;
    const upper = params.trimUpper == null ? undefined : params.trimUpper * mean;
    const final = lower === undefined && upper === undefined ? raked.weights : trimWeights(raked.weights, { lower, upper });
    const trimmed = final.reduce((n, w, i) => n + (w !== raked.weights[i] ? 1 : 0), 0);
    const design: Design = { weights: final, raking: raked.steps };
    // Each respondent's row in the design, or -1 when unweighted.
    const designRow = new Int32Array(ids.length).fill(-1);
    rows.forEach((i, r) => (designRow[i] = r));
    rows.forEach((i, r) => weightRows.push([wave, area, ids[i]!, final[r]!.toPrecision(12)]));
    report.push([
      wave,
      area,
      usable.map((spec) => spec.variables.join(' x ')).join(' + '),
      margins.synthetic ? 'synthetic' : margins.source,
      ids.length,
      rows.length,
      ids.length - rows.length,
      raked.passes,
      raked.converged ? 'yes' : 'no',
      fixed(kishDesignEffect(final), 4),
      fixed(extent(final)[0], 4),
      fixed(extent(final)[1], 4),
      trimmed,
      raked.converged ? '' : `raking stopped after ${raked.passes} passes without meeting its tolerance`,
    ]);
    lineage.weighting.push(areaRows);
    for (const g of groups) {
      // Each of the group's rows: its respondent's row in the area's design, or -1 when unweighted.
      const at = people.of.get(g)!.map((person) => designRow[person]!);
      const weightedRows: number[] = [];
      at.forEach((r, i) => {
        if (r >= 0) weightedRows.push(g.start + i + 1);
      });
      const level = levelRows(g, scores, at, design, rows.length);
      levels.push(...level);
      lineage.levels.push(...level.map(() => weightedRows));
      const correlation = correlationRows(g, scores, at, design, rows.length);
      correlations.push(...correlation.map((c) => c.cells));
      lineage.correlations.push(...correlation.map((c) => c.rows));
      if (g.nudge) {
        const arms = experimentRows(g, scores, at, design, rows.length);
        experiment.push(...arms.map((a) => a.cells));
        lineage.experiment.push(...arms.map((a) => a.rows));
      }
    }
  }
  return {
    'weights.csv': { content: toCsv(WEIGHTS_HEADER, weightRows), rows: weightRows.length },
    'weighting.csv': { content: toCsv(WEIGHTING_HEADER, report), rows: report.length },
    'table2-weighted.csv': { content: toCsv(TABLE2_WEIGHTED_HEADER, levels), rows: levels.length },
    'correlations-weighted.csv': { content: toCsv(CORRELATIONS_WEIGHTED_HEADER, correlations), rows: correlations.length },
    'experiment-weighted.csv': { content: toCsv(EXPERIMENT_WEIGHTED_HEADER, experiment), rows: experiment.length },
    'weighting.csv.lineage.json': sidecar(scoresArtifact.path, lineage.weighting),
    'table2-weighted.csv.lineage.json': sidecar(scoresArtifact.path, lineage.levels),
    'correlations-weighted.csv.lineage.json': sidecar(scoresArtifact.path, lineage.correlations),
    'experiment-weighted.csv.lineage.json': sidecar(scoresArtifact.path, lineage.experiment),
  };
}

/** A theme's levels, unweighted and weighted, each weighted one with its design-based interval. */
function levelRows(g: ScoresGroup, scores: ReturnType<typeof readScores>, at: Int32Array, design: Design, designRows: number): Cell[][] {
  const end = g.start + g.rows;
  const weighted = at.reduce((k, r) => k + (r >= 0 ? 1 : 0), 0);
  return MEASURES.filter((m) => m === 'individual' || g.outcomes.includes(m)).map((measure) => {
    const values = scores.numeric(measure, g.start, end);
    const present = Array.from(values).filter((v) => !Number.isNaN(v));
    const unweighted = present.length ? present.reduce((s, v) => s + v, 0) / present.length : null;
    // The theme's respondents as a domain of the area's raked respondents: everyone else has no value.
    const y = spread(values, at, designRows);
    const answered = y.some((v) => !Number.isNaN(v));
    const est = answered ? surveyMean(y, design) : null;
    return [
      g.wave,
      g.area,
      g.theme,
      g.rows,
      weighted,
      measure,
      fixed(unweighted, 2),
      fixed(est?.mean ?? null, 2),
      fixed(est?.se ?? null, 2),
      fixed(est ? est.mean - Z975 * est.se : null, 2),
      fixed(est ? est.mean + Z975 * est.se : null, 2),
    ];
  });
}

/** Each outcome on the arm dummies by weighted least squares over the theme's randomised respondents. */
function experimentRows(g: ScoresGroup, scores: ReturnType<typeof readScores>, at: Int32Array, design: Design, designRows: number): { cells: Cell[]; rows: number[] }[] {
  const end = g.start + g.rows;
  const nudges = scores.nudges(g.start, end);
  // Columns over the area's raked respondents; those outside the theme, or not randomised, have no value.
  const randomised = at.map((r, i) => (nudges[i] === null ? -1 : r));
  const dummies = ARMS.map((arm) => spread(Float64Array.from(nudges, (n) => (n === arm.nudge ? 1 : 0)), randomised, designRows));
  return (['individual', 'collective'] as const)
    .filter((o) => g.outcomes.includes(o))
    .flatMap((outcome) => {
      const values = scores.numeric(outcome, g.start, end);
      const fit = surveyRegression(spread(values, randomised, designRows), dummies, ARMS.map((a) => a.term), design);
      // The model's respondents: weighted, randomised, with the outcome.
      const used: number[] = [];
      randomised.forEach((r, i) => {
        if (r >= 0 && !Number.isNaN(values[i]!)) used.push(g.start + i + 1);
      });
      return fit.terms
        .filter((t) => t.name !== '(Intercept)')
        .map((t) => ({ cells: [g.wave, g.area, g.theme, outcome, t.name, fixed(t.coef, 4), fixed(t.se, 4), fixed(t.t, 4), significant(t.p), fit.n, fit.df], rows: used }));
    });
}

function correlationRows(g: ScoresGroup, scores: ReturnType<typeof readScores>, at: Int32Array, design: Design, designRows: number): { cells: Cell[]; rows: number[] }[] {
  const end = g.start + g.rows;
  return (['individual', 'collective'] as const)
    .filter((o) => g.outcomes.includes(o))
    .flatMap((outcome) => {
      const outcomeValues = scores.numeric(outcome, g.start, end);
      // Columns over the area's raked respondents: the theme's pairs are a domain, everyone else has no value.
      const y = spread(outcomeValues, at, designRows);
      return g.variables.map((column) => {
        const v = variableOf(column)!;
        const predictorValues = scores.numeric(column, g.start, end);
        const x = spread(predictorValues, at, designRows);
        let n = 0;
        for (let i = 0; i < designRows; i++) if (!Number.isNaN(y[i]!) && !Number.isNaN(x[i]!)) n++;
        const est = n > 2 ? surveyCorrelation(y, x, design) : null;
        const ok = est !== null && Number.isFinite(est.r) && Number.isFinite(est.se);
        // The pairs of weighted respondents the estimate rests on.
        const rows: number[] = [];
        for (let i = 0; i < at.length; i++) if (at[i]! >= 0 && !Number.isNaN(outcomeValues[i]!) && !Number.isNaN(predictorValues[i]!)) rows.push(g.start + i + 1);
        return {
          cells: [g.wave, g.area, g.theme, outcome, v.predictor, v.item, n, ok ? fixed(est.r, 6) : null, ok ? fixed(est.se, 6) : null, ok ? fixed(est.ciLow, 6) : null, ok ? fixed(est.ciHigh, 6) : null, ok ? fixed(est.z, 4) : null, ok ? significant(est.p) : null],
          rows,
        };
      });
    });
}

/**
 * An area's respondents, once each, in table order (its groups are contiguous runs of rows), with the
 * given columns as the first row carrying each respondent has them (NaN: no answer), and for each group
 * the respondent of each of its rows.
 */
function respondentsOf(scores: ReturnType<typeof readScores>, groups: ScoresGroup[], columns: string[]) {
  const person = new Map<string, number>();
  const ids: string[] = [];
  const values = new Map(columns.map((c) => [c, [] as number[]]));
  const of = new Map<ScoresGroup, Int32Array>();
  for (const g of [...groups].sort((a, b) => a.start - b.start)) {
    const read = columns.map((c) => [values.get(c)!, scores.numeric(c, g.start, g.start + g.rows)] as const);
    of.set(
      g,
      Int32Array.from(scores.ids(g.start, g.start + g.rows), (id, i) => {
        let k = person.get(id);
        if (k === undefined) {
          person.set(id, (k = ids.length));
          ids.push(id);
          for (const [to, from] of read) to.push(from[i]!);
        }
        return k;
      }),
    );
  }
  return { ids, columns: new Map([...values].map(([c, v]) => [c, Float64Array.from(v)])), of };
}

/** A group's values laid out over the area's design rows (`at`: each value's row, -1 for none); no value elsewhere. */
function spread(values: Float64Array, at: Int32Array, designRows: number): Float64Array {
  const out = new Float64Array(designRows).fill(NaN);
  for (let i = 0; i < at.length; i++) if (at[i]! >= 0) out[at[i]!] = values[i]!;
  return out;
}

function sidecar(scoresFile: string, rows: number[][]): string {
  return rowLineage([scoresFile], ['row'], rows.map((r) => ({ refs: [[0, r]] })));
}

function readMargins(file: Artifact, schema: Artifact): PopulationMargins {
  const value = file.json<unknown>();
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema.json<object>());
  if (!validate(value)) {
    const first = validate.errors![0]!;
    throw new DataError(`population margins do not match schemas/population-margins.schema.json: ${first.message}`, { file: file.path, path: first.instancePath || '/' });
  }
  return value as PopulationMargins;
}

function one(inputs: StepInputs, name: string): Artifact {
  const list = inputs[name] ?? [];
  if (list.length !== 1) throw new DataError(`weights expects exactly one "${name}" input, got ${list.length}`, { value: list.map((a) => a.path) });
  return list[0]!;
}
