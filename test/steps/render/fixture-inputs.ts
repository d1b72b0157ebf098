/** The tiny literal fixtures beside this file as render's inputs, with hashes as the runner gives them. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PANEL_SCRIPT } from '../../../lib/report/cell-panel.js';
import { artifact, type Artifact, type StepInputs, type StepOutputs } from '../../../contract/step.js';
import { studyArtifact } from '../../study.js';

const here = new URL('./fixtures/', import.meta.url);
const root = new URL('../../../', import.meta.url);
export const fixture = (name: string) => readFileSync(new URL(name, here), 'utf8');
export const publishedText = readFileSync(new URL('raw/published-tables.json', root), 'utf8');
export const referencesText = readFileSync(new URL('raw/references.bib', root), 'utf8');
export const sha = (text: string) => createHash('sha256').update(text).digest('hex');
export const art = (path: string, text: string): Artifact => artifact(path, text, sha(text));

/** One export's entry of a cleaning log (schemas/cleaning-log.schema.json), without per-column detail. */
export const cleaningLogFile = (wave: number, area: string, rows: number, synthetic = true) =>
  ({ wave, area, codebook: `raw/codebooks/${area.toLowerCase().replace(/ /g, '-')}.json`, synthetic, format: 'csv', bom_stripped: false, raw_rows: rows, records: rows, quarantined: 0, changed_questions: [], columns: {} });

export const cleaningLog = (synthetic: boolean) =>
  JSON.stringify({
    synthetic,
    files: {
      'raw/2014/barnet.csv': cleaningLogFile(2014, 'Barnet', 42, synthetic),
      'raw/2014/bristol.csv': cleaningLogFile(2014, 'Bristol', 91, synthetic),
    },
  });

export const validationReport = (synthetic: boolean) =>
  JSON.stringify({
    synthetic,
    max_reject_rate: 0.05,
    files: {
      'raw/2014/barnet.csv': { raw_rows: 42, valid: 40, rejected: 2, rejected_by_clean: 1, rejected_by_schema: 1, rejected_duplicate_id: 0, reject_rate: 0.048, balanced: true },
      'raw/2014/bristol.csv': { raw_rows: 91, valid: 90, rejected: 1, rejected_by_clean: 0, rejected_by_schema: 1, rejected_duplicate_id: 0, reject_rate: 0.011, balanced: true },
    },
    totals: { raw_rows: 133, valid: 130, rejected: 3 },
  });

export function provenanceRecord(step: string, outputs: Record<string, string>) {
  return JSON.stringify({
    step,
    key: sha(`key:${step}`),
    module: `steps/${step}.ts`,
    codeHash: sha(`code:${step}`),
    code: { [`steps/${step}.ts`]: sha(`source:${step}`) },
    dependencies: { 'csv-parse': '7.0.3' },
    runtime: { node: '20' },
    params: null,
    inputs: { records: [{ path: 'clean:records.ndjson', hash: sha(`in:${step}`), bytes: 99 }] },
    lineage: {},
    outputs: Object.entries(outputs).map(([name, text]) => ({ name, hash: sha(text), bytes: text.length, rows: null })),
  });
}

export interface FixtureOptions {
  synthetic?: boolean;
  replace?: Partial<Record<'table2' | 'timeItems' | 'table3' | 'table4' | 'table5', string>>;
}

export function fixtureInputs(options: FixtureOptions = {}): StepInputs {
  const synthetic = options.synthetic ?? true;
  const csv = {
    table2: fixture('table2.csv'),
    timeItems: fixture('time-items.csv'),
    table3: fixture('table3.csv'),
    table4: fixture('table4.csv'),
    table5: fixture('table5.csv'),
    ...options.replace,
  };
  return {
    table2: [art('index:table2.csv', csv.table2)],
    timeItems: [art('index:time-items.csv', csv.timeItems)],
    table3: [art('correlate:table3.csv', csv.table3)],
    table4: [art('correlate:table4.csv', csv.table4)],
    table5: [art('nudge-regress:table5.csv', csv.table5)],
    published: [art('raw/published-tables.json', publishedText)],
    references: [art('raw/references.bib', referencesText)],
    lockfile: [art('package-lock.json', '{"lockfileVersion": 3}\n')],
    study: [studyArtifact()],
    cleaning: [art('clean:cleaning-log.json', cleaningLog(synthetic))],
    validation: [art('validate:validation-report.json', validationReport(synthetic))],
    provenance: [
      art('clean:provenance.json', provenanceRecord('clean', { 'cleaning-log.json': cleaningLog(synthetic) })),
      art('index:provenance.json', provenanceRecord('index', { 'table2.csv': csv.table2, 'time-items.csv': csv.timeItems })),
      art('correlate:provenance.json', provenanceRecord('correlate', { 'table3.csv': csv.table3, 'table4.csv': csv.table4 })),
    ],
  };
}

/** An output's content as text. */
export function text(out: StepOutputs, name: string): string {
  const o = out[name];
  if (o === undefined) throw new Error(`no output "${name}"; outputs are ${Object.keys(out).join(', ')}`);
  const c = typeof o === 'object' && 'content' in o ? o.content : o;
  return typeof c === 'string' ? c : new TextDecoder().decode(c);
}

/**
 * paper.html without its two allowed script elements (the lineage record, a JSON data block whose "<"
 * are escaped, and the constant panel script), so tests can insist that nothing else is a script.
 */
export const withoutPanelScripts = (html: string) =>
  html.replace(/<script type="application\/json" id="cell-lineage">[^<]*<\/script>/, '').replace(`<script>${PANEL_SCRIPT}</script>`, '');
