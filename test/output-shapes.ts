/**
 * Every output of a pipeline run that another step reads, checked by the reader that step uses: what
 * the schemas in schemas/ say and what the steps write must agree on real data, not only on the
 * tiny literals of the step tests.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../contract/step.js';
import { fileArtifact } from '../runner/input-file.js';
import { provenanceRecord } from '../runner/resolve.js';
import { readProvenanceRecord } from '../lib/table/provenance-record.js';
import { artifact, type Artifact } from '../contract/step.js';
import rejectedSchema from '../schemas/rejected-entry.schema.json' with { type: 'json' };
import { readCleaningLog } from '../lib/survey/cleaning-log.js';
import { readQuarantine } from '../lib/survey/record.js';
import { readValidationReport } from '../lib/survey/validation-report.js';
import { readExperimentInfo } from '../lib/table/experiment-tables.js';
import { readChecked, readCheckedLines } from '../lib/table/read-json.js';
import checkedStudySchema from '../schemas/checked-study.schema.json' with { type: 'json' };
import { readFigureBundle } from '../lib/report/figure-plans.js';
import { readCsv } from '../lib/table/csv-read.js';
import { TABLE3, TABLE3_R, TABLE4, TABLE4_R } from '../lib/table/correlation-tables.js';
import { BALANCE, ESTIMATES, POWER } from '../lib/table/experiment-tables.js';
import { TABLE2, TIME_ITEMS } from '../lib/table/level-tables.js';
import { TABLE5 } from '../lib/table/nudge-tables.js';
import { ATTRITION, CORRELATION_CHANGES, PAIRED, PANEL } from '../lib/table/panel-tables.js';
import type { TableContract } from '../lib/table/table-contract.js';
import { CORRELATIONS_WEIGHTED, EXPERIMENT_WEIGHTED, TABLE2_WEIGHTED, WEIGHTING, WEIGHTS } from '../lib/table/weight-tables.js';

/** By output file name, how a reader checks it. */
const CHECKS: Record<string, (art: Artifact) => unknown> = {
  'cleaning-log.json': readCleaningLog,
  'quarantine.ndjson': readQuarantine,
  'validation-report.json': readValidationReport,
  'rejected.ndjson': (art) => readCheckedLines(art, rejectedSchema),
  'experiment.json': readExperimentInfo,
  'figures.json': readFigureBundle,
  'study.json': (art) => readChecked(art, checkedStudySchema),
  'design.json': (art) => readChecked(art, checkedStudySchema),
  // What the runner hands a step as `<step>:provenance.json`, made from the entry's manifest.
  'manifest.json': (art) => readProvenanceRecord(artifact(art.path, provenanceRecord(art.json()))),
};
const TABLES: TableContract[] = [TABLE2, TIME_ITEMS, TABLE3, TABLE4, TABLE3_R, TABLE4_R, TABLE5, BALANCE, ESTIMATES, POWER, WEIGHTS, WEIGHTING, TABLE2_WEIGHTED, CORRELATIONS_WEIGHTED, EXPERIMENT_WEIGHTED, PANEL, PAIRED, CORRELATION_CHANGES, ATTRITION];
for (const contract of TABLES) CHECKS[contract.file] = (art) => checkCells(art, contract);

const CELL: Record<string, RegExp> = { integer: /^-?\d+$/, number: /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i, boolean: /^(true|false)$/, string: /^/ };

/** The header (as readers check it), and every non-empty cell of the type its column's contract gives. */
function checkCells(art: Artifact, contract: TableContract): void {
  const t = readCsv(art, contract);
  for (const row of t.rows)
    for (const col of contract.columns) {
      const cell = row.cells[col.name] ?? '';
      if (cell !== '' && !CELL[col.type]!.test(cell)) throw new DataError(`not a ${col.type}, as ${contract.schema} says`, { file: art.path, line: row.line, column: col.name, value: cell });
    }
}

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
