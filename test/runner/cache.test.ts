import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { arithmeticPipeline, arithmeticProject, statuses, type FixtureProject } from './fixture-project.js';

const test = suite<{ p: FixtureProject }>('cache');
test.before.each((ctx) => {
  ctx.p = arithmeticProject();
});
test.after.each((ctx) => ctx.p.remove());

const entryKeys = (p: FixtureProject, step: string) =>
  readdirSync(join(p.dir, 'derived', step)).filter((n) => /^[0-9a-f]{64}$/.test(n));

test('a run that finds everything cached loads no step module (no step library is imported)', async ({ p }) => {
  // In this thread (-j 1), where the test can count the step module's loads.
  p.write('steps/scale.ts', `(globalThis as any).scaleModuleLoads = ((globalThis as any).scaleModuleLoads ?? 0) + 1;\n` + p.read('steps/scale.ts'));
  (globalThis as any).scaleModuleLoads = 0;
  await p.cli('run', '-j', '1');
  assert.is((globalThis as any).scaleModuleLoads, 1);
  p.write('steps/scale.ts', p.read('steps/scale.ts') + '// same code, read afresh\n');
  await p.cli('run', '-j', '1', '--force=scale');
  assert.is((globalThis as any).scaleModuleLoads, 2);
  await p.cli('run', '-j', '1');
  assert.is((globalThis as any).scaleModuleLoads, 2, 'the cached run imported the step');
});

test('a first run runs every step, a second run serves every step from the cache', async ({ p }) => {
  const first = await p.cli('run');
  assert.is(first.code, 0);
  assert.equal(statuses(first.out), { sum: 'ran', scale: 'ran', describe: 'ran' });
  const second = await p.cli('run');
  assert.equal(statuses(second.out), { sum: 'cached', scale: 'cached', describe: 'cached' });
  assert.is(p.read('reports/report.md'), '# Result\n\nThe scaled total is 32.\n');
});

test('each entry carries a manifest with key components, input and output hashes, sizes, rows and duration', async ({ p }) => {
  await p.cli('run');
  const [key] = entryKeys(p, 'scale');
  const manifest = JSON.parse(p.read(`derived/scale/${key}/manifest.json`));
  assert.is(manifest.key, key);
  assert.equal(manifest.components.params, { factor: 2 });
  assert.equal(Object.keys(manifest.components.code), ['steps/scale.ts']);
  assert.equal(manifest.components.inputs.sum.map((i: any) => i.path), ['sum:sum.json']);
  assert.equal(manifest.outputs.map((o: any) => [o.name, o.bytes, o.rows]), [['scaled.csv', 9, 1]]);
  assert.ok(manifest.run.durationMs >= 0);
});

test('changing an input file re-runs the steps that depend on it', async ({ p }) => {
  await p.cli('run');
  p.write('raw/b.txt', '20\n');
  const r = await p.cli('run');
  assert.equal(statuses(r.out), { sum: 'ran', scale: 'ran', describe: 'ran' });
  assert.is(p.read('reports/report.md'), '# Result\n\nThe scaled total is 52.\n');
});

test('a new file matching a raw glob is an input change', async ({ p }) => {
  await p.cli('run');
  p.write('raw/c.txt', '0\n');
  const r = await p.cli('run');
  assert.is(statuses(r.out).sum, 'ran');
  assert.ok(r.out.some((l) => l.includes('input raw/c.txt is new')));
});

test('changing a parameter re-runs that step and its downstream, not its upstream', async ({ p }) => {
  await p.cli('run');
  p.write('pipeline.ts', arithmeticPipeline(3));
  const r = await p.cli('run');
  assert.equal(statuses(r.out), { sum: 'cached', scale: 'ran', describe: 'ran' });
  assert.ok(r.out.some((l) => l.includes('param factor changed: 2 → 3')));
  assert.is(p.read('reports/report.md'), '# Result\n\nThe scaled total is 48.\n');
});

test("changing a step's code re-runs it and, when its outputs change, its downstream", async ({ p }) => {
  await p.cli('run');
  p.write('steps/scale.ts', p.read('steps/scale.ts').replace('total * params.factor', '(total * params.factor + 1)'));
  const r = await p.cli('run');
  assert.equal(statuses(r.out), { sum: 'cached', scale: 'ran', describe: 'ran' });
  assert.ok(r.out.some((l) => l.includes('code changed: steps/scale.ts')));
  assert.is(p.read('reports/report.md'), '# Result\n\nThe scaled total is 33.\n');
});

test('changing a project file that a step imports re-runs that step', async ({ p }) => {
  await p.cli('run');
  p.write('steps/parse.ts', `export const parseNumbers = (text: string) => text.split('\\n').filter(Boolean).map((n) => Number(n) * 10);\n`);
  const r = await p.cli('run');
  // In one process Node keeps the imported module it already loaded, so only the decision is checked here.
  assert.is(statuses(r.out).sum, 'ran');
  assert.ok(r.out.some((l) => l.includes('code changed: steps/parse.ts')));
});

test('editing a file no step imports, or a raw file no glob matches, re-runs nothing', async ({ p }) => {
  await p.cli('run');
  p.write('steps/unused.ts', 'export const nothing = 1;\n');
  p.write('raw/unrelated.md', 'edited notes\n');
  const r = await p.cli('run');
  assert.equal(statuses(r.out), { sum: 'cached', scale: 'cached', describe: 'cached' });
});

test('a re-run step whose outputs come out byte-identical leaves its downstream cached (early cutoff)', async ({ p }) => {
  await p.cli('run');
  p.write('raw/a.txt', '3\n2\n1\n'); // same total, same count
  const r = await p.cli('run');
  assert.equal(statuses(r.out), { sum: 'ran', scale: 'cached', describe: 'cached' });
  assert.ok(r.out.find((l) => l.startsWith('ran     sum'))!.includes('outputs unchanged'));
});

test('--force recomputes cached steps; run <step> runs only it and what it needs', async ({ p }) => {
  await p.cli('run');
  assert.equal(statuses((await p.cli('run', '--force')).out), { sum: 'ran', scale: 'ran', describe: 'ran' });
  assert.equal(statuses((await p.cli('run', '--force=scale')).out), { sum: 'cached', scale: 'ran', describe: 'cached' });
  assert.equal(statuses((await p.cli('run', 'scale', '--force')).out), { sum: 'ran', scale: 'ran' });
});

test('--only refuses to run on top of an upstream step that is not up to date', async ({ p }) => {
  const r = await p.cli('run', '--only', 'scale');
  assert.is(r.code, 1);
  assert.match(r.err.join('\n'), 'step "sum" is not up to date, so --only scale cannot use its outputs');
  await p.cli('run');
  p.write('pipeline.ts', arithmeticPipeline(5));
  assert.equal(statuses((await p.cli('run', '--only', 'scale')).out), { sum: 'cached', scale: 'ran' });
});

test('an output altered in the cache is detected, reported and recomputed, never served', async ({ p }) => {
  await p.cli('run');
  const [key] = entryKeys(p, 'scale');
  p.write(`derived/scale/${key}/scaled.csv`, 'value\n999\n');
  const verify = await p.cli('verify');
  assert.is(verify.code, 1);
  assert.match(verify.out.join('\n'), /corrupt {2}scale\/\w{12}: output scaled.csv was altered/);
  const r = await p.cli('run');
  assert.equal(statuses(r.out), { sum: 'cached', scale: 'ran', describe: 'cached' });
  assert.match(r.err.join('\n'), /warning: cache entry scale\/\w{12} is corrupt: output scaled.csv was altered/);
  assert.is(p.read(`derived/scale/${key}/scaled.csv`), 'value\n32\n');
  assert.is((await p.cli('verify')).code, 0);
});

test('an output altered without changing its size (one digit) is detected by verify and recomputed by run', async ({ p }) => {
  await p.cli('run');
  const [key] = entryKeys(p, 'scale');
  const path = `derived/scale/${key}/scaled.csv`;
  assert.is(p.read(path), 'value\n32\n');
  p.write(path, 'value\n33\n');
  const verify = await p.cli('verify');
  assert.is(verify.code, 1);
  assert.match(verify.out.join('\n'), /corrupt {2}scale\/\w{12}: output scaled.csv was altered \(manifest says sha256 \w{12}, 9 bytes; found \w{12}, 9 bytes\)/);
  const r = await p.cli('run');
  assert.equal(statuses(r.out), { sum: 'cached', scale: 'ran', describe: 'cached' });
  assert.is(p.read(path), 'value\n32\n');
  assert.is(p.read('reports/report.md'), '# Result\n\nThe scaled total is 32.\n');
});

test('a tampered manifest makes the entry corrupt', async ({ p }) => {
  await p.cli('run');
  const [key] = entryKeys(p, 'sum');
  const path = `derived/sum/${key}/manifest.json`;
  p.write(path, p.read(path).replace('"format": "pipeline-manifest/1"', '"format": "something-else"'));
  const r = await p.cli('run');
  assert.is(statuses(r.out).sum, 'ran');
  assert.match(r.err.join('\n'), 'does not match schemas/manifest.schema.json');
});

test('an entry folder without its manifest (a half-written entry) is never served', async ({ p }) => {
  await p.cli('run');
  const [key] = entryKeys(p, 'describe');
  const dir = join(p.dir, 'derived', 'describe', key!);
  writeFileSync(join(dir, 'manifest.json'), '');
  const r = await p.cli('run');
  assert.is(statuses(r.out).describe, 'ran');
  assert.ok(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).key === key);
});

test('leftover temporary folders of a killed run are swept and never read', async ({ p }) => {
  mkdirSync(join(p.dir, 'derived', 'sum', '.tmp-0123456789ab-99999-1'), { recursive: true });
  writeFileSync(join(p.dir, 'derived', 'sum', '.tmp-0123456789ab-99999-1', 'sum.json'), '{"total": -1');
  const r = await p.cli('run');
  assert.equal(statuses(r.out), { sum: 'ran', scale: 'ran', describe: 'ran' });
  assert.equal(readdirSync(join(p.dir, 'derived', 'sum')).filter((n) => n.startsWith('.tmp-')), []);
});

test('published files mirror the step outputs; stray files in the folder are removed', async ({ p }) => {
  p.write('reports/old-table.csv', 'stale\n');
  const r = await p.cli('run');
  assert.not.ok(p.exists('reports/old-table.csv'));
  assert.match(r.err.join('\n'), 'removed reports/old-table.csv');
  p.write('reports/report.md', 'edited by hand\n');
  await p.cli('run');
  assert.is(p.read('reports/report.md'), '# Result\n\nThe scaled total is 32.\n');
});

test('gc drops entries the pipeline no longer refers to and keeps current ones', async ({ p }) => {
  await p.cli('run');
  p.write('pipeline.ts', arithmeticPipeline(3));
  await p.cli('run');
  p.write('pipeline.ts', arithmeticPipeline(4));
  await p.cli('run');
  assert.is(entryKeys(p, 'scale').length, 3);
  const gc = await p.cli('gc');
  assert.is(gc.code, 0);
  assert.is(entryKeys(p, 'scale').length, 1);
  assert.equal(statuses((await p.cli('run')).out), { sum: 'cached', scale: 'cached', describe: 'cached' });
});

test('a run log records one line per step per run, with times only there and in manifests', async ({ p }) => {
  await p.cli('run');
  await p.cli('run');
  const records = p.read('derived/runs.ndjson').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(records.map((r) => `${r.step}:${r.status}`), ['sum:ran', 'scale:ran', 'describe:ran', 'sum:cached', 'scale:cached', 'describe:cached']);
  assert.ok(records.every((r) => typeof r.startedAt === 'string' && r.error === null));
});

test('a provenance input carries the upstream entry key and code hash, and re-runs its reader when that key changes', async ({ p }) => {
  p.write('steps/audit.ts', `export default (inputs: any) => ({ 'audit.json': inputs.prov[0].text() });\n`);
  p.write('pipeline.ts', p.read('pipeline.ts').replace(
    "]);",
    "  step('audit', { description: 'provenance', module: 'steps/audit.ts', inputs: { prov: provenance('scale') } }),\n]);",
  ).replace('{ definePipeline, step, raw, output }', '{ definePipeline, step, raw, output, provenance }'));
  await p.cli('run');
  const key = p.read('derived/scale/LATEST').trim();
  const auditKey = p.read('derived/audit/LATEST').trim();
  const record = JSON.parse(p.read(`derived/audit/${auditKey}/audit.json`));
  assert.is(record.key, key);
  assert.equal(Object.keys(record.code), ['steps/scale.ts']);
  assert.match(record.codeHash, /^[0-9a-f]{64}$/);
  assert.not.ok('run' in record, 'no run times: the record is deterministic');
  p.write('steps/scale.ts', p.read('steps/scale.ts') + '// comment only: same outputs, new key\n');
  const r = await p.cli('run');
  assert.equal(statuses(r.out), { sum: 'cached', scale: 'ran', describe: 'cached', audit: 'ran' });
});

test.run();
