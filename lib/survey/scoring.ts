/**
 * The scoring rules: what index turns a respondent's answers in one theme into, written as arquero
 * expressions over the records table's code columns (one derive per theme, as dplyr's mutate).
 *
 * The outcomes are the study's (raw/study.json `outcomes`, carried in the analysis vocabulary), each
 * built from one theme question with the answers it counts as yes:
 * - An outcome from the activity items (the individual co-production index): of the theme's activity
 *   items the respondent answered, the percentage answered yes (often or sometimes in the shipped study).
 *   Don't know and blank are not answers: they leave the item out of both counts. A respondent with fewer
 *   than `minActivityAnswers` answered items gets no index (NaN) rather than a share of one or two items.
 * - An outcome from the group item or a time item (collective, willing and the per-item time outcomes):
 *   a yes answer → 100, another answer → 0, don't know or blank → -1.
 * - Predictors and the nudge arm keep their answer codes; don't know and blank become -1.
 *
 * A question counts as asked in a group when any respondent of the group has it asked (a code or any
 * missing answer other than "not asked"). Every missing answer is a negative code, so `>= 0` reads
 * "answered".
 */
import { NOT_ASKED_CODE, NUDGE_NAMES } from './records-table.js';
import type { SubItem, Theme } from './vocabulary.js';
import { variableColumn, type AnalysisVocabulary, type VocabularyOutcome } from './analysis-vocabulary.js';
import { isShare, type Outcome } from '../table/scores.js';

/** A records column read by a theme's scoring, and the codes it may hold besides the missing ones. */
export interface CheckedColumn {
  name: string;
  /** Whether an answered code fits the column. */
  fits: (code: number) => boolean;
  expected: string;
  min: number;
  max: number;
}

/** One theme's scoring over a records table with these columns: arquero expressions by output column. */
export interface ThemeScoring {
  theme: Theme;
  /** Rows that carry the theme: some question of it was asked. */
  carried: string;
  /** Rows holding a code outside its column's scale (named by `checked`, in this order). */
  invalid: string;
  checked: CheckedColumn[];
  /** Per row and share outcome, the activity items answered and those answered yes, for a derive. */
  counts: Record<string, string>;
  /** The scores columns (every outcome of the study, nudge, the predictors asked), for a derive after `counts`. */
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
/** Whether code `c` is one of the outcome's yes codes. */
const isYes = (c: string, o: VocabularyOutcome) => (o.yes.length ? o.yes.map((y) => `${c} === ${y}`).join(' || ') : 'false');
const inScale = (name: string, min: number, max: number, expected = `expected a code ${min}-${max}, "dont_know" or null`): CheckedColumn => ({
  name,
  fits: (code: number) => code >= min && code <= max,
  expected,
  min,
  max,
});

export function themeScoring(columnNames: readonly string[], theme: Theme, vocabulary: AnalysisVocabulary, minActivityAnswers: number): ThemeScoring | undefined {
  const has = new Set(columnNames);
  const prefix = `${theme}/`;
  const names = columnNames.filter((n) => n.startsWith(prefix));
  if (names.length === 0) return undefined;
  const activities = names.filter((n) => n.startsWith(`${theme}/activities/`));
  const shares = vocabulary.outcomes.filter(isShare);
  const indicators = vocabulary.outcomes.filter((o) => !isShare(o) && has.has(`${theme}/${o.from}`)).map((o) => ({ outcome: o, name: `${theme}/${o.from}` }));
  const predictors: { column: string; name: string }[] = [];
  for (const field of vocabulary.predictors) {
    const whole = `${theme}/${field}`;
    if (has.has(whole)) predictors.push({ column: field, name: whole });
    for (const name of names.filter((n) => n.startsWith(`${whole}/`))) predictors.push({ column: variableColumn(field, name.slice(whole.length + 1) as SubItem), name });
  }
  for (const { predictor, field } of vocabulary.demographics) if (has.has(field)) predictors.push({ column: predictor, name: field });
  const nudge = has.has('nudge');

  const checked: CheckedColumn[] = [
    // The activity items are checked against the scale of the outcomes built from them.
    ...shares.flatMap((s) => activities.map((name) => inScale(name, s.min, s.max))),
    ...indicators.map((i) => inScale(i.name, i.outcome.min, i.outcome.max)),
    ...(nudge ? [inScale('nudge', 0, NUDGE_NAMES.length - 1, 'unknown nudge group')] : []),
    // Predictor ranges were checked by validate against the schema; here a code only has to fit the column.
    ...predictors.map((p) => inScale(p.name, 0, 100, 'expected a code 0-100, "dont_know" or null')),
  ];
  const outOf = (c: CheckedColumn) => `${col(c.name)} >= 0 && (${col(c.name)} < ${c.min} || ${col(c.name)} > ${c.max})`;
  const keep = (name: string) => `d => ${col(name)} < 0 ? -1 : ${col(name)}`;
  const indicator = (name: string, o: VocabularyOutcome) => `d => ${col(name)} < 0 ? -1 : (${isYes(col(name), o)}) ? 100 : 0`;

  const counts: Record<string, string> = {};
  const derived: Record<string, string> = {};
  for (const s of shares) {
    counts[`answered:${s.name}`] = `d => ${count(activities, (c) => `${c} >= 0`)}`;
    counts[`positive:${s.name}`] = `d => ${count(activities, (c) => `${c} >= 0 && (${isYes(c, s)})`)}`;
  }
  for (const o of vocabulary.outcomes) {
    if (isShare(o)) {
      const [answered, positive] = [col(`answered:${o.name}`), col(`positive:${o.name}`)];
      derived[o.name] = `d => ${answered} >= ${minActivityAnswers} ? 100 * ${positive} / ${answered} : NaN`;
    } else {
      const i = indicators.find((x) => x.outcome === o);
      derived[o.name] = i ? indicator(i.name, o) : 'd => -1';
    }
  }
  derived.nudge = nudge ? keep('nudge') : 'd => -1';
  for (const p of predictors) derived[p.column] = keep(p.name);

  const asked: Record<string, string> = {};
  const sources: [Outcome, string[]][] = [...shares.map((s): [Outcome, string[]] => [s.name, activities]), ...indicators.map((i): [Outcome, string[]] => [i.outcome.name, [i.name]])];
  for (const [outcome, cols] of sources) asked[`outcome:${outcome}`] = askedOf(cols);
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
