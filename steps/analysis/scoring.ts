/**
 * The scoring rules: what index turns a respondent's answers in one theme into.
 *
 * - Individual co-production index: of the theme's activity items the respondent answered (often,
 *   sometimes or never), the percentage answered often or sometimes. Don't know and blank are not
 *   answers: they leave the item out of both counts. A respondent with fewer than `minActivityAnswers`
 *   answered items gets no index (null) rather than a share of one or two items.
 * - Collective indicator: joins in groups often or sometimes → 100, never → 0, don't know or blank → null.
 * - Willing, current time, MORE time: a time code of 3 (a few hours a month) or more → 100, 1-2 → 0,
 *   don't know or blank → null.
 * - Predictors keep their answer codes; don't know and blank become null.
 *
 * A question counts as asked in a group when any respondent of the group has it asked (a code or any
 * missing answer other than "not asked").
 */
import { DataError } from '../../runner/step.js';
import { NOT_ASKED_CODE, nudgeOf, type RecordsTable } from '../survey/records-table.js';
import { TIME_AT_LEAST_MONTHLY, type Theme } from '../survey/vocabulary.js';
import { DEMOGRAPHICS, THEME_PREDICTORS, variableColumn } from './layout.js';
import type { Outcome } from './scores.js';
import type { SubItem } from '../survey/vocabulary.js';

interface IndicatorScale {
  min: number;
  max: number;
  /** Codes counted as "yes" (100). */
  yesFrom: number;
  yesTo: number;
}
/** Often (1) or sometimes (2) on the frequency scale. */
const FREQUENCY: IndicatorScale = { min: 1, max: 3, yesFrom: 1, yesTo: 2 };
/** At least a few hours a month on the time scale. */
const TIME: IndicatorScale = { min: 1, max: 4, yesFrom: TIME_AT_LEAST_MONTHLY, yesTo: 4 };

/** The indicator outcomes and the theme field each is read from. */
const INDICATORS = [
  { outcome: 'collective', field: 'join_groups', scale: FREQUENCY },
  { outcome: 'willing', field: 'willing_time', scale: TIME },
  { outcome: 'current_time', field: 'current_time', scale: TIME },
  { outcome: 'more_time', field: 'more_time', scale: TIME },
] as const;
export type Indicator = (typeof INDICATORS)[number]['outcome'];

/** One theme's columns in a records table, found once per table. */
export interface ThemeColumns {
  table: RecordsTable;
  theme: Theme;
  /** Every column of the theme: a row carries the theme when any of them is asked. */
  all: Int32Array[];
  activities: { name: string; codes: Int32Array }[];
  indicators: { outcome: Indicator; name: string; codes: Int32Array; scale: IndicatorScale }[];
  /** Predictor columns of the scores table and the records column each is read from (demographics included). */
  predictors: { column: string; name: string; codes: Int32Array }[];
  nudge: Int32Array | undefined;
}

export function themeColumns(table: RecordsTable, theme: Theme): ThemeColumns | undefined {
  const v = table.variables;
  const prefix = `${theme}/`;
  const names = [...v.keys()].filter((n) => n.startsWith(prefix));
  if (names.length === 0) return undefined;
  const predictors: ThemeColumns['predictors'] = [];
  for (const field of THEME_PREDICTORS) {
    const whole = `${theme}/${field}`;
    if (v.has(whole)) predictors.push({ column: field, name: whole, codes: v.get(whole)! });
    for (const name of names.filter((n) => n.startsWith(`${whole}/`))) {
      predictors.push({ column: variableColumn(field, name.slice(whole.length + 1) as SubItem), name, codes: v.get(name)! });
    }
  }
  for (const { predictor, field } of DEMOGRAPHICS) if (v.has(field)) predictors.push({ column: predictor, name: field, codes: v.get(field)! });
  return {
    table,
    theme,
    all: names.map((n) => v.get(n)!),
    activities: names.filter((n) => n.startsWith(`${theme}/activities/`)).map((name) => ({ name, codes: v.get(name)! })),
    indicators: INDICATORS.filter((i) => v.has(`${theme}/${i.field}`)).map((i) => ({ outcome: i.outcome, name: `${theme}/${i.field}`, codes: v.get(`${theme}/${i.field}`)!, scale: i.scale })),
    predictors,
    nudge: v.get('nudge'),
  };
}

/** Whether row `r` carries the theme (some question of it was asked of the respondent). */
export const carries = (c: ThemeColumns, r: number): boolean => c.all.some((codes) => codes[r] !== NOT_ASKED_CODE);

/** One respondent's scores in one theme, and what was asked of them. Missing: NaN / -1. */
export interface ThemeScore {
  individual: number;
  indicators: Record<Indicator, number>;
  /** Index into NUDGES, -1 when blank or not asked. */
  nudge: number;
  predictors: Map<string, number>;
  asked: { outcomes: Set<Outcome>; nudge: boolean };
}

/** Scores row `r` of the theme's table by the rules above; a code outside its scale is a DataError naming the raw row. */
export function scoreRow(c: ThemeColumns, r: number, minActivityAnswers: number): ThemeScore {
  const t = c.table;
  const fail = (message: string, column: string, value: number): never => {
    throw new DataError(message, { file: t.sourceFile[r], line: t.sourceLine[r], column, value });
  };
  const outcomes = new Set<Outcome>();
  let answered = 0;
  let positive = 0;
  for (const { name, codes } of c.activities) {
    const code = codes[r]!;
    if (code === NOT_ASKED_CODE) continue;
    outcomes.add('individual');
    if (code < 0) continue;
    if (code < FREQUENCY.min || code > FREQUENCY.max) fail(invalid(FREQUENCY), name, code);
    answered++;
    if (code <= FREQUENCY.yesTo) positive++;
  }
  const individual = outcomes.has('individual') && answered >= minActivityAnswers ? (100 * positive) / answered : NaN;

  const indicators: Record<Indicator, number> = { collective: -1, willing: -1, current_time: -1, more_time: -1 };
  for (const { outcome, name, codes, scale } of c.indicators) {
    const code = codes[r]!;
    if (code === NOT_ASKED_CODE) continue;
    outcomes.add(outcome);
    if (code < 0) continue;
    if (code < scale.min || code > scale.max) fail(invalid(scale), name, code);
    indicators[outcome] = code >= scale.yesFrom && code <= scale.yesTo ? 100 : 0;
  }

  const nudgeCode = c.nudge?.[r] ?? NOT_ASKED_CODE;
  if (nudgeCode >= 0 && nudgeOf(nudgeCode) === undefined) fail('unknown nudge group', 'nudge', nudgeCode);

  const predictors = new Map<string, number>();
  for (const { column, name, codes } of c.predictors) {
    const code = codes[r]!;
    if (code === NOT_ASKED_CODE) continue;
    // Predictor ranges were checked by validate against the schema; here a code only has to fit the column.
    if (code > 100) fail('expected a code 0-100, "dont_know" or null', name, code);
    predictors.set(column, code < 0 ? -1 : code);
  }
  return { individual, indicators, nudge: nudgeCode < 0 ? -1 : nudgeCode, predictors, asked: { outcomes, nudge: nudgeCode !== NOT_ASKED_CODE } };
}

const invalid = (s: IndicatorScale) => `expected a code ${s.min}-${s.max}, "dont_know" or null`;
