/**
 * clean + validate throughput and memory at 1,000,000 respondents (wave 2013, areas in the paper's proportions).
 *
 *   node --import tsx bench/clean-validate.ts [respondents]
 *
 * The panel is generated once under bench/.tmp/panel-<n>/ and reused. Each of three runs is its own
 * process (so one run's garbage cannot inflate the next one's peak): it reads the exports, runs clean then
 * validate in-process, handing clean's outputs over through files as the runner does (the writing and
 * reading between the steps is not timed), and reports the time of the two steps, their CPU time and the
 * peak RSS. Prints the median run. On a shared machine wall times swing with other load; CPU time swings
 * less. No assertions: the figures go into the report.
 *
 * The steps run as `npm run pipeline` runs them: the compiled JavaScript in derived/.build (built first
 * with `npm run build`).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StepOutputs } from '../contract/step.js';
import { largePanel, panelDir } from './_fixtures.js';
import { buildPipeline, builtModule } from './measure.js';

const respondents = Number(process.argv[2] ?? 1_000_000);
const childRun = process.argv[3] === '--run-once';
const root = new URL('..', import.meta.url).pathname;
const panel = panelDir(respondents);
// Loaded in the measured child only, after the parent has built them.
const { artifact, outputBytes } = childRun ? await builtModule<typeof import('../contract/step.js')>('contract/step.js') : ({} as never);
const { fileArtifact } = childRun ? await builtModule<typeof import('../runner/input-file.js')>('runner/input-file.js') : ({} as never);
const { default: clean } = childRun ? await builtModule<typeof import('../steps/clean.js')>('steps/clean.js') : ({} as never);
const { default: validate } = childRun ? await builtModule<typeof import('../steps/validate.js')>('steps/validate.js') : ({} as never);

const content = (o: StepOutputs[string] | undefined): Uint8Array => outputBytes(o!);

/** Writes a step's outputs into `dir`, one file each. */
function writeOutputs(outputs: StepOutputs, dir: string): void {
  for (const [name, o] of Object.entries(outputs)) writeFileSync(join(dir, name), content(o));
}

interface Run {
  rows: number;
  seconds: number;
  cleanSeconds: number;
  cpuSeconds: number;
  cleanCpuSeconds: number;
  peakMB: number;
}

async function runOnce(): Promise<Run> {
  // clean's exports read whole, as the runner hands them over, before the clock starts.
  const read = (rel: string) => {
    const input = fileArtifact(rel, join(panel, rel));
    void input.bytes;
    return input;
  };
  const exports = readdirSync(join(panel, 'raw/2013')).sort().map((f) => read(`raw/2013/${f}`));
  const codebooks = readdirSync(join(panel, 'raw/codebooks')).sort().map((f) => read(`raw/codebooks/${f}`));
  const study = [artifact('raw/study.json', readFileSync(join(root, 'raw/study.json')))];
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  const handover = join(root, 'bench/.tmp', `handover-${process.pid}`);
  mkdirSync(handover, { recursive: true });
  const t0 = performance.now();
  const c0 = cpu();
  let cleaned: StepOutputs | undefined = await clean({ exports, codebooks, study }, {});
  const t1 = performance.now();
  const c1 = cpu();
  writeOutputs(cleaned, handover);
  cleaned = undefined;
  exports.length = 0;
  (globalThis as { gc?: () => void }).gc?.();
  const back = (name: string) => {
    const input = fileArtifact(`clean:${name}`, join(handover, name));
    void input.bytes;
    return input;
  };
  const inputs = { records: [back('records.arrow')], quarantine: [back('quarantine.ndjson')], log: [back('cleaning-log.json')], study };
  const t2 = performance.now();
  const c2 = cpu();
  const out = validate(inputs, { maxRejectRate: 0.02 });
  const t3 = performance.now();
  const c3 = cpu();
  const report = JSON.parse(new TextDecoder().decode(content(out['validation-report.json'])));
  rmSync(handover, { recursive: true });
  return { rows: report.totals.raw_rows, seconds: (t1 - t0 + t3 - t2) / 1000, cleanSeconds: (t1 - t0) / 1000, cpuSeconds: c1 - c0 + c3 - c2, cleanCpuSeconds: c1 - c0, peakMB: process.resourceUsage().maxRSS / 1024 };
}

if (childRun) {
  console.log(JSON.stringify(await runOnce()));
} else {
  await largePanel(respondents);
  buildPipeline();
  const self = new URL(import.meta.url).pathname;
  const runs: Run[] = [1, 2, 3].map(() => JSON.parse(execFileSync(process.execPath, [...process.execArgv, '--expose-gc', self, String(respondents), '--run-once'], { encoding: 'utf8' }).trim().split('\n').pop()!));
  runs.sort((a, b) => a.seconds - b.seconds);
  const median = runs[1]!;
  console.log(`clean+validate, ${median.rows.toLocaleString('en')} raw rows (${respondents.toLocaleString('en')} respondents, wave 2013)`);
  console.log(`  runs (s):        ${runs.map((r) => r.seconds.toFixed(2)).join(', ')}`);
  console.log(`  median:          ${median.seconds.toFixed(2)} s (clean ${median.cleanSeconds.toFixed(2)} s, validate ${(median.seconds - median.cleanSeconds).toFixed(2)} s)`);
  console.log(`  CPU (s):         ${median.cpuSeconds.toFixed(2)} (clean ${median.cleanCpuSeconds.toFixed(2)}, validate ${(median.cpuSeconds - median.cleanCpuSeconds).toFixed(2)}) in the median run`);
  console.log(`  throughput:      ${Math.round(median.rows / median.seconds).toLocaleString('en')} rows/s`);
  console.log(`  peak RSS (MiB):  ${runs.map((r) => r.peakMB.toFixed(0)).join(', ')} (median run ${median.peakMB.toFixed(0)})`);
}
