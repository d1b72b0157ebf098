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
import { DataError } from '../../contract/step.js';
import { NOT_ASKED_CODE, nudgeOf, type RecordsTable } from './records-table.js';
import { TIME_AT_LEAST_MONTHLY, type SubItem, type Theme } from './vocabulary.js';
import { variableColumn, type AnalysisVocabulary } from './analysis-vocabulary.js';
import type { Outcome } from '../table/scores.js';

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

export function themeColumns(table: RecordsTable, theme: Theme, vocabulary: AnalysisVocabulary): ThemeColumns | undefined {
  const v = table.variables;
  const prefix = `${theme}/`;
  const names = [...v.keys()].filter((n) => n.startsWith(prefix));
  if (names.length === 0) return undefined;
  const predictors: ThemeColumns['predictors'] = [];
  for (const field of vocabulary.predictors) {
    const whole = `${theme}/${field}`;
    if (v.has(whole)) predictors.push({ column: field, name: whole, codes: v.get(whole)! });
    for (const name of names.filter((n) => n.startsWith(`${whole}/`))) {
      predictors.push({ column: variableColumn(field, name.slice(whole.length + 1) as SubItem), name, codes: v.get(name)! });
    }
  }
  for (const { predictor, field } of vocabulary.demographics) if (v.has(field)) predictors.push({ column: predictor, name: field, codes: v.get(field)! });
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

/** A theme's scores for some rows of its table, column by column, and what was asked of them. Missing: NaN / -1. */
export interface ThemeScores {
  individual: Float64Array;
  indicators: Record<Indicator, Int8Array>;
  /** Index into NUDGES, -1 when blank or not asked. */
  nudge: Int8Array;
  /** Predictor columns asked of any of the rows. */
  predictors: Map<string, Int8Array>;
  asked: { outcomes: Set<Outcome>; nudge: boolean };
}

/**
 * Scores `rows` of the theme's table (in that order) by the rules above; a code outside its scale is a
 * DataError naming the raw file, line, column and value.
 */
export function scoreTheme(c: ThemeColumns, rows: Int32Array, minActivityAnswers: number): ThemeScores {
  const t = c.table;
  const n = rows.length;
  const fail = (message: string, column: string, r: number, value: number): never => {
    throw new DataError(message, { file: t.sourceFile[r], line: t.sourceLine[r], column, value });
  };
  const outcomes = new Set<Outcome>();

  // Individual: of the activity items answered (often, sometimes, never), the share often or sometimes.
  const answered = new Int32Array(n);
  const positive = new Int32Array(n);
  for (const { name, codes } of c.activities) {
    for (let k = 0; k < n; k++) {
      const code = codes[rows[k]!]!;
      if (code === NOT_ASKED_CODE) continue;
      outcomes.add('individual');
      if (code < 0) continue;
      if (code < FREQUENCY.min || code > FREQUENCY.max) fail(invalid(FREQUENCY), name, rows[k]!, code);
      answered[k]!++;
      if (code <= FREQUENCY.yesTo) positive[k]!++;
    }
  }
  const individual = new Float64Array(n);
  for (let k = 0; k < n; k++) individual[k] = answered[k]! >= minActivityAnswers ? (100 * positive[k]!) / answered[k]! : NaN;

  // Collective, willing, current and MORE time: 100 for a "yes" code, 0 for another.
  const indicators = { collective: missing(n), willing: missing(n), current_time: missing(n), more_time: missing(n) };
  for (const { outcome, name, codes, scale } of c.indicators) {
    const out = indicators[outcome];
    for (let k = 0; k < n; k++) {
      const code = codes[rows[k]!]!;
      if (code === NOT_ASKED_CODE) continue;
      outcomes.add(outcome);
      if (code < 0) continue;
      if (code < scale.min || code > scale.max) fail(invalid(scale), name, rows[k]!, code);
      out[k] = code >= scale.yesFrom && code <= scale.yesTo ? 100 : 0;
    }
  }

  const nudge = missing(n);
  let nudgeAsked = false;
  if (c.nudge) {
    for (let k = 0; k < n; k++) {
      const code = c.nudge[rows[k]!]!;
      if (code === NOT_ASKED_CODE) continue;
      nudgeAsked = true;
      if (code < 0) continue;
      if (nudgeOf(code) === undefined) fail('unknown nudge group', 'nudge', rows[k]!, code);
      nudge[k] = code;
    }
  }

  // Predictors keep their codes; don't know and blank are missing.
  const predictors = new Map<string, Int8Array>();
  for (const { column, name, codes } of c.predictors) {
    const out = missing(n);
    let asked = false;
    for (let k = 0; k < n; k++) {
      const code = codes[rows[k]!]!;
      if (code === NOT_ASKED_CODE) continue;
      asked = true;
      // Predictor ranges were checked by validate against the schema; here a code only has to fit the column.
      if (code > 100) fail('expected a code 0-100, "dont_know" or null', name, rows[k]!, code);
      if (code >= 0) out[k] = code;
    }
    if (asked) predictors.set(column, out);
  }
  return { individual, indicators, nudge, predictors, asked: { outcomes, nudge: nudgeAsked } };
}

/** A column of n missing codes. */
const missing = (n: number) => new Int8Array(n).fill(-1);

const invalid = (s: IndicatorScale) => `expected a code ${s.min}-${s.max}, "dont_know" or null`;
