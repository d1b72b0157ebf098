/**
 * What validate writes beside the valid records: each rejected row with its reasons (rejects.ndjson) and
 * the per-export balance of raw rows, valid and rejected (validation-report.json), which the report and
 * the wave comparison read. Each shape is described in schemas/ and checked where it is read.
 */
import type { Artifact } from '../../contract/step.js';
import reportSchema from '../../schemas/validation-report.schema.json' with { type: 'json' };
import { readChecked } from '../table/read-json.js';

export interface Reason {
  /** Where in the record (JSON pointer into the record; "" is the whole record). */
  path: string;
  message: string;
  value?: unknown;
  /** Raw column, for rows clean quarantined. */
  column?: string;
}

export interface RejectedEntry {
  stage: 'clean' | 'validate';
  source: { file: string; line: number };
  wave: unknown;
  area: unknown;
  respondent_id: unknown;
  reasons: Reason[];
  record?: unknown;
}

export interface FileReport {
  raw_rows: number;
  valid: number;
  rejected: number;
  rejected_by_clean: number;
  rejected_by_schema: number;
  rejected_duplicate_id: number;
  reject_rate: number;
  /** `raw_rows = valid + rejected`, checked. */
  balanced: true;
}

export interface ValidationReport {
  synthetic: boolean;
  max_reject_rate: number;
  files: Record<string, FileReport>;
  totals: { raw_rows: number; valid: number; rejected: number };
}

/** A validation report validate wrote, checked against schemas/validation-report.schema.json. */
export const readValidationReport = (art: Artifact): ValidationReport => readChecked<ValidationReport>(art, reportSchema);
