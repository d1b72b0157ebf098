/**
 * The analysis vocabulary shared by index, correlate and nudge-regress: the eight predictors of Tables
 * 3-4 in the paper's row order, how a predictor (and its sub-item) is named as a column of the scores
 * table, and the order every table sorts its rows in.
 *
 * A predictor column is named `<predictor>` when asked once and `<predictor>/<sub-item>` when asked per
 * sub-item (`self_efficacy/crime`). Demographics are respondent-level and never split.
 */
import { AREAS, SUB_ITEMS, THEME_PREDICTORS, THEMES, type Area, type SubItem, type Theme } from '../survey/vocabulary.js';

export { THEME_PREDICTORS };

/** Respondent-level predictors and the record field each is read from. */
export const DEMOGRAPHICS = [
  { predictor: 'gender', field: 'gender' },
  { predictor: 'age', field: 'age_band' },
  { predictor: 'ethnicity', field: 'ethnicity' },
] as const;

/** Table 3-4 row order. */
export const PREDICTORS = [...THEME_PREDICTORS, ...DEMOGRAPHICS.map((d) => d.predictor)] as const;
export type PredictorName = (typeof PREDICTORS)[number];

/** One predictor column: a predictor, optionally narrowed to a sub-item ('' when asked once). */
export interface Variable {
  predictor: PredictorName;
  item: SubItem | '';
  column: string;
}

export function variableColumn(predictor: PredictorName, item: SubItem | ''): string {
  return item === '' ? predictor : `${predictor}/${item}`;
}

/** Every possible predictor column, in table order: predictor, then the unsplit question, then sub-items. */
export const VARIABLES: readonly Variable[] = PREDICTORS.flatMap((predictor) => {
  const items: (SubItem | '')[] = (THEME_PREDICTORS as readonly string[]).includes(predictor) ? ['', ...SUB_ITEMS] : [''];
  return items.map((item) => ({ predictor, item, column: variableColumn(predictor, item) }));
});

const VARIABLE_RANK = new Map(VARIABLES.map((v, i) => [v.column, i]));

export function variableOf(column: string): Variable | undefined {
  const rank = VARIABLE_RANK.get(column);
  return rank === undefined ? undefined : VARIABLES[rank];
}

/** Sorts predictor column names into table order (unknown names throw: they are a bug upstream). */
export function sortVariables(columns: Iterable<string>): string[] {
  const list = [...columns];
  for (const c of list) if (!VARIABLE_RANK.has(c)) throw new RangeError(`unknown predictor column "${c}"`);
  return list.sort((a, b) => VARIABLE_RANK.get(a)! - VARIABLE_RANK.get(b)!);
}

/**
 * Sub-items that are alternative versions of the same questions rather than separate questions: Barnet
 * asked response, information, consultation and self-efficacy once about crime and once about anti-social
 * behaviour. A Table 5 model uses one version at a time (one model per item, as the paper reports them).
 */
export const SPLIT_ITEMS: readonly SubItem[] = ['crime', 'anti-social behaviour'];

/** One (wave, area, theme) cell of the analysis: the unit every table reports on. */
export interface GroupKey {
  wave: number;
  area: Area;
  theme: Theme;
}

const AREA_RANK = new Map<string, number>(AREAS.map((a, i) => [a, i]));
const THEME_RANK = new Map<string, number>(THEMES.map((t, i) => [t, i]));
const ITEM_RANK = new Map<string, number>(['', ...SUB_ITEMS].map((s, i) => [s, i]));

export const areaRank = (area: string): number => AREA_RANK.get(area) ?? -1;
export const themeRank = (theme: string): number => THEME_RANK.get(theme) ?? -1;
/** '' (no sub-item) first, then the vocabulary's sub-item order. */
export const itemRank = (item: string): number => ITEM_RANK.get(item) ?? -1;

/** Table order of groups: wave ascending, then areas and themes in the vocabulary's order. */
export function compareGroups(a: GroupKey, b: GroupKey): number {
  return a.wave - b.wave || areaRank(a.area) - areaRank(b.area) || themeRank(a.theme) - themeRank(b.theme);
}

export const groupLabel = (g: GroupKey): string => `wave ${g.wave}, ${g.area}, ${g.theme}`;
