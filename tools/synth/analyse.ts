/**
 * Runs exports through the pipeline's own steps in-process (clean → validate → index → correlate →
 * nudge-regress), handing them artifacts exactly as the runner would, and returns the tables as rows.
 * Calibration and the calibration test both read the replica through it, so what they judge is what
 * `npm run pipeline` computes.
 */
import { parse } from 'csv-parse/sync';
import { artifact, outputBytes, readOutputs, type Artifact, type StepOutputs } from '../../contract/step.js';
import clean from '../../steps/clean.js';
import validate from '../../steps/validate.js';
import index from '../../steps/index.js';
import correlate from '../../steps/correlate.js';
import nudgeRegress from '../../steps/nudge-regress.js';
import { studyArtifact } from './study.js';

export type Row = Record<string, string>;

export interface AnalysedTables {
  table2: Row[];
  timeItems: Row[];
  table3: Row[];
  table4: Row[];
  table5: Row[];
}

/** The pipeline's validate parameter (pipeline.ts). */
const MAX_REJECT_RATE = 0.02;

function output(out: StepOutputs, name: string): string | Uint8Array {
  const o = out[name];
  if (o === undefined) throw new Error(`step output ${name} is missing`);
  return typeof o === 'object' && 'content' in o ? o.content : o;
}

const rows = (content: string | Uint8Array): Row[] =>
  parse(typeof content === 'string' ? content : new TextDecoder().decode(content), { columns: true, skip_empty_lines: true }) as Row[];

/** `exports` are raw/<wave>/<area>.csv artifacts, `codebooks` raw/codebooks/*.json artifacts. */
export async function analyse(exports: Artifact[], codebooks: Artifact[]): Promise<AnalysedTables> {
  const study = [studyArtifact];
  const cleaned = readOutputs(await clean({ exports, codebooks, study }, {}));
  const from = (step: string, out: StepOutputs, name: string) => {
    const o = out[name];
    if (o === undefined) throw new Error(`step output ${name} is missing`);
    return artifact(`${step}:${name}`, outputBytes(o));
  };
  const validated = validate(
    {
      records: [from('clean', cleaned, 'records.arrow')],
      quarantine: [from('clean', cleaned, 'quarantine.ndjson')],
      log: [from('clean', cleaned, 'cleaning-log.json')],
      study,
    },
    { maxRejectRate: MAX_REJECT_RATE },
  );
  const indexed = await index({ records: [from('validate', validated, 'valid.arrow')], study }, {});
  const scores = [from('index', indexed, 'scores.arrow')];
  const correlated = await correlate({ scores }, { method: 'pearson' });
  const regressed = await nudgeRegress({ scores }, {});
  return {
    table2: rows(output(indexed, 'table2.csv')),
    timeItems: rows(output(indexed, 'time-items.csv')),
    table3: rows(output(correlated, 'table3.csv')),
    table4: rows(output(correlated, 'table4.csv')),
    table5: rows(output(regressed, 'table5.csv')),
  };
}
