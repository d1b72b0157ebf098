/**
 * How the study's names are shown to readers: areas and themes in table order, predictor row labels and
 * phrases, sub-item labels as the tables abbreviate them, the experiment's terms, the facts Table 1 prints.
 * All of it comes from the study (raw/study.json), which render and the figures step are handed and bind
 * here once, at their start (`useStudy`), before anything is labelled; no name is held in code.
 */
import type { AreaFacts, Study } from '../survey/study.js';
import { ANALYSIS_OUTCOMES } from '../survey/analysis-vocabulary.js';

interface StudyLabels {
  areas: readonly string[];
  themes: readonly string[];
  themeShort: Readonly<Record<string, string>>;
  /** Predictor names in Tables 3-4 row order (theme predictors, then demographics), their labels and phrases. */
  predictors: readonly string[];
  labels: Readonly<Record<string, string>>;
  phrases: Readonly<Record<string, string>>;
  items: readonly string[];
  itemLabels: Readonly<Record<string, string>>;
  /** The experiment's arms, the control first. */
  arms: readonly string[];
  terms: readonly string[];
  termLabels: Readonly<Record<string, string>>;
  facts: ReadonlyMap<string, AreaFacts & { themes: readonly string[]; experiment: boolean }>;
  count: number;
  /** The outcomes reported per item (time-items.csv) in the study's order, with their column headings. */
  itemOutcomes: readonly { name: string; heading: string }[];
}

const NONE: StudyLabels = { areas: [], themes: [], themeShort: {}, predictors: [], labels: {}, phrases: {}, items: [''], itemLabels: { '': '' }, arms: [], terms: [], termLabels: {}, facts: new Map(), count: 0, itemOutcomes: [] };
let current: StudyLabels = NONE;

/** Binds the study whose names every label below is read from. */
export function useStudy(study: Study): void {
  const predictors = [...study.predictors, ...study.demographics.map((d) => ({ ...d, name: d.predictor }))];
  const arms = study.arms.filter((a) => !a.control);
  current = {
    areas: study.areas,
    themes: study.themes,
    themeShort: study.themeShort,
    predictors: predictors.map((p) => p.name),
    labels: Object.fromEntries(predictors.map((p) => [p.name, p.label])),
    phrases: Object.fromEntries(predictors.map((p) => [p.name, p.phrase])),
    items: ['', ...study.subItems.map((i) => i.name)],
    itemLabels: Object.fromEntries([['', ''], ...study.subItems.map((i) => [i.name, i.label])]),
    arms: [...study.arms.filter((a) => a.control), ...arms].map((a) => a.name),
    terms: arms.map((a) => a.term!),
    termLabels: Object.fromEntries(arms.map((a) => [a.term!, a.label!])),
    facts: new Map(study.design.map((d) => [d.area, { ...d.facts, themes: d.themes.map((t) => t.theme), experiment: d.nudge }])),
    count: study.areas.length,
    itemOutcomes: study.outcomes.filter((o) => !(ANALYSIS_OUTCOMES as readonly string[]).includes(o.name)).map((o) => ({ name: o.name, heading: o.heading ?? `${o.name} (%)` })),
  };
}

/** Predictor names in Tables 3-4 row order. */
export const predictorOrder = (): readonly string[] => current.predictors;
/** The experiment's arms in table order, the control first. */
export const armNames = (): readonly string[] => current.arms;
/** The experiment's model terms in table order. */
export const terms = (): readonly string[] => current.terms;
/** What Table 1 prints about an area, from the study: its facts, themes and whether the experiment ran there. */
export const areaFacts = (area: string): (AreaFacts & { themes: readonly string[]; experiment: boolean }) | undefined => current.facts.get(area);
/** The outcomes time-items.csv reports, with their headings. */
export const itemOutcomes = (): readonly { name: string; heading: string }[] => current.itemOutcomes;
/** How many areas the study has. */
export const areaCount = (): number => current.count;

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

export const compareAreas = (a: string, b: string) => compareBy(current.areas)(a, b);
export const compareThemes = (a: string, b: string) => compareBy(current.themes)(a, b);
export const compareItems = (a: string, b: string) => compareBy(current.items)(a, b);
export const comparePredictors = (a: string, b: string) => compareBy(current.predictors)(a, b);
export const compareTerms = (a: string, b: string) => compareBy(current.terms)(a, b);

/** "community safety in Barnet": an area-theme cell inside a sentence. */
export const cellName = (area: string, theme: string) => `${theme} in ${area}`;

/** A short column heading for an area-theme: "Barnet Comm safety". */
export const columnLabel = (area: string, theme: string) => `${area} ${current.themeShort[theme] ?? theme}`;

export function itemLabel(item: string): string {
  return current.itemLabels[item] ?? item;
}

export function predictorLabel(p: string): string {
  return current.labels[p] ?? p;
}

export function predictorPhrase(p: string): string {
  return current.phrases[p] ?? p;
}

export function termLabel(t: string): string {
  return current.termLabels[t] ?? t;
}

/** "Community safety": a theme or phrase at the start of a cell. */
export function capitaliseTheme(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
