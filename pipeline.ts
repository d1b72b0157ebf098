/**
 * The pipeline, declared as data. The runner (runner/) reads this file, works out what is stale,
 * and runs only that; each step is a pure function in steps/.
 *
 *   raw/<wave>/<area>.csv ─┐
 *   raw/codebooks/*.json ──┴─ clean ─ validate ─→ valid records (rejects quarantined with reasons)
 *
 * Steps still to come wire in below validate: index ─ correlate / nudge-regress ─ render → reports/.
 * `npm run pipeline -- dag` prints this graph from the declaration itself.
 */
import { definePipeline, output, raw, step } from './runner/dag.js';

export default definePipeline([
  step('clean', {
    description: 'harmonise every council export into canonical respondent records, driven by the codebooks',
    module: 'steps/clean.ts',
    inputs: { exports: raw('raw/*/*.csv'), codebooks: raw('raw/codebooks/*.json') },
  }),
  step('validate', {
    description: 'check every record against schemas/record.schema.json; quarantine rejects with their reasons',
    module: 'steps/validate.ts',
    inputs: {
      records: output('clean', 'records.ndjson'),
      quarantine: output('clean', 'quarantine.ndjson'),
      log: output('clean', 'cleaning-log.json'),
      schema: raw('schemas/record.schema.json'),
    },
    params: { maxRejectRate: 0.02 },
  }),
]);
