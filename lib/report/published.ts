/**
 * The transcription of the paper's tables (raw/published-tables.json) as types. Its schema is
 * schemas/published-tables.schema.json; the runner hands the file over as it is, so the fields render
 * reads are checked here before use.
 */
import { DataError, type Artifact } from '../../contract/step.js';

export interface PublishedSource {
  authors: string[];
  year: number;
  title: string;
  journal: string;
  volume: number;
  issue: number;
  pages: string;
  doi: string;
}

export interface PublishedArea {
  area: string;
  authority: string;
  country: string;
  population: number;
  population_year: number;
  respondents: number;
  area_type: string;
  authority_tier: string;
  themes: string[];
  nudges_tested: boolean;
  note_ids: string[];
}

export interface PublishedLevel {
  area: string;
  theme: string;
  individual_pct: number;
  collective_pct: number;
  willing_pct: number | null;
  printed_heading: string;
  note_ids: string[];
}

export interface PublishedCorrelation {
  table: 3 | 4;
  area: string;
  theme: string;
  predictor: string;
  item: string;
  r: number;
  printed: string;
  stars: string;
  star_check: 'consistent' | 'borderline' | 'inconsistent';
  target_r: number;
  suspect: boolean;
  note_ids: string[];
}

export interface PublishedNudge {
  area: string;
  theme: string;
  item: string;
  term: string;
  outcome: string;
  coef: number;
  printed: string;
  stars: string;
  printed_term?: string;
  suspect: boolean;
  note_ids: string[];
}

export interface CellRef {
  table: number;
  area?: string;
  theme?: string;
  predictor?: string;
  item?: string;
  term?: string;
  outcome?: string;
  column?: string;
  field?: string;
}

export interface PublishedClaim {
  id: string;
  section: string;
  says: string;
  values: Array<{ label: string; value: number }>;
  checkable: boolean;
  agrees: boolean | null;
  checks: Array<{ ref: CellRef; expected: number | boolean }>;
  comparisons?: Array<{ greater: CellRef; lesser: CellRef }>;
  counts?: Array<{ table: 3 | 4; predictor: string; direction: 'positive' | 'negative' | 'any'; expected: number; out_of: number | null }>;
  nudge_counts?: Array<{ outcome: 'individual' | 'collective' | 'any'; significant: number; total: number | null }>;
  significant_cells?: CellRef[];
  note_ids: string[];
}

export interface PublishedNote {
  id: string;
  kind: string;
  concerns: Array<CellRef | { claim: string } | { table_note: number }>;
  reasoning: string;
  recommendation: string;
}

export interface PublishedTables {
  source: PublishedSource;
  significance: { critical_r: Array<{ area: string; n: number; p05: number; p01: number; p001: number }> };
  table1: { rows: PublishedArea[] };
  table2: { rows: PublishedLevel[] };
  correlations: { entries: PublishedCorrelation[]; not_asked: Array<{ table: 3 | 4; area: string; theme: string; predictor: string }> };
  table5: { term_labels: Record<string, string>; entries: PublishedNudge[] };
  claims: PublishedClaim[];
  notes: PublishedNote[];
}

export function readPublished(art: Artifact): PublishedTables {
  const doc = art.json<PublishedTables>();
  for (const key of ['source', 'significance', 'table1', 'table2', 'correlations', 'table5', 'claims', 'notes'] as const)
    if (!doc || typeof doc !== 'object' || !(key in doc))
      throw new DataError(`published tables lack "${key}" (see schemas/published-tables.schema.json)`, { file: art.path, path: `/${key}` });
  return doc;
}
