import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { arithmeticProject, type FixtureProject } from './fixture-project.js';
import { assertSchema } from './report-schemas.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const test = suite<{ p: FixtureProject }>('last-run');
test.before.each((ctx) => {
  ctx.p = arithmeticProject();
});
test.after.each((ctx) => ctx.p.remove());

test('status --last prints every reason of the last run, where the run line named only a few', async ({ p }) => {
  assert.equal((await p.cli('status', '--last')).out, ['no run yet: derived/runs.ndjson is empty or missing.']);
  assertSchema('last-run', JSON.parse((await p.cli('status', '--last', '--json')).out.join('\n')));
  await p.cli('run');
  for (const name of ['c', 'd', 'e', 'f', 'g']) p.write(`raw/${name}.txt`, '0\n');
  const run = await p.cli('run');
  const sumLine = run.out.find((l) => l.startsWith('ran     sum'))!;
  assert.match(sumLine, 'input raw/c.txt is new; input raw/d.txt is new; input raw/e.txt is new; and 2 more (see status --last)');
  assert.is((await p.cli('status')).out.at(-1), 'all 3 steps are up to date.');

  const last = await p.cli('status', '--last');
  assert.is(last.code, 0);
  assert.match(last.out[0]!, /^last run \S+: 3 steps: 2 ran, 1 cached, 0 failed, 0 skipped$/);
  assert.equal(last.out.slice(1), [
    'ran     sum',
    ...['c', 'd', 'e', 'f', 'g'].map((n) => `          input raw/${n}.txt is new`),
    'ran     scale  [outputs unchanged: downstream stayed cached]',
    `          input sum:sum.json changed (sha256 ${sha('{"total":16,"count":4}').slice(0, 12)} → ${sha('{"total":16,"count":9}').slice(0, 12)})`,
    '1 other step was served from the cache.',
  ]);
  const json = JSON.parse((await p.cli('status', '--last', '--json')).out.join('\n'));
  assertSchema('last-run', json);
  assert.equal(json.records.map((r: any) => [r.step, r.status, r.reasons.length]), [['sum', 'ran', 5], ['scale', 'ran', 1], ['describe', 'cached', 0]]);
});

test('status --last names a failed step with its error, and skips a damaged line of the log', async ({ p }) => {
  await p.cli('run');
  p.write('steps/scale.ts', `export default function scale() { throw new Error('no scale today'); }\n`);
  await p.cli('run');
  appendFileSync(join(p.dir, 'derived/runs.ndjson'), '{"runId": "half a li');
  const out = (await p.cli('status', '--last')).out;
  assert.match(out[0]!, /: 3 steps: 0 ran, 1 cached, 1 failed, 1 skipped$/);
  assert.equal(out.slice(1), [
    'failed  scale',
    '          step "scale" failed: no scale today',
    'skipped describe',
    '          an earlier step failed',
    '1 other step was served from the cache.',
    'derived/runs.ndjson: line 7 is not a run record and was skipped.',
  ]);
});

test.run();
