import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { arithmeticPipeline, arithmeticProject, statuses, type FixtureProject } from './fixture-project.js';
import { collectGarbage, formatBytes } from '../../runner/gc.js';
import { assertSchema } from './report-schemas.js';

const test = suite<{ p: FixtureProject }>('gc');
test.before.each(async (ctx) => {
  ctx.p = arithmeticProject();
  // Three parameter values in turn: scale and describe each have three entries, the last one latest.
  for (const factor of [2, 3, 4]) {
    ctx.p.write('pipeline.ts', arithmeticPipeline(factor));
    await ctx.p.cli('run');
  }
});
test.after.each((ctx) => ctx.p.remove());

const keys = (p: FixtureProject, step: string) => readdirSync(join(p.dir, 'derived', step)).filter((n) => /^[0-9a-f]{64}$/.test(n));
const size = (p: FixtureProject, step: string, key: string) =>
  readdirSync(join(p.dir, 'derived', step, key)).reduce((sum, name) => sum + statSync(join(p.dir, 'derived', step, key, name)).size, 0);
const made = (p: FixtureProject, step: string, key: string) => JSON.parse(p.read(`derived/${step}/${key}/manifest.json`));
const byParam = (p: FixtureProject) => Object.fromEntries(keys(p, 'scale').map((k) => [made(p, 'scale', k).components.params.factor, k]));

test('each entry gc removes is named with its step, parameters, size, when it was made and what changed since', async ({ p }) => {
  const { 2: two } = byParam(p);
  const r = await p.cli('gc', '--dry-run');
  assert.is(r.code, 0);
  const line = r.out.find((l) => l.startsWith(`would remove scale/${two!.slice(0, 12)}`));
  assert.is(
    line,
    `would remove scale/${two!.slice(0, 12)}  params {"factor":2}  ${formatBytes(size(p, 'scale', two!))}  made ${made(p, 'scale', two!).run.startedAt}  (since then: param factor changed: 2 → 4)`,
  );
  assert.match(r.out.join('\n'), /would remove describe\/\w{12} {2}params \{\} {2}\d+\.\d KiB {2}made \S+ {2}\(since then: input scale:scaled\.csv changed \(sha256 \w{12} → \w{12}\)\)/);
  const removed = [...keys(p, 'scale'), ...keys(p, 'describe')].filter((k) => k !== p.read('derived/scale/LATEST').trim() && k !== p.read('derived/describe/LATEST').trim());
  const freed = removed.reduce((sum, k) => sum + size(p, keys(p, 'scale').includes(k) ? 'scale' : 'describe', k), 0);
  assert.is(r.out.at(-1), `3 entries kept, 4 to remove (${formatBytes(freed)}), 0 leftovers of killed or failed runs swept`);
  assert.is(keys(p, 'scale').length, 3, 'a dry run removes nothing');
});

test('--keep-last N keeps the N most recent other entries of each step, so a reverted parameter is served from the cache', async ({ p }) => {
  const { 2: two, 3: three } = byParam(p);
  const r = await p.cli('gc', '--keep-last', '1');
  assert.is(r.code, 0);
  assert.equal(keys(p, 'scale').sort(), [three!, byParam(p)[4]!].sort());
  assert.match(r.out.join('\n'), `removed scale/${two!.slice(0, 12)}  params {"factor":2}`);
  p.write('pipeline.ts', arithmeticPipeline(3));
  assert.equal(statuses((await p.cli('run')).out), { sum: 'cached', scale: 'cached', describe: 'cached' });
  p.write('pipeline.ts', arithmeticPipeline(2));
  assert.equal(statuses((await p.cli('run')).out), { sum: 'cached', scale: 'ran', describe: 'ran' });
  assert.match((await p.cli('gc', '--keep-last', 'two')).err.join('\n'), '--keep-last needs a whole number of entries, not "two"');
});

test('a damaged pointer keeps every entry of its step, with a warning', async ({ p }) => {
  p.write('derived/scale/LATEST', 'not a key\n');
  const r = await p.cli('gc');
  assert.match(r.out[0]!, /^warning: every entry of scale is kept: derived\/scale\/LATEST holds "not a key\\n", not one cache key and a line end/);
  assert.is(keys(p, 'scale').length, 3);
  assert.is(keys(p, 'describe').length, 1);
});

test('the report holds every entry kept and removed with its step, parameters, size and why, as schemas/gc-report.schema.json says', async ({ p }) => {
  p.write('derived/sum/LATEST', 'damaged');
  const report = collectGarbage(await p.open(), { dryRun: true, keepLast: 0 });
  assertSchema('gc-report', report);
  assert.equal(report.kept.map((e) => [e.step, e.why]).sort(), [['describe', 'current'], ['scale', 'current'], ['sum', 'current']]);
  assert.equal(report.removed.map((e) => `${e.step} ${JSON.stringify(e.params)}`).sort(), ['describe {}', 'describe {}', 'scale {"factor":2}', 'scale {"factor":3}']);
  assert.is(report.warnings.length, 1);
});

test.run();
