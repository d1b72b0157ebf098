import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { arithmeticPipeline, arithmeticProject, statuses, type FixtureProject } from './fixture-project.js';
import { verifyCache } from '../../runner/verify.js';
import { assertSchema } from './report-schemas.js';

const test = suite<{ p: FixtureProject }>('verify');
test.before.each(async (ctx) => {
  ctx.p = arithmeticProject();
  await ctx.p.cli('run');
});
test.after.each((ctx) => ctx.p.remove());

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
async function status(p: FixtureProject) {
  const plans = JSON.parse((await p.cli('status', '--json')).out.join('\n'));
  assertSchema('status', plans);
  return plans as Array<{ step: string; state: string; reasons: string[] }>;
}

test('a byte appended to a latest-entry pointer is reported by verify, never read as "never run", and rewritten by the run', async ({ p }) => {
  const key = p.read('derived/scale/LATEST').trim();
  appendFileSync(join(p.dir, 'derived/scale/LATEST'), 'x');
  const verify = await p.cli('verify');
  assert.is(verify.code, 1);
  assert.equal(verify.out.slice(0, 2), [
    `corrupt  derived/scale/LATEST holds ${JSON.stringify(`${key}\nx`)}, not one cache key and a line end`,
    'verified 3 entries: 0 corrupt; 1 bad pointer',
  ]);
  const [, current] = await status(p);
  assert.equal([current!.state, current!.reasons], ['up to date', [`derived/scale/LATEST holds ${JSON.stringify(`${key}\nx`)}, not one cache key and a line end: the run rewrites it`]]);
  p.write('pipeline.ts', arithmeticPipeline(3));
  const [, scale] = await status(p);
  assert.is(scale!.state, 'will run');
  assert.equal(scale!.reasons, [
    `derived/scale/LATEST holds ${JSON.stringify(`${key}\nx`)}, not one cache key and a line end, so what changed since the latest entry cannot be told (a run rewrites it)`,
  ]);
  p.write('pipeline.ts', arithmeticPipeline(2));
  const r = await p.cli('run');
  assert.equal(statuses(r.out), { sum: 'cached', scale: 'cached', describe: 'cached' });
  assert.is(p.read('derived/scale/LATEST'), `${key}\n`);
  assert.is((await p.cli('verify')).code, 0);
});

test('a pointer naming an entry that is not in the cache is reported', async ({ p }) => {
  p.write('derived/sum/LATEST', 'a'.repeat(64) + '\n');
  const verify = await p.cli('verify');
  assert.is(verify.code, 1);
  assert.is(verify.out[0], 'corrupt  derived/sum/LATEST names entry aaaaaaaaaaaa, which is not in the cache');
});

test('a remembered hash that is wrong is reported and corrected, so that no run trusts it', async ({ p }) => {
  const state = JSON.parse(p.read('derived/.state.json'));
  assert.is(state.files['raw/a.txt'].hash, sha('1\n2\n3\n'));
  // As if the state said raw/a.txt still held what it held before an edit that kept its stat.
  state.files['raw/a.txt'].hash = sha('5\n5\n5\n');
  p.write('derived/.state.json', JSON.stringify(state));
  const verify = await p.cli('verify');
  assert.is(verify.code, 1);
  assert.is(verify.out[0], `wrong    raw/a.txt is remembered in derived/.state.json as sha256 ${sha('5\n5\n5\n').slice(0, 12)}, but the file holds ${sha('1\n2\n3\n').slice(0, 12)}; corrected`);
  assert.is(JSON.parse(p.read('derived/.state.json')).files['raw/a.txt'].hash, sha('1\n2\n3\n'));
  assert.is((await p.cli('verify')).code, 0);
  assert.equal((await status(p)).map((s) => s.state), ['up to date', 'up to date', 'up to date']);
});

test('a state file that is not JSON, or holds malformed entries, is reported and rebuilt', async ({ p }) => {
  const state = JSON.parse(p.read('derived/.state.json'));
  state.files['raw/a.txt'].hash = 'not a hash';
  p.write('derived/.state.json', JSON.stringify(state));
  assert.match((await p.cli('verify')).out[0]!, 'wrong    derived/.state.json could not be used (1 malformed entry was dropped); it is rebuilt');
  assert.is((await p.cli('verify')).code, 0);
  p.write('derived/.state.json', '{"format":"file-state/1","files":{');
  const verify = await p.cli('verify');
  assert.is(verify.code, 1);
  assert.match(verify.out[0]!, /^wrong {4}derived\/\.state\.json could not be used \(it is not JSON \(.*\)\); it is rebuilt$/);
  assert.is((await p.cli('verify')).code, 0);
});

test('the report names each kind of problem as schemas/verify-report.schema.json says', async ({ p }) => {
  const state = JSON.parse(p.read('derived/.state.json'));
  state.files['raw/a.txt'].hash = sha('5\n5\n5\n');
  p.write('derived/.state.json', JSON.stringify(state));
  appendFileSync(join(p.dir, 'derived/sum/LATEST'), 'x');
  p.write('reports/report.md', 'edited\n');
  p.write(`derived/scale/${p.read('derived/scale/LATEST').trim()}/scaled.csv`, 'value\n33\n');
  const report = await verifyCache(await p.open(), { recompute: true });
  assertSchema('verify-report', report);
  assert.equal(
    [report.corrupt.length, report.pointers.length, report.state.map((s) => s.path), report.published.map((d) => [d.path, d.state])],
    [1, 1, ['raw/a.txt'], [['reports/report.md', 'differs']]],
  );
});

test.run();
