/**
 * The project's corpus of inputs as ordinary tools write them: one small export and codebook, and the
 * ways spreadsheet programs, statistics packages and shared drives change them. Each variant either
 * means the same as the clean export (and must give the same records) or must fail naming file, line
 * and cause.
 */
import { artifact, outputBytes, readOutputs, type StepOutputs } from '../../../contract/step.js';
import clean from '../../../steps/clean.js';
import type { CleaningLog } from '../../../lib/survey/cleaning-log.js';
import { studyArtifact } from '../../study.js';
import { readRecords, recordOf } from '../../../lib/survey/records-table.js';

export const codebook = {
  area: 'Swansea',
  synthetic: true,
  dont_know: ["don't know", 'dk'],
  label_sets: { freq: { often: 1, sometimes: 2, never: 3 } },
  columns: {
    ID: { variable: 'respondent_id' },
    Q1: { variable: 'environment/activities/recycle', label_set: 'freq' },
    Q2: { variable: 'environment/join_groups', label_set: 'freq', on_unknown: 'quarantine' },
    Q3: { variable: 'environment/conditions', numeric: true, labels: { '9': 'dont_know' } },
  },
};

/** The clean export every variant is compared with: header, four respondents, Unix line ends. */
export const CLEAN_LINES = ['ID,Q1,Q2,Q3', 'S1,often,never,3', 'S2,never,sometimes,9', 'S3,sometimes,often,1', 'S4,often,often,2'];
export const CLEAN = CLEAN_LINES.join('\n') + '\n';

export const book = (b: object = codebook, path = 'raw/codebooks/swansea.json') => artifact(path, JSON.stringify(b));

/** clean on one export, every output read. */
export const cleanOne = async (content: string | Uint8Array, path = 'raw/2013/swansea.csv') =>
  readOutputs(await clean({ exports: [artifact(path, content)], codebooks: [book()], study: [studyArtifact()] }, {}));

const decode = (b: Uint8Array) => new TextDecoder().decode(b);
export const records = (out: Record<string, Uint8Array>) => {
  const t = readRecords(out['records.arrow']!, 'records.arrow');
  return Array.from({ length: t.rows }, (_, i) => recordOf(t, i));
};
export const quarantined = (out: Record<string, Uint8Array>) => decode(out['quarantine.ndjson']!).split('\n').filter(Boolean).map((l) => JSON.parse(l));
export const logOf = (out: Record<string, Uint8Array>) => JSON.parse(decode(out['cleaning-log.json']!)) as CleaningLog;
export type Outputs = StepOutputs;
export { outputBytes };
