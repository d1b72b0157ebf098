/**
 * The scoring rules: what index turns a respondent's answers in one theme into.
 *
 * The outcomes are the study's (raw/study.json `outcomes`, carried in the analysis vocabulary), each
 * built from one theme question with the answers it counts as yes:
 * - An outcome from the activity items (the individual co-production index): of the theme's activity
 *   items the respondent answered, the percentage answered yes (often or sometimes in the shipped study).
 *   Don't know and blank are not answers: they leave the item out of both counts. A respondent with fewer
 *   than `minActivityAnswers` answered items gets no index (null) rather than a share of one or two items.
 * - An outcome from the group item or a time item (collective, willing and the per-item time outcomes):
 *   a yes answer → 100, another answer → 0, don't know or blank → null.
 * - Predictors keep their answer codes; don't know and blank become null.
 *
 * A question counts as asked in a group when any respondent of the group has it asked (a code or any
 * missing answer other than "not asked").
 */
import { DataError } from '../../contract/step.js';
import { NOT_ASKED_CODE, nudgeOf, type RecordsTable } from './records-table.js';
import type { SubItem, Theme } from './vocabulary.js';
import { variableColumn, type AnalysisVocabulary, type VocabularyOutcome } from './analysis-vocabulary.js';
import type { Outcome } from '../table/scores.js';

/** One theme's columns in a records table, found once per table. */
export interface ThemeColumns {
  table: RecordsTable;
  theme: Theme;
  /** Every column of the theme: a row carries the theme when any of them is asked. */
  all: Int32Array[];
  activities: { name: string; codes: Int32Array }[];
  /** The outcomes built from the activity items (shares) and from one question each (indicators). */
  shares: VocabularyOutcome[];
  indicators: { outcome: VocabularyOutcome; name: string; codes: Int32Array }[];
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
    shares: vocabulary.outcomes.filter((o) => o.from === 'activities'),
    indicators: vocabulary.outcomes.filter((o) => o.from !== 'activities' && v.has(`${theme}/${o.from}`)).map((o) => ({ outcome: o, name: `${theme}/${o.from}`, codes: v.get(`${theme}/${o.from}`)! })),
    predictors,
    nudge: v.get('nudge'),
  };
}

/** Whether row `r` carries the theme (some question of it was asked of the respondent). */
export const carries = (c: ThemeColumns, r: number): boolean => c.all.some((codes) => codes[r] !== NOT_ASKED_CODE);

/** A theme's scores for some rows of its table, column by column, and what was asked of them. Missing: NaN / -1. */
export interface ThemeScores {
  /** Per outcome asked of the rows: shares (NaN: missing) and indicators (-1: missing). */
  outcomes: Map<Outcome, Float64Array | Int8Array>;
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

  const values = new Map<Outcome, Float64Array | Int8Array>();

  // A share: of the activity items answered, the percentage answered yes.
  for (const share of c.shares) {
    const yes = yesCodes(share);
    const answered = new Int32Array(n);
    const positive = new Int32Array(n);
    for (const { name, codes } of c.activities) {
      for (let k = 0; k < n; k++) {
        const code = codes[rows[k]!]!;
        if (code === NOT_ASKED_CODE) continue;
        outcomes.add(share.name);
        if (code < 0) continue;
        if (code < share.min || code > share.max) fail(invalid(share), name, rows[k]!, code);
        answered[k]!++;
        if (yes[code]) positive[k]!++;
      }
    }
    const out = new Float64Array(n);
    for (let k = 0; k < n; k++) out[k] = answered[k]! >= minActivityAnswers ? (100 * positive[k]!) / answered[k]! : NaN;
    values.set(share.name, out);
  }

  // An indicator: 100 for a yes answer, 0 for another.
  for (const { outcome, name, codes } of c.indicators) {
    const yes = yesCodes(outcome);
    const out = missing(n);
    for (let k = 0; k < n; k++) {
      const code = codes[rows[k]!]!;
      if (code === NOT_ASKED_CODE) continue;
      outcomes.add(outcome.name);
      if (code < 0) continue;
      if (code < outcome.min || code > outcome.max) fail(invalid(outcome), name, rows[k]!, code);
      out[k] = yes[code] ? 100 : 0;
    }
    values.set(outcome.name, out);
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
  return { outcomes: values, nudge, predictors, asked: { outcomes, nudge: nudgeAsked } };
}

/** A column of n missing codes. */
const missing = (n: number) => new Int8Array(n).fill(-1);

/** Yes flags by code, looked up per answer. */
function yesCodes(o: VocabularyOutcome): Uint8Array {
  const flags = new Uint8Array(o.max + 1);
  for (const code of o.yes) flags[code] = 1;
  return flags;
}

const invalid = (s: VocabularyOutcome) => `expected a code ${s.min}-${s.max}, "dont_know" or null`;
