/**
 * index + correlate + nudge-regress at scale: wall time per step and peak RSS, at 100,000 and 1,000,000
 * respondents (wave 2013, areas in the paper's proportions, the study design of lib/survey/design.ts).
 *
 *   node --import tsx bench/analysis.ts [respondents,…] [runs]      e.g. bench/analysis.ts 100000 3
 *
 * The input, one valid.arrow records table per area, is generated once per size under
 * bench/.tmp/analysis-<n>/ from a small seeded latent model of its own (canonical records written
 * directly, so the figures do not depend on clean and validate), then reused. Each run is a fresh child
 * process that reads the files, as the runner would, and calls the three steps in turn; the median of the
 * runs is printed with the largest peak RSS. No assertions: the figures go into the report.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import mt19937 from '@stdlib/random-base-mt19937';
import { artifact as rawArtifact, type OutputFile, type StepInputs, type StepOutputs } from '../contract/step.js';
import { DESIGN } from '../tools/synth/design.js';
import type { CanonicalRecord, ThemeRecord } from '../lib/survey/record.js';
import { tableOfRecords, writeRecords } from '../lib/survey/records-table.js';
import { type Code } from '../lib/survey/vocabulary.js';
import { AREA_SLUGS, NUDGES } from '../tools/synth/study.js';
import { buildPipeline, builtModule, median } from './measure.js';
import { loadStudy } from '../lib/survey/study.js';

const study = loadStudy(rawArtifact('raw/study.json', readFileSync(new URL('../raw/study.json', import.meta.url), 'utf8')));

const root = new URL('..', import.meta.url).pathname;
// The steps as `npm run pipeline` runs them (compiled by the driver first), loaded in the measured child only.
const isChild = process.argv[2] === '--child';
const { fileArtifact } = isChild ? await builtModule<typeof import('../runner/input-file.js')>('runner/input-file.js') : ({} as never);
const { artifact } = isChild ? await builtModule<typeof import('../contract/step.js')>('contract/step.js') : ({} as never);
const { default: index } = isChild ? await builtModule<typeof import('../steps/index.js')>('steps/index.js') : ({} as never);
const { default: correlate } = isChild ? await builtModule<typeof import('../steps/correlate.js')>('steps/correlate.js') : ({} as never);
const { default: nudgeRegress } = isChild ? await builtModule<typeof import('../steps/nudge-regress.js')>('steps/nudge-regress.js') : ({} as never);
const inputDir = (n: number) => join(root, 'bench/.tmp', `analysis-${n}`);

// ---- the input: canonical records from a seeded latent model -------------------------------------

function generate(n: number, dir: string): void {
  const rand = mt19937.factory({ seed: 20131101 });
  const uniform = () => rand() / 4294967296;
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  /** An answer code on min..max from a latent, with some don't know and blanks. */
  const coded = (z: number, min: number, max: number): Code => {
    const u = uniform();
    if (u < 0.03) return 'dont_know';
    if (u < 0.05) return null;
    const c = Math.round((min + max) / 2 + z * (max - min) / 4);
    return Math.min(max, Math.max(min, c));
  };
  const total = DESIGN.reduce((s, d) => s + d.respondents, 0);
  const tmp = `${dir}.partial`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  for (const design of DESIGN) {
    const records: CanonicalRecord[] = [];
    const count = Math.round((n * design.respondents) / total);
    const slug = AREA_SLUGS[design.area];
    for (let i = 0; i < count; i++) {
      const efficacy = normal();
      const record: CanonicalRecord = {
        wave: 2013,
        area: design.area,
        respondent_id: `${slug}-${String(i + 1).padStart(7, '0')}`,
        source: { file: `raw/2013/${slug}.csv`, line: i + 2 },
        themes: {},
      };
      if (design.demographics.includes('gender')) record.gender = coded(normal() * 2, 0, 1);
      if (design.demographics.includes('age_band')) record.age_band = coded(normal(), 1, 6);
      if (design.demographics.includes('ethnicity')) record.ethnicity = uniform() < 0.15 ? 1 : 0;
      const nudge = design.nudge ? NUDGES[Math.floor(uniform() * 4)]! : undefined;
      if (nudge) record.nudge = nudge;
      for (const t of design.themes) {
        const lift = nudge === 'A' || nudge === 'both' ? 0.1 : 0;
        const individual = 0.4 * efficacy + normal() + lift;
        const collective = 0.5 * efficacy + normal() + lift;
        const theme: ThemeRecord = { activities: {} };
        for (let k = 1; k <= 5; k++) theme.activities![`activity_${k}`] = coded(-(individual + normal()) / 1.5, 1, 3);
        theme.join_groups = coded(-collective, 1, 3);
        if (t.time === 'willing') theme.willing_time = coded(collective, 1, 4);
        else {
          theme.current_time = coded(collective, 1, 4);
          theme.more_time = coded(normal(), 1, 4);
        }
        for (const [field, subs] of Object.entries(t.predictors)) {
          const scale = field === 'self_efficacy' ? 4 : 5;
          const latent = () => (field === 'self_efficacy' ? efficacy : 0.2 * efficacy) + normal();
          (theme as Record<string, unknown>)[field] =
            subs.length === 0 ? coded(latent(), 1, scale) : Object.fromEntries(subs.map((s) => [s, coded(latent(), 1, scale)]));
        }
        record.themes[t.theme] = theme;
      }
      records.push(record);
    }
    writeFileSync(join(tmp, `${slug}.arrow`), writeRecords(tableOfRecords(records, study)));
  }
  renameSync(tmp, dir);
}

// ---- one measured run (in a child process) -------------------------------------------------------

const content = (o: StepOutputs[string]): string | Uint8Array => (typeof o === 'object' && 'content' in o ? (o as OutputFile).content : (o as string | Uint8Array));

async function measure(n: number): Promise<void> {
  const t0 = performance.now();
  // As the runner hands them over: one valid.arrow per export, read from disk.
  const files = readdirSync(inputDir(n)).sort();
  const records: StepInputs = { records: files.map((f) => fileArtifact(`validate[2013,${f.replace('.arrow', '')}]:valid.arrow`, join(inputDir(n), f))), study: [fileArtifact('raw/study.json', new URL('../raw/study.json', import.meta.url).pathname)] };
  for (const r of records.records!) void r.bytes;
  const inputMb = files.reduce((s, f) => s + statSync(join(inputDir(n), f)).size, 0) / 1e6;
  const t1 = performance.now();
  const indexed = await index(records, {});
  const scores = { scores: [artifact('index:scores.arrow', content(indexed['scores.arrow']!))] };
  const t2 = performance.now();
  await correlate(scores, { method: 'pearson' });
  const t3 = performance.now();
  await nudgeRegress(scores, {});
  const t4 = performance.now();
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const scoresMb = scores.scores[0]!.bytes.length / 1e6;
  console.log(JSON.stringify({ read: t1 - t0, index: t2 - t1, correlate: t3 - t2, nudge: t4 - t3, total: t4 - t1, rssMb, inputMb, scoresMb }));
}

// ---- driver ------------------------------------------------------------------------------------

const [mode, arg] = process.argv.slice(2);
if (mode === '--child') {
  await measure(Number(arg));
} else {
  buildPipeline();
  const sizes = (mode ?? '100000,1000000').split(',').map(Number);
  const runs = Number(arg ?? 3);
  for (const n of sizes) {
    if (!existsSync(inputDir(n))) {
      const g0 = performance.now();
      generate(n, inputDir(n));
      console.log(`generated ${inputDir(n)} in ${((performance.now() - g0) / 1000).toFixed(1)} s`);
    }
    const results: Record<string, number>[] = [];
    for (let r = 0; r < runs; r++) {
      const child = spawnSync(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, '--child', String(n)], { encoding: 'utf8', maxBuffer: 1 << 24 });
      if (child.status !== 0) throw new Error(`run at ${n} failed: ${child.stderr}`);
      results.push(JSON.parse(child.stdout.trim().split('\n').at(-1)!));
    }
    const med = (k: string) => median(results.map((x) => x[k]!));
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(
      `${n.toLocaleString('en')} respondents (${med('inputMb').toFixed(0)} MB valid.arrow → ${med('scoresMb').toFixed(0)} MB scores.arrow), median of ${runs}: ` +
        `index ${s(med('index'))}, correlate ${s(med('correlate'))}, nudge-regress ${s(med('nudge'))}, total ${s(med('total'))} ` +
        `(+ reading the input ${s(med('read'))}); peak RSS ${Math.max(...results.map((x) => x.rssMb!)).toFixed(0)} MB (load average ${loadavg()[0]!.toFixed(1)})`,
    );
  }
}
