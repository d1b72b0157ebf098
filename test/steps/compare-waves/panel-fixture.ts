/**
 * Tiny literal waves for the panel tests: respondents' scores per area and theme written as the index
 * step writes scores.arrow (analysis/scores.ts), with the cleaning log, validation report and correlation
 * tables of the same wave, named as the runner names gathered artifacts (`index[2013]:scores.arrow`).
 */
import { createHash } from 'node:crypto';
import { artifact, type Artifact, type StepInputs, type StepOutputs } from '../../../contract/step.js';
import { compareGroups } from '../../../lib/survey/analysis-vocabulary.js';
import { vocabulary } from '../../study.js';
import { SCORES_FORMAT, writeScores, type Outcome, type ScoresColumns, type ScoresGroup } from '../../../lib/table/scores.js';
import { type Area, type Theme } from '../../../lib/survey/vocabulary.js';
import { AREA_SLUGS, AREAS, THEMES } from '../../../tools/synth/study.js';
import { EXACT_HEADER } from '../../../lib/table/correlation-tables.js';

export interface PanelRow {
  area: Area;
  theme: Theme;
  id: string;
  individual?: number | null;
  collective?: 0 | 100 | null;
  willing?: 0 | 100 | null;
  gender?: 0 | 1 | null;
  age?: number | null;
}

export interface Changed {
  area: Area;
  column: string;
  variable: string;
  changed_from_wave: number;
  note: string;
}

export interface WaveFixture {
  wave: number;
  rows: PanelRow[];
  /** Areas the study marks required (default none). */
  required?: string[];
  /** Areas with an export (default: the areas of the rows). */
  files?: Area[];
  changed?: Changed[];
  /** Codebook per area (default raw/codebooks/<slug>.json). */
  codebooks?: Partial<Record<Area, string>>;
  table3?: string;
  table4?: string;
  /** sha256 of each export, as clean's provenance record lists it. */
  rawHashes?: Partial<Record<Area, string>>;
}

/** table3-r.csv and table4-r.csv: what compare-waves reads of correlate. */
export const CORRELATION_HEADER = EXACT_HEADER.join(',');

export function scoresArrow(rows: readonly PanelRow[], wave: number, required: readonly string[] = []): Uint8Array {
  const keyed = new Map<string, { key: { wave: number; area: Area; theme: Theme }; rows: PanelRow[] }>();
  for (const r of rows) {
    const k = `${r.area}|${r.theme}`;
    if (!keyed.has(k)) keyed.set(k, { key: { wave, area: r.area, theme: r.theme }, rows: [] });
    keyed.get(k)!.rows.push(r);
  }
  const groups = [...keyed.values()].sort((a, b) => compareGroups(vocabulary)(a.key, b.key));
  const ordered = groups.flatMap((g) => g.rows);
  const demographics = (['gender', 'age'] as const).filter((d) => rows.some((r) => d in r));
  const variables = [...demographics].sort((a, b) => (a === 'gender' ? -1 : 1) - (b === 'gender' ? -1 : 1));
  let start = 0;
  const layoutGroups: ScoresGroup[] = groups.map((g) => {
    const outcomes = (['individual', 'collective', 'willing'] as Outcome[]).filter((o) => g.rows.some((r) => o in r));
    const group: ScoresGroup = { ...g.key, start, rows: g.rows.length, outcomes, nudge: false, variables: demographics.filter((d) => g.rows.some((r) => d in r)) };
    start += g.rows.length;
    return group;
  });
  const enc = new TextEncoder();
  const idBytes = ordered.map((r) => enc.encode(r.id));
  const offsets = new Int32Array(ordered.length + 1);
  idBytes.forEach((b, i) => (offsets[i + 1] = offsets[i]! + b.length));
  const bytes = new Uint8Array(offsets[ordered.length]!);
  idBytes.forEach((b, i) => bytes.set(b, offsets[i]!));
  const code = (v: number | null | undefined) => (v === null || v === undefined ? -1 : v);
  const columns: ScoresColumns = {
    wave: new Int32Array(ordered.length).fill(wave),
    area: Uint8Array.from(ordered.map((r) => AREAS.indexOf(r.area))),
    theme: Uint8Array.from(ordered.map((r) => THEMES.indexOf(r.theme))),
    respondentId: { bytes, offsets },
    outcomes: new Map(
      vocabulary.outcomes.map((o): [string, Float64Array | Int8Array] => [
        o.name,
        o.name === 'individual'
          ? Float64Array.from(ordered.map((r) => r.individual ?? NaN))
          : o.name === 'collective' || o.name === 'willing'
            ? Int8Array.from(ordered.map((r) => code(r[o.name as 'collective' | 'willing'])))
            : new Int8Array(ordered.length).fill(-1),
      ]),
    ),
    nudge: new Int8Array(ordered.length).fill(-1),
    variables: new Map(variables.map((v) => [v, Int8Array.from(ordered.map((r) => code(r[v as 'gender' | 'age'])))])),
  };
  return writeScores({ format: SCORES_FORMAT, min_activity_answers: 2, groups: layoutGroups, variables, vocabulary: { ...vocabulary, required: [...required] } }, columns);
}

const exportPath = (wave: number, area: Area) => `raw/${wave}/${AREA_SLUGS[area]}.csv`;

export function cleaningLog(w: WaveFixture): string {
  const areas = w.files ?? [...new Set(w.rows.map((r) => r.area))];
  const files: Record<string, object> = {};
  for (const area of [...areas].sort()) {
    const n = new Set(w.rows.filter((r) => r.area === area).map((r) => r.id)).size;
    files[exportPath(w.wave, area)] = {
      wave: w.wave,
      area,
      codebook: w.codebooks?.[area] ?? `raw/codebooks/${AREA_SLUGS[area]}.json`,
      synthetic: true,
      format: 'csv',
      bom_stripped: false,
      raw_rows: n,
      records: n,
      quarantined: 0,
      changed_questions: (w.changed ?? []).filter((c) => c.area === area).map(({ area: _a, ...c }) => c),
      columns: {},
    };
  }
  return JSON.stringify({ synthetic: true, files }, null, 2) + '\n';
}

export function validationReport(w: WaveFixture): string {
  const areas = w.files ?? [...new Set(w.rows.map((r) => r.area))];
  const files: Record<string, object> = {};
  for (const area of [...areas].sort()) {
    const n = new Set(w.rows.filter((r) => r.area === area).map((r) => r.id)).size;
    files[exportPath(w.wave, area)] = { raw_rows: n, valid: n, rejected: 0, rejected_by_clean: 0, rejected_by_schema: 0, rejected_duplicate_id: 0, reject_rate: 0, balanced: true };
  }
  return JSON.stringify({ synthetic: true, max_reject_rate: 0.02, files, totals: { raw_rows: 0, valid: 0, rejected: 0 } }) + '\n';
}

function provenance(w: WaveFixture): string {
  const exports = Object.entries(w.rawHashes ?? {}).map(([area, hash]) => ({ path: exportPath(w.wave, area as Area), hash, bytes: 1 }));
  const sha = (s: string) => createHash('sha256').update(s).digest('hex');
  return JSON.stringify({ step: `clean[${w.wave}]`, key: sha(`key${w.wave}`), module: 'steps/clean.ts', codeHash: sha('code'), code: {}, dependencies: {}, runtime: { node: '20' }, params: null, inputs: { exports }, lineage: {}, outputs: [] });
}

/** compare-waves's inputs for the waves, one artifact per wave in each list, in the order given. */
export function panelInputs(waves: readonly WaveFixture[], options: { provenance?: boolean } = {}): StepInputs {
  const inputs: Record<string, Artifact[]> = {
    scores: waves.map((w) => artifact(`index[${w.wave}]:scores.arrow`, scoresArrow(w.rows, w.wave, w.required))),
    tables3: waves.map((w) => artifact(`correlate[${w.wave}]:table3-r.csv`, w.table3 ?? `${CORRELATION_HEADER}\n`)),
    tables4: waves.map((w) => artifact(`correlate[${w.wave}]:table4-r.csv`, w.table4 ?? `${CORRELATION_HEADER}\n`)),
    cleaning: waves.map((w) => artifact(`clean[${w.wave}]:cleaning-log.json`, cleaningLog(w))),
    validation: waves.map((w) => artifact(`validate[${w.wave}]:validation-report.json`, validationReport(w))),
  };
  if (options.provenance) inputs.cleanProvenance = waves.map((w) => artifact(`clean[${w.wave}]:provenance.json`, provenance(w)));
  return inputs;
}

export function text(out: StepOutputs, name: string): string {
  const o = out[name];
  if (o === undefined) throw new Error(`no output "${name}"`);
  const c = typeof o === 'object' && 'content' in o ? o.content : o;
  return typeof c === 'string' ? c : new TextDecoder().decode(c);
}

/** Data lines as cells (the tests' values hold no quoted commas unless a test says so). */
export function csvRows(csv: string): string[][] {
  return csv.trimEnd().split('\n').slice(1).map((l) => l.split(','));
}
