/**
 * The scoring rules: what index turns a respondent's answers in one theme into, written as arquero
 * expressions over the records table's code columns (one derive per theme, as dplyr's mutate).
 *
 * - Individual co-production index: of the theme's activity items the respondent answered (often,
 *   sometimes or never), the percentage answered often or sometimes. Don't know and blank are not
 *   answers: they leave the item out of both counts. A respondent with fewer than `minActivityAnswers`
 *   answered items gets no index (NaN) rather than a share of one or two items.
 * - Collective indicator: joins in groups often or sometimes → 100, never → 0, don't know or blank → -1.
 * - Willing, current time, MORE time: a time code of 3 (a few hours a month) or more → 100, 1-2 → 0,
 *   don't know or blank → -1.
 * - Predictors and the nudge arm keep their answer codes; don't know and blank become -1.
 *
 * A question counts as asked in a group when any respondent of the group has it asked (a code or any
 * missing answer other than "not asked"). Every missing answer is a negative code, so `>= 0` reads
 * "answered".
 */
import { NOT_ASKED_CODE, NUDGE_NAMES } from './records-table.js';
import { TIME_AT_LEAST_MONTHLY, type SubItem, type Theme } from './vocabulary.js';
import { variableColumn, type AnalysisVocabulary } from './analysis-vocabulary.js';
import type { Outcome } from '../table/scores.js';

interface Scale {
  min: number;
  max: number;
  /** Codes counted as "yes" (100). */
  yesFrom: number;
  yesTo: number;
}
/** Often (1) or sometimes (2) on the frequency scale. */
const FREQUENCY: Scale = { min: 1, max: 3, yesFrom: 1, yesTo: 2 };
/** At least a few hours a month on the time scale. */
const TIME: Scale = { min: 1, max: 4, yesFrom: TIME_AT_LEAST_MONTHLY, yesTo: 4 };

/** The indicator outcomes and the theme field each is read from. */
const INDICATORS = [
  { outcome: 'collective', field: 'join_groups', scale: FREQUENCY },
  { outcome: 'willing', field: 'willing_time', scale: TIME },
  { outcome: 'current_time', field: 'current_time', scale: TIME },
  { outcome: 'more_time', field: 'more_time', scale: TIME },
] as const;

/** A records column read by a theme's scoring, and the codes it may hold besides the missing ones. */
export interface CheckedColumn {
  name: string;
  /** Whether an answered code fits the column. */
  fits: (code: number) => boolean;
  expected: string;
}

/** One theme's scoring over a records table with these columns: arquero expressions by output column. */
export interface ThemeScoring {
  theme: Theme;
  /** Rows that carry the theme: some question of it was asked. */
  carried: string;
  /** Rows holding a code outside its column's scale (named by `checked`, in this order). */
  invalid: string;
  checked: CheckedColumn[];
  /** Per row, the activity items answered and those answered often or sometimes, for a derive. */
  counts: Record<string, string>;
  /** The scores columns (individual, the indicators, nudge, the predictors asked), for a derive after `counts`. */
  scores: Record<string, string>;
  /** Per outcome, predictor column and `nudge`: whether any row of a group was asked it, for a rollup. */
  asked: Record<string, string>;
}

/** `d["a/b"]`: a column by its full name in an expression. */
const col = (name: string) => `d[${JSON.stringify(name)}]`;
const any = (names: string[], test: (c: string) => string) => (names.length ? names.map((n) => `(${test(col(n))})`).join(' || ') : 'false');
/** How many of the columns pass `test`, as a number (true counts 1). */
const count = (names: string[], test: (c: string) => string) => (names.length ? names.map((n) => `(${test(col(n))} ? 1 : 0)`).join(' + ') : '0');
/** 1 when any row of the group has one of the columns asked, else 0. */
const askedOf = (names: string[]) => `d => op.max(${any(names, (c) => `${c} !== ${NOT_ASKED_CODE}`)} ? 1 : 0)`;

export function themeScoring(columnNames: readonly string[], theme: Theme, vocabulary: AnalysisVocabulary, minActivityAnswers: number): ThemeScoring | undefined {
  const has = new Set(columnNames);
  const prefix = `${theme}/`;
  const names = columnNames.filter((n) => n.startsWith(prefix));
  if (names.length === 0) return undefined;
  const activities = names.filter((n) => n.startsWith(`${theme}/activities/`));
  const indicators = INDICATORS.filter((i) => has.has(`${theme}/${i.field}`)).map((i) => ({ ...i, name: `${theme}/${i.field}` }));
  const predictors: { column: string; name: string }[] = [];
  for (const field of vocabulary.predictors) {
    const whole = `${theme}/${field}`;
    if (has.has(whole)) predictors.push({ column: field, name: whole });
    for (const name of names.filter((n) => n.startsWith(`${whole}/`))) predictors.push({ column: variableColumn(field, name.slice(whole.length + 1) as SubItem), name });
  }
  for (const { predictor, field } of vocabulary.demographics) if (has.has(field)) predictors.push({ column: predictor, name: field });
  const nudge = has.has('nudge');

  const inScale = (s: Scale) => ({ fits: (code: number) => code >= s.min && code <= s.max, expected: `expected a code ${s.min}-${s.max}, "dont_know" or null` });
  const checked: CheckedColumn[] = [
    ...activities.map((name) => ({ name, ...inScale(FREQUENCY) })),
    ...indicators.map((i) => ({ name: i.name, ...inScale(i.scale) })),
    ...(nudge ? [{ name: 'nudge', fits: (code: number) => code < NUDGE_NAMES.length, expected: 'unknown nudge group' }] : []),
    // Predictor ranges were checked by validate against the schema; here a code only has to fit the column.
    ...predictors.map((p) => ({ name: p.name, fits: (code: number) => code <= 100, expected: 'expected a code 0-100, "dont_know" or null' })),
  ];
  const outOf = (c: CheckedColumn) => {
    const scale = c.name === 'nudge' ? { min: 0, max: NUDGE_NAMES.length - 1 } : activities.includes(c.name) ? FREQUENCY : (indicators.find((i) => i.name === c.name)?.scale ?? { min: 0, max: 100 });
    return `${col(c.name)} >= 0 && (${col(c.name)} < ${scale.min} || ${col(c.name)} > ${scale.max})`;
  };
  const keep = (name: string) => `d => ${col(name)} < 0 ? -1 : ${col(name)}`;
  const indicator = (name: string, s: Scale) => `d => ${col(name)} < 0 ? -1 : ${col(name)} >= ${s.yesFrom} && ${col(name)} <= ${s.yesTo} ? 100 : 0`;

  const answered = count(activities, (c) => `${c} >= 0`);
  const positive = count(activities, (c) => `${c} >= ${FREQUENCY.yesFrom} && ${c} <= ${FREQUENCY.yesTo}`);
  const counts = { answered: `d => ${answered}`, positive: `d => ${positive}` };
  const derived: Record<string, string> = {
    individual: `d => d.answered >= ${minActivityAnswers} ? 100 * d.positive / d.answered : NaN`,
  };
  for (const outcome of ['collective', 'willing', 'current_time', 'more_time'] as const) {
    const i = indicators.find((x) => x.outcome === outcome);
    derived[outcome] = i ? indicator(i.name, i.scale) : 'd => -1';
  }
  derived.nudge = nudge ? keep('nudge') : 'd => -1';
  for (const p of predictors) derived[p.column] = keep(p.name);

  const asked: Record<string, string> = {};
  const outcomes: [Outcome, string[]][] = [['individual', activities], ...indicators.map((i): [Outcome, string[]] => [i.outcome, [i.name]])];
  for (const [outcome, cols] of outcomes) asked[`outcome:${outcome}`] = askedOf(cols);
  if (nudge) asked.nudge = askedOf(['nudge']);
  for (const p of predictors) asked[`variable:${p.column}`] = askedOf([p.name]);

  return {
    theme,
    carried: `d => ${any(names, (c) => `${c} !== ${NOT_ASKED_CODE}`)}`,
    invalid: `d => ${checked.length ? checked.map((c) => `(${outOf(c)})`).join(' || ') : 'false'}`,
    checked,
    counts,
    scores: derived,
    asked,
  };
}

/** The first checked column of a row whose code is outside its scale, with its code. */
export function firstInvalid(scoring: ThemeScoring, code: (name: string) => number): { column: string; value: number; message: string } | undefined {
  for (const c of scoring.checked) {
    const v = code(c.name);
    if (v >= 0 && !c.fits(v)) return { column: c.name, value: v, message: c.expected };
  }
  return undefined;
}
