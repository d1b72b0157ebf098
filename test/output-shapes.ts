/**
 * Every output of a pipeline run that another step reads, checked by the reader that step uses: what
 * the schemas in schemas/ say and what the steps write must agree on real data, not only on the
 * tiny literals of the step tests.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../contract/step.js';
import { fileArtifact } from '../runner/input-file.js';
import type { Artifact } from '../contract/step.js';
import rejectedSchema from '../schemas/rejected-entry.schema.json' with { type: 'json' };
import { readCleaningLog } from '../lib/survey/cleaning-log.js';
import { readQuarantine } from '../lib/survey/record.js';
import { readValidationReport } from '../lib/survey/validation-report.js';
import { readExperimentInfo } from '../lib/table/experiment-tables.js';
import { readCheckedLines } from '../lib/table/read-json.js';
import { readFigureBundle } from '../lib/report/figure-plans.js';

/** By output file name, how a reader checks it. */
const CHECKS: Record<string, (art: Artifact) => unknown> = {
  'cleaning-log.json': readCleaningLog,
  'quarantine.ndjson': readQuarantine,
  'validation-report.json': readValidationReport,
  'rejected.ndjson': (art) => readCheckedLines(art, rejectedSchema),
  'experiment.json': readExperimentInfo,
  'figures.json': readFigureBundle,
};

/** Each cache entry's outputs under `derived` that have a check: the names checked, and any that failed. */
export function checkOutputShapes(derived: string): { checked: string[]; errors: string[] } {
  const checked = new Set<string>();
  const errors: string[] = [];
  for (const step of readdirSync(derived).sort()) {
    const stepDir = join(derived, step);
    if (!statSync(stepDir).isDirectory()) continue;
    for (const key of readdirSync(stepDir).filter((k) => /^[0-9a-f]{64}$/.test(k)).sort()) {
      for (const name of readdirSync(join(stepDir, key)).sort()) {
        const check = CHECKS[name];
        if (!check) continue;
        checked.add(name);
        try {
          check(fileArtifact(`${step}:${name}`, join(stepDir, key, name)));
        } catch (e) {
          errors.push(`${step}/${key.slice(0, 12)}/${name}: ${e instanceof DataError ? e.describe() : String(e)}`);
        }
      }
    }
  }
  return { checked: [...checked].sort(), errors };
}

export const CHECKED_OUTPUTS = Object.keys(CHECKS).sort();
