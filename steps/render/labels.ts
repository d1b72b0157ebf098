/**
 * How the study's names are shown to readers: areas and themes in the paper's order, predictor row
 * labels, sub-item labels as the tables abbreviate them, nudge terms. Order here is the tables' order.
 */
import { AREAS, SUB_ITEMS, THEMES } from '../survey/vocabulary.js';

export const AREA_ORDER: readonly string[] = AREAS;
export const THEME_ORDER: readonly string[] = THEMES;

export const PREDICTORS = [
  'conditions',
  'satisfaction_response',
  'satisfaction_information',
  'satisfaction_consultation',
  'self_efficacy',
  'gender',
  'age',
  'ethnicity',
] as const;
export type Predictor = (typeof PREDICTORS)[number];

/** Row labels of Tables 3 and 4. */
export const PREDICTOR_LABELS: Record<Predictor, string> = {
  conditions: 'Perceived local conditions',
  satisfaction_response: 'Satisfaction with the public response',
  satisfaction_information: 'Satisfaction with information',
  satisfaction_consultation: 'Satisfaction with consultation',
  self_efficacy: 'People can make a difference',
  gender: 'Gender',
  age: 'Age',
  ethnicity: 'Ethnicity',
};

/** The same predictors as a phrase inside a sentence. */
export const PREDICTOR_PHRASES: Record<Predictor, string> = {
  conditions: 'perceived local conditions',
  satisfaction_response: 'satisfaction with how public services respond',
  satisfaction_information: 'satisfaction with the information given',
  satisfaction_consultation: 'satisfaction with consultation',
  self_efficacy: 'the belief that people can make a difference',
  gender: 'gender',
  age: 'age',
  ethnicity: 'ethnicity',
};

export const ITEM_ORDER: readonly string[] = ['', ...SUB_ITEMS];

/** Sub-item labels as the correlation tables print them inside a cell. */
export const ITEM_LABELS: Record<string, string> = {
  '': '',
  crime: 'Crime',
  'anti-social behaviour': 'ASB',
  'crime & ASB': 'Crime & ASB',
  'own health': 'Own health',
  'health of others': 'Health of others',
  'ordinary citizens': 'Ordinary citizens',
  'people needing help': 'People needing help',
  'public agencies': 'Public agencies',
};

export const TERMS = ['nudge_a', 'nudge_b', 'both'] as const;
export type Term = (typeof TERMS)[number];
export const TERM_LABELS: Record<Term, string> = { nudge_a: 'Nudge A', nudge_b: 'Nudge B', both: 'Both nudges' };

export const OUTCOMES = ['individual', 'collective'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const THEME_SHORT: Record<string, string> = {
  environment: 'Env',
  'community safety': 'Comm safety',
  wellbeing: 'Wellbeing',
  health: 'Health',
};

/** Index of a value in an order list; unknown values sort after known ones, alphabetically. */
export function rank(order: readonly string[], value: string): number {
  const i = order.indexOf(value);
  return i < 0 ? order.length : i;
}

export function compareBy(order: readonly string[]) {
  return (a: string, b: string) => rank(order, a) - rank(order, b) || (a < b ? -1 : a > b ? 1 : 0);
}

export const compareAreas = compareBy(AREA_ORDER);
export const compareThemes = compareBy(THEME_ORDER);
export const compareItems = compareBy(ITEM_ORDER);
export const comparePredictors = compareBy(PREDICTORS);
export const compareTerms = compareBy(TERMS);

/** "community safety in Barnet": an area-theme cell inside a sentence. */
export const cellName = (area: string, theme: string) => `${theme} in ${area}`;

/** A short column heading for an area-theme: "Barnet Comm safety". */
export const columnLabel = (area: string, theme: string) => `${area} ${THEME_SHORT[theme] ?? theme}`;

export function itemLabel(item: string): string {
  return ITEM_LABELS[item] ?? item;
}

export function predictorLabel(p: string): string {
  return (PREDICTOR_LABELS as Record<string, string>)[p] ?? p;
}

export function predictorPhrase(p: string): string {
  return (PREDICTOR_PHRASES as Record<string, string>)[p] ?? p;
}

export function termLabel(t: string): string {
  return (TERM_LABELS as Record<string, string>)[t] ?? t;
}

/** "Community safety": a theme or phrase at the start of a cell. */
export function capitaliseTheme(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
