/**
 * The types the study's names travel as, and the rules that hold whatever the study says: how a
 * don't-know is written, what an item ID looks like, what counts as "at least a few hours a month".
 * The names themselves (areas, themes, questions, sub-items, scales, arms) are the study's, in
 * raw/study.json, read by lib/survey/study.ts.
 */

/** An area's name as raw/study.json gives it. */
export type Area = string;
export type Theme = string;
/** A theme field: the group item, a time item or a predictor. */
export type ThemeField = string;
export type SubItem = string;
/** A respondent-level field: respondent_id, a demographic, nudge. */
export type RespondentField = string;
/** An arm of the experiment, as raw/study.json names it. */
export type Nudge = string;
export type ScaleName = string;

/** The only missing reason that is an answer; a blank cell is `null`. */
export const DONT_KNOW = 'dont_know';

/** One coded answer: a code, a don't-know, or a blank. */
export type Code = number | typeof DONT_KNOW | null;

/** Respondent IDs, activity item IDs: short, stable, safe in file names and JSON keys. */
export const ITEM_ID_PATTERN = /^[a-z][a-z0-9_]*$/;
