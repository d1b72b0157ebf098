/**
 * Which questions cannot be compared between two waves, from the cleaning logs: a codebook marks a
 * column whose wording or coding differs from an earlier wave's (`changed_from_wave`), and clean copies
 * that into each file's `changed_questions`.
 *
 * Between waves A < B in one area a question is not comparable when
 *   - B's file lists it as changed from a wave at or after A (B no longer asks what A asked), or
 *   - A's file lists it as changed and B's file was read with another codebook (A asked a variant
 *     that B's codebook does not describe: a reworded question that was later reworded back, say).
 * Without a listing in either, or with the same codebook in both, the waves asked the same question.
 */
import type { CleaningLog, FileLog } from '../../lib/survey/cleaning-log.js';
import type { AnalysisVocabulary } from '../../lib/survey/analysis-vocabulary.js';

export interface QuestionChange {
  file: string;
  column: string;
  /** Codebook variable path: `environment/conditions`, `wellbeing/activities/x`, `gender`. */
  variable: string;
  changedFromWave: number;
  note: string;
}

function fileOf(log: CleaningLog, area: string): [string, FileLog] | undefined {
  return Object.entries(log.files).find(([, f]) => f.area === area);
}

/** Questions of `area` that are not comparable between the two waves' logs, by variable path. */
export function changedBetween(from: { wave: number; log: CleaningLog }, to: { wave: number; log: CleaningLog }, area: string): Map<string, QuestionChange> {
  const out = new Map<string, QuestionChange>();
  const a = fileOf(from.log, area);
  const b = fileOf(to.log, area);
  if (!a || !b) return out;
  const listed = ([file, f]: [string, FileLog]) =>
    (f.changed_questions ?? []).map((c) => ({ file, column: c.column, variable: c.variable, changedFromWave: c.changed_from_wave, note: c.note }));
  for (const c of listed(b)) if (c.changedFromWave >= from.wave) out.set(c.variable, c);
  if (a[1].codebook !== b[1].codebook) for (const c of listed(a)) if (!out.has(c.variable)) out.set(c.variable, c);
  return out;
}

/** The variable path a predictor column of a theme is read from (`conditions` + `crime` → `community safety/conditions/crime`). */
export function predictorVariable(vocabulary: AnalysisVocabulary, theme: string, predictor: string, item: string): string {
  const demographic = vocabulary.demographics.find((d) => d.predictor === predictor);
  if (demographic) return demographic.field;
  return item ? `${theme}/${predictor}/${item}` : `${theme}/${predictor}`;
}

/** The changes, among `changes`, to the questions an outcome of a theme is built from (the study says which). */
export function outcomeChanges(vocabulary: AnalysisVocabulary, changes: ReadonlyMap<string, QuestionChange>, theme: string, outcome: string): QuestionChange[] {
  const from = vocabulary.outcomes.find((o) => o.name === outcome)?.from;
  const prefix = from === 'activities' ? `${theme}/activities/` : null;
  const exact = from !== undefined && from !== 'activities' ? `${theme}/${from}` : null;
  return [...changes.values()].filter((c) => (prefix !== null && c.variable.startsWith(prefix)) || c.variable === exact).sort((x, y) => (x.variable < y.variable ? -1 : 1));
}

/** The text of the `note` column: which question changed, where, and what the codebook says of it. */
export function describeChanges(changes: readonly QuestionChange[]): string {
  return changes.map((c) => `question changed from wave ${c.changedFromWave}: ${c.file} column ${c.column} (${c.variable}). ${c.note}`.trim()).join(' | ');
}
