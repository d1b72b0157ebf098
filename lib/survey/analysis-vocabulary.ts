/**
 * The analysis vocabulary shared by index, correlate, nudge-regress, experiment and compare-waves: the
 * areas and themes in table order, the predictors of Tables 3-4 in row order, the demographics, the
 * sub-items that are versions of one question, the experiment's arms. index takes it from the study
 * (raw/study.json) and writes it into the scores table's layout, so every step downstream reads the same
 * vocabulary from the table it analyses and none holds a name of its own.
 *
 * A predictor column is named `<predictor>` when asked once and `<predictor>/<sub-item>` when asked per
 * sub-item (`self_efficacy/crime`). Demographics are respondent-level and never split.
 */
import type { Study } from './study.js';

export interface AnalysisVocabulary {
  /** Areas and themes in table order. */
  areas: string[];
  themes: string[];
  /**
   * The scores table's outcome columns in table order, each with the theme question it is built from
   * (`activities`: the share of the theme's activity items), its scale's code range and the codes counted as yes.
   */
  outcomes: VocabularyOutcome[];
  /** Theme predictors in the tables' row order. */
  predictors: string[];
  /** Respondent-level predictors and the record field each is read from. */
  demographics: { predictor: string; field: string }[];
  /** Sub-items in table order. */
  subItems: string[];
  /**
   * Sub-items that are alternative versions of the same questions rather than separate questions (asked
   * once about one thing and once about another): a Table 5 model uses one version at a time.
   */
  versions: string[];
  /** Areas every wave must have (the study marks them required): a wave without one stops the comparison. */
  required: string[];
  /** The experiment's arms, the control first; each other arm with its model term (a dummy in Table 5). */
  arms: { name: string; term?: string }[];
}

export interface VocabularyOutcome {
  name: string;
  from: string;
  min: number;
  max: number;
  yes: number[];
}

export function analysisVocabulary(study: Study): AnalysisVocabulary {
  return {
    areas: [...study.areas],
    themes: [...study.themes],
    outcomes: study.outcomes.map((o) => ({ name: o.name, from: o.from, min: study.scales[o.scale]!.min, max: study.scales[o.scale]!.max, yes: [...o.yes] })),
    predictors: study.predictors.map((p) => p.name),
    demographics: study.demographics.map((d) => ({ predictor: d.predictor, field: d.name })),
    subItems: study.subItems.map((i) => i.name),
    required: study.design.filter((d) => d.required).map((d) => d.area),
    versions: study.subItems.filter((i) => i.versionOf !== undefined).map((i) => i.name),
    arms: [...study.arms.filter((a) => a.control), ...study.arms.filter((a) => !a.control)].map((a) => (a.term ? { name: a.name, term: a.term } : { name: a.name })),
  };
}

/** The outcome reported per item in time-items.csv: every outcome but the three the analysis is built on. */
export const ANALYSIS_OUTCOMES = ['individual', 'collective', 'willing'] as const;
export const itemOutcomes = (v: AnalysisVocabulary): string[] => v.outcomes.map((o) => o.name).filter((o) => !(ANALYSIS_OUTCOMES as readonly string[]).includes(o));

/** Predictor names in Table 3-4 row order: the theme predictors, then the demographics. */
export const predictorNames = (v: AnalysisVocabulary): string[] => [...v.predictors, ...v.demographics.map((d) => d.predictor)];
export type PredictorName = string;

/** One predictor column: a predictor, optionally narrowed to a sub-item ('' when asked once). */
export interface Variable {
  predictor: PredictorName;
  item: string;
  column: string;
}

export function variableColumn(predictor: PredictorName, item: string): string {
  return item === '' ? predictor : `${predictor}/${item}`;
}

/** Every possible predictor column, in table order: predictor, then the unsplit question, then sub-items. */
export function allVariables(v: AnalysisVocabulary): Variable[] {
  return predictorNames(v).flatMap((predictor) => {
    const items: string[] = v.predictors.includes(predictor) ? ['', ...v.subItems] : [''];
    return items.map((item) => ({ predictor, item, column: variableColumn(predictor, item) }));
  });
}

/** A predictor column's predictor and sub-item (names hold no '/', study.schema.json sees to that). */
export function variableOf(column: string): Variable {
  const at = column.indexOf('/');
  return at < 0 ? { predictor: column, item: '', column } : { predictor: column.slice(0, at), item: column.slice(at + 1), column };
}

/** One (wave, area, theme) cell of the analysis: the unit every table reports on. */
export interface GroupKey {
  wave: number;
  area: string;
  theme: string;
}

/** Position of a name in an order; names the order lacks come after, in the order given. */
export function rankIn(order: readonly string[], value: string): number {
  const i = order.indexOf(value);
  return i < 0 ? order.length : i;
}

/** '' (no sub-item) first, then the study's sub-item order. */
export const itemRank = (v: AnalysisVocabulary, item: string): number => (item === '' ? -1 : rankIn(v.subItems, item));

/** Table order of groups: wave ascending, then areas and themes in the study's order. */
export function compareGroups(v: AnalysisVocabulary) {
  return (a: GroupKey, b: GroupKey): number => a.wave - b.wave || rankIn(v.areas, a.area) - rankIn(v.areas, b.area) || rankIn(v.themes, a.theme) - rankIn(v.themes, b.theme);
}

/** The treatment arms' model terms, in table order, and the arm each one marks. */
export const nudgeTerms = (v: AnalysisVocabulary): { term: string; nudge: string }[] => v.arms.flatMap((a) => (a.term ? [{ term: a.term, nudge: a.name }] : []));

export const groupLabel = (g: GroupKey): string => `wave ${g.wave}, ${g.area}, ${g.theme}`;
