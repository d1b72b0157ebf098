/**
 * Which figures the paper has, and their drawing. Planning is cheap and needs no graphics library;
 * drawing loads vega, so the pipeline draws each wave's figures once in its own step (steps/figures.ts)
 * and render only checks that the drawn figures are those its own plan asks for.
 */
import { coefficientPhrase } from './coefficient.js';
import { DataError, type Artifact } from '../../contract/step.js';
import figuresSchema from '../../schemas/figures.schema.json' with { type: 'json' };
import { readChecked } from '../table/read-json.js';
import { heatmapSpec, levelsSpec, nudgeSpec, publishedSpec, type ComparedValue } from './figures.js';
import type { CorrelationRow, LevelRow, NudgeRow } from './inputs.js';
import type { Comparison } from './reproduction.js';
import type { ExperimentTables } from './experiment-inputs.js';
import { powerSpec } from './power-figure.js';
import type { Labels } from './labels.js';

export interface FigurePlan {
  name: string;
  label: string;
  caption: string;
  alt: string;
  spec: object;
}

export interface DrawnFigure extends FigurePlan {
  svg: string;
}

/** What figures.json holds: one wave's drawn figures. */
export interface FigureBundle {
  wave: number;
  figures: DrawnFigure[];
}

export interface PlanInputs {
  levels: readonly LevelRow[];
  individual: readonly CorrelationRow[];
  collective: readonly CorrelationRow[];
  nudges: readonly NudgeRow[];
  comparisons: readonly Comparison[];
  /** The wave the figures describe (the latest one in the report). */
  latest: number | undefined;
  paperWave: number;
  /** The experiment step's tables, when given: the power figure. */
  experiment?: ExperimentTables | undefined;
  /** The study's labels and orders. */
  labels: Labels;
}

export function figurePlans({ levels, individual, collective, nudges, comparisons, latest, paperWave, experiment, labels }: PlanInputs): FigurePlan[] {
  const plans: FigurePlan[] = [];
  if (latest !== undefined) {
    if (levels.some((r) => r.wave === latest))
      plans.push({ name: 'table2-levels', label: 'Figure 1', caption: `Individual and collective co-production and willingness to give time, by area and theme (wave ${latest}; data of Table 2).`, alt: 'Grouped bar chart of the three percentages of Table 2 for each area and theme.', spec: levelsSpec(labels, levels, latest) });
    if (individual.some((r) => r.wave === latest && r.r !== null))
      plans.push({ name: 'table3-heatmap', label: 'Figure 2', caption: `Correlates of individual co-production (wave ${latest}; ${coefficientPhrase(individual, latest)}, data of Table 3). Red negative, blue positive; outlined cells significant at 5%; blank where not asked.`, alt: 'Heatmap of the correlations of Table 3, predictors by area and theme.', spec: heatmapSpec(labels, individual, latest, 'individual') });
    if (collective.some((r) => r.wave === latest && r.r !== null))
      plans.push({ name: 'table4-heatmap', label: 'Figure 3', caption: `Correlates of collective co-production (wave ${latest}; ${coefficientPhrase(collective, latest)}, data of Table 4). Red negative, blue positive; outlined cells significant at 5%; blank where not asked.`, alt: 'Heatmap of the correlations of Table 4, predictors by area and theme.', spec: heatmapSpec(labels, collective, latest, 'collective') });
    if (nudges.some((r) => r.wave === latest && r.coef !== null))
      plans.push({ name: 'table5-nudges', label: 'Figure 4', caption: `Nudge coefficients with 95% intervals against no nudge (wave ${latest}; data of Table 5). Filled points are significant at 5%.`, alt: 'Coefficient plot of the nudge effects of Table 5, with intervals, for individual and collective co-production.', spec: nudgeSpec(labels, nudges, latest) });
  }
  if (latest !== undefined && experiment?.power.some((r) => r.wave === latest))
    plans.push({ name: 'power-mde', label: 'Figure E1', caption: `Minimum detectable effect of each nudge arm (bars) and the size of its unadjusted estimate (points), percentage points, wave ${latest}; a point short of its bar is an effect the design could not reliably detect.`, alt: 'Bar chart of minimum detectable effects by area, theme and nudge arm, for individual and collective co-production, with the absolute unadjusted estimates as points.', spec: powerSpec(labels, experiment.power, experiment.estimates, latest) });
  const compared: ComparedValue[] = comparisons
    .filter((c) => c.recomputed !== null && ['2', '3', '4', '5'].includes(c.table))
    .map((c) => ({
      panel: c.table === '2' ? 'Table 2 (%)' : c.table === '5' ? 'Table 5 (coefficients)' : 'Tables 3 and 4 (r)',
      published: c.target,
      recomputed: c.recomputed!,
      verdict: c.verdict,
      suspect: c.suspect,
      label: `${c.area} ${c.theme}`,
    }));
  if (compared.length)
    plans.push({ name: 'published-vs-recomputed', label: 'Figure 5', caption: `Published values (corrected readings where the transcription gives one) against values recomputed from wave ${paperWave}; the dashed line marks equality.`, alt: 'Scatter plots of published against recomputed values for Table 2, Tables 3 and 4, and Table 5, with the identity line.', spec: publishedSpec(compared, paperWave) });
  return plans;
}

/** Draws each plan as SVG (vega is loaded here, on first use); a figure vega-lite warns about is refused. */
export async function drawFigures(plans: readonly FigurePlan[]): Promise<DrawnFigure[]> {
  if (!plans.length) return [];
  const { renderSvg } = await import('./svg.js');
  const drawn: DrawnFigure[] = [];
  for (const plan of plans) {
    const { svg, warnings } = await renderSvg(plan.spec);
    if (warnings.length) throw new Error(`figure ${plan.name} compiled with warnings: ${warnings.join('; ')}`);
    drawn.push({ ...plan, svg });
  }
  return drawn;
}

/** figures.json as the figures step wrote it, checked against schemas/figures.schema.json. */
export const readFigureBundle = (art: Artifact): FigureBundle => readChecked<FigureBundle>(art, figuresSchema);

/**
 * The drawings of the figures steps, matched to render's own plan: each planned figure must have been
 * drawn from exactly the same spec, so a figure can never describe other data than the text beside it.
 */
export function predrawn(bundles: readonly Artifact[], plans: readonly FigurePlan[]): DrawnFigure[] {
  const bySpec = new Map<string, DrawnFigure>();
  for (const bundle of bundles)
    for (const figure of readFigureBundle(bundle).figures) bySpec.set(`${figure.name}\n${JSON.stringify(figure.spec)}`, figure);
  return plans.map((plan) => {
    const figure = bySpec.get(`${plan.name}\n${JSON.stringify(plan.spec)}`);
    if (!figure)
      throw new DataError(`no drawing of figure "${plan.name}" matches the data render was given`, { value: bundles.map((b) => b.path) });
    return { ...plan, svg: figure.svg };
  });
}
