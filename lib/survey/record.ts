/**
 * The canonical respondent record: one respondent in one wave, as a row of the records table
 * (records-table.ts `recordOf`) reads when it is checked against the record schema generated from the study
 * (record-schema.ts) and shown in
 * rejected.ndjson. Variables an area did not ask are absent; a blank answer is `null`; a don't-know of any
 * spelling is `"dont_know"`.
 */
import type { Artifact } from '../../contract/step.js';
import quarantineSchema from '../../schemas/quarantine-entry.schema.json' with { type: 'json' };
import { readCheckedLines } from '../table/read-json.js';
import type { Area, Code, Nudge, SubItem, Theme } from './vocabulary.js';

/** A predictor asked once (a code) or once per sub-item (an object keyed by sub-item label). */
export type Predictor = Code | Partial<Record<SubItem, Code>>;

export interface ThemeRecord {
  /** Individual co-production items by item ID: 1 often, 2 sometimes, 3 never. */
  activities?: Record<string, Code>;
  /** "Join in groups with others": 1 often, 2 sometimes, 3 never. */
  join_groups?: Code;
  /** Time willing to spend working with others, 1 none .. 4 a few hours a week. */
  willing_time?: Code;
  /** Barnet only: time spent now, same scale as willing_time. */
  current_time?: Code;
  /** Barnet only: MORE time willing to spend, same scale. */
  more_time?: Code;
  conditions?: Predictor;
  satisfaction_response?: Predictor;
  satisfaction_information?: Predictor;
  satisfaction_consultation?: Predictor;
  self_efficacy?: Predictor;
}

export interface SourceRef {
  /** Raw export the row came from, relative to the project: `raw/2013/barnet.csv`. */
  file: string;
  /** 1-based line of the data row in that file; the header is line 1. */
  line: number;
}

export interface CanonicalRecord {
  wave: number;
  area: Area;
  /** Persistent across waves; `null` when the cell was blank (validate rejects it). */
  respondent_id: string | null;
  source: SourceRef;
  /** 0 female, 1 male. */
  gender?: Code;
  /** 1 = 18-24 .. 6 = 65+. */
  age_band?: Code;
  /** 0 white, 1 minority ethnic. */
  ethnicity?: Code;
  nudge?: Nudge | null;
  themes: Partial<Record<Theme, ThemeRecord>>;
}

/** A row clean set aside instead of turning into a record (never silently dropped). */
export interface QuarantineEntry {
  wave: number;
  area: Area;
  respondent_id: string | null;
  source: SourceRef;
  reason: string;
  column: string;
  value: string;
}

/** quarantine.ndjson as clean wrote it, each line checked against schemas/quarantine-entry.schema.json. */
export const readQuarantine = (art: Artifact) => readCheckedLines<QuarantineEntry>(art, quarantineSchema);
