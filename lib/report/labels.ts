/**
 * How the study's names are shown to readers: areas and themes in table order, predictor row labels and
 * phrases, sub-item labels as the tables abbreviate them, the experiment's arms and terms, the facts Table
 * 1 prints, the per-item outcomes' headings. All of it comes from the study (raw/study.json): render and the
 * figures step build one `Labels` from the study they are handed (`studyLabels`) and pass it to whatever
 * labels or sorts, so two studies in one process never mix; no name is held in code.
 */
import type { AreaFacts, Study } from '../survey/study.js';
import { ANALYSIS_OUTCOMES } from '../survey/analysis-vocabulary.js';

type Compare = (a: string, b: string) => number;

export interface Labels {
  /** Predictor names in Tables 3-4 row order (theme predictors, then demographics). */
  predictorOrder: () => readonly string[];
  /** The experiment's arms in table order, the control first. */
  armNames: () => readonly string[];
  /** The experiment's model terms in table order. */
  terms: () => readonly string[];
  /** What Table 1 prints about an area, from the study: its facts, themes and whether the experiment ran there. */
  areaFacts: (area: string) => (AreaFacts & { themes: readonly string[]; experiment: boolean }) | undefined;
  /** The outcomes time-items.csv reports, with their headings. */
  itemOutcomes: () => readonly { name: string; heading: string }[];
  /** How many areas the study has. */
  areaCount: () => number;
  compareAreas: Compare;
  compareThemes: Compare;
  compareItems: Compare;
  comparePredictors: Compare;
  compareTerms: Compare;
  /** A short column heading for an area-theme: "Barnet Comm safety". */
  columnLabel: (area: string, theme: string) => string;
  itemLabel: (item: string) => string;
  predictorLabel: (p: string) => string;
  predictorPhrase: (p: string) => string;
  termLabel: (t: string) => string;
}

/** The labels of one study. */
export function studyLabels(study: Study): Labels {
  const predictors = [...study.predictors, ...study.demographics.map((d) => ({ ...d, name: d.predictor }))];
  const treated = study.arms.filter((a) => !a.control);
  const order = {
    areas: study.areas,
    themes: study.themes,
    items: ['', ...study.subItems.map((i) => i.name)],
    predictors: predictors.map((p) => p.name),
    arms: [...study.arms.filter((a) => a.control), ...treated].map((a) => a.name),
    terms: treated.map((a) => a.term!),
  };
  const labels: Record<string, string> = Object.fromEntries(predictors.map((p) => [p.name, p.label]));
  const phrases: Record<string, string> = Object.fromEntries(predictors.map((p) => [p.name, p.phrase]));
  const itemLabels: Record<string, string> = Object.fromEntries([['', ''], ...study.subItems.map((i) => [i.name, i.label])]);
  const termLabels: Record<string, string> = Object.fromEntries(treated.map((a) => [a.term!, a.label!]));
  const facts = new Map(study.design.map((d) => [d.area, { ...d.facts, themes: d.themes.map((t) => t.theme), experiment: d.nudge }]));
  const itemOutcomes = study.outcomes
    .filter((o) => !(ANALYSIS_OUTCOMES as readonly string[]).includes(o.name))
    .map((o) => ({ name: o.name, heading: o.heading ?? `${o.name} (%)` }));
  return {
    predictorOrder: () => order.predictors,
    armNames: () => order.arms,
    terms: () => order.terms,
    areaFacts: (area) => facts.get(area),
    itemOutcomes: () => itemOutcomes,
    areaCount: () => study.areas.length,
    compareAreas: compareBy(order.areas),
    compareThemes: compareBy(order.themes),
    compareItems: compareBy(order.items),
    comparePredictors: compareBy(order.predictors),
    compareTerms: compareBy(order.terms),
    columnLabel: (area, theme) => `${area} ${study.themeShort[theme] ?? theme}`,
    itemLabel: (item) => itemLabels[item] ?? item,
    predictorLabel: (p) => labels[p] ?? p,
    predictorPhrase: (p) => phrases[p] ?? p,
    termLabel: (t) => termLabels[t] ?? t,
  };
}

export type Predictor = string;
export type Term = string;

export const OUTCOMES = ['individual', 'collective'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Index of a value in an order list; unknown values sort after known ones, alphabetically. */
export function rank(order: readonly string[], value: string): number {
  const i = order.indexOf(value);
  return i < 0 ? order.length : i;
}

export function compareBy(order: readonly string[]) {
  return (a: string, b: string) => rank(order, a) - rank(order, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** "community safety in Barnet": an area-theme cell inside a sentence. */
export const cellName = (area: string, theme: string) => `${theme} in ${area}`;

/** "Community safety": a theme or phrase at the start of a cell. */
export function capitaliseTheme(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
