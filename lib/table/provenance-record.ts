/**
 * What the runner hands a step that declares another step's provenance as an input (`<step>:provenance.json`):
 * the record of that step's entry, checked against schemas/provenance-record.schema.json where it is read.
 */
import type { Artifact } from '../../contract/step.js';
import schema from '../../schemas/provenance-record.schema.json' with { type: 'json' };
import { readChecked } from './read-json.js';

export interface ProvenanceRecord {
  step: string;
  key: string;
  module: string;
  codeHash: string;
  code: Record<string, string>;
  dependencies: Record<string, string>;
  runtime: Record<string, string>;
  params: unknown;
  /** Parameters set on the command line for the run that made this entry, where they differ from pipeline.ts. */
  overrides?: Record<string, unknown>;
  inputs: Record<string, Array<{ path: string; hash: string; bytes: number }>>;
  lineage: Record<string, string>;
  outputs: Array<{ name: string; hash: string; bytes: number; rows: number | null }>;
}

export const readProvenanceRecord = (art: Artifact): ProvenanceRecord => readChecked<ProvenanceRecord>(art, schema);
