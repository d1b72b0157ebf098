/**
 * Tiny canonical records for the analysis tests, and the steps chained on them in memory
 * (records → index → scores.arrow → correlate / nudge-regress), as the runner would.
 */
import { artifact, type StepOutputs } from '../../../contract/step.js';
import index, { type IndexParams } from '../../../steps/index.js';
import type { CanonicalRecord, ThemeRecord } from '../../../lib/survey/record.js';
import { tableOfRecords, writeRecords } from '../../../lib/survey/records-table.js';
import type { Area, Theme } from '../../../lib/survey/vocabulary.js';
import { study, studyArtifact } from '../../study.js';

let line = 2;

/** A record with the given themes; wave 2013 unless set, source lines counting up. */
export function record(area: Area, id: string, themes: Partial<Record<Theme, ThemeRecord>>, extra: Partial<CanonicalRecord> = {}): CanonicalRecord {
  return { wave: 2013, area, respondent_id: id, source: { file: `raw/2013/${area.toLowerCase()}.csv`, line: line++ }, themes, ...extra };
}

/** The records as validate's valid.arrow. */
export function arrow(records: readonly CanonicalRecord[]): Uint8Array {
  return writeRecords(tableOfRecords(records, study));
}

export function text(out: StepOutputs, name: string): string {
  const o = out[name];
  if (o === undefined) throw new Error(`no output "${name}"`);
  const c = typeof o === 'object' && 'content' in o ? o.content : o;
  return typeof c === 'string' ? c : new TextDecoder().decode(c);
}

export function bytes(out: StepOutputs, name: string): Uint8Array {
  const o = out[name]!;
  const c = typeof o === 'object' && 'content' in o ? o.content : o;
  return typeof c === 'string' ? new TextEncoder().encode(c) : c;
}

/** Runs index on the records. */
export async function indexed(records: readonly CanonicalRecord[], params: IndexParams = {}): Promise<StepOutputs> {
  return index({ records: [artifact('validate:valid.arrow', arrow(records))], study: [studyArtifact()] }, params);
}

/** The scores input of correlate / nudge-regress, built by running index on the records. */
export async function scoresInput(records: readonly CanonicalRecord[], params: IndexParams = {}) {
  return { scores: [artifact('index:scores.arrow', bytes(await indexed(records, params), 'scores.arrow'))] };
}

/** CSV text as rows of cells (the tests' CSVs hold no quoted commas unless a test says so). */
export function rows(csv: string): string[][] {
  return csv.trimEnd().split('\n').slice(1).map((l) => l.split(','));
}

/** Activity answers giving exactly `positive` of `answered` items often/sometimes. */
export function activities(positive: number, answered: number): Record<string, 1 | 3> {
  const out: Record<string, 1 | 3> = {};
  for (let i = 0; i < answered; i++) out[`item_${i}`] = i < positive ? 1 : 3;
  return out;
}
