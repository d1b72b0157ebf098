import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { arithmeticPipeline, arithmeticProject, statuses, type FixtureProject } from './fixture-project.js';
import { assertSchema } from './report-schemas.js';

const test = suite<{ p: FixtureProject }>('publish');
test.before.each(async (ctx) => {
  ctx.p = arithmeticProject();
  await ctx.p.cli('run');
});
test.after.each((ctx) => ctx.p.remove());

const REPORT = '# Result\n\nThe scaled total is 32.\n';
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
async function status(p: FixtureProject) {
  const plans = JSON.parse((await p.cli('status', '--json')).out.join('\n'));
  assertSchema('status', plans);
  return plans as Array<{ step: string; state: string; reasons: string[] }>;
}

test('a published file edited by hand is named by status, verify and explain, and the run says it puts it back', async ({ p }) => {
  p.write('reports/report.md', 'edited by hand\n');
  const [produced, found] = [sha(REPORT).slice(0, 12), sha('edited by hand\n').slice(0, 12)];
  const line = `reports/report.md differs from what describe produced (describe: sha256 ${produced}, ${REPORT.length} B; file: sha256 ${found}, 15 B)`;

  const plans = await status(p);
  assert.equal(plans.map((s) => [s.step, s.state, s.reasons]), [
    ['sum', 'up to date', []],
    ['scale', 'up to date', []],
    ['describe', 'will restore', [`${line}: the run puts back what the step produced`]],
  ]);
  assert.is((await p.cli('status')).out.at(-1), '1 of 3 steps would run or re-check.');

  const verify = await p.cli('verify');
  assert.is(verify.code, 1);
  assert.equal(verify.out.slice(0, 2), [`differs  ${line}`, 'verified 3 entries: 0 corrupt; 1 published file differs from its step']);

  const [lineage] = JSON.parse((await p.cli('explain', 'reports/report.md', '--json')).out.join('\n'));
  assert.is(lineage.hash, sha('edited by hand\n'));
  assert.equal(lineage.produced, { hash: sha(REPORT), bytes: REPORT.length });
  assert.match((await p.cli('explain', 'reports/report.md')).out[0]!, `reports/report.md  sha256 ${found}  15 B  (differs from what describe produced: sha256 ${produced}, ${REPORT.length} B; the next run puts that back)`);

  const r = await p.cli('run');
  assert.equal(statuses(r.out), { sum: 'cached', scale: 'cached', describe: 'cached' });
  assert.match(r.err.join('\n'), `put back reports/report.md: it differed from what describe produced (the file had sha256 ${found}, 15 B)`);
  assert.is(p.read('reports/report.md'), REPORT);
  assert.equal((await status(p)).map((s) => s.state), ['up to date', 'up to date', 'up to date']);
  assert.is((await p.cli('verify')).code, 0);
});

test('a missing published file and a stray one are named, and the run puts back the one and removes the other', async ({ p }) => {
  rmSync(join(p.dir, 'reports/report.md'));
  p.write('reports/notes.txt', 'mine\n');
  const [, , describe] = await status(p);
  assert.is(describe!.state, 'will restore');
  assert.equal(describe!.reasons, [
    `reports/notes.txt is not produced by describe: the run removes it`,
    `reports/report.md is missing (describe produced sha256 ${sha(REPORT).slice(0, 12)}, ${REPORT.length} B): the run puts back what the step produced`,
  ]);
  const verify = await p.cli('verify');
  assert.is(verify.code, 1);
  assert.match(verify.out.join('\n'), 'stray    reports/notes.txt is not produced by describe');
  const explain = await p.cli('explain', 'reports/report.md');
  assert.is(explain.code, 1);
  assert.match(explain.err.join('\n'), 'reports/report.md is missing; describe produced it');
  const r = await p.cli('run');
  assert.match(r.err.join('\n'), 'put back reports/report.md: it was missing');
  assert.match(r.err.join('\n'), 'removed reports/notes.txt (no longer produced by describe)');
  assert.is(p.read('reports/report.md'), REPORT);
});

test('a step that runs and publishes new outputs replaces its files without calling it a restore', async ({ p }) => {
  p.write('pipeline.ts', arithmeticPipeline(3));
  const r = await p.cli('run');
  assert.equal(statuses(r.out), { sum: 'cached', scale: 'ran', describe: 'ran' });
  assert.not.match(r.err.join('\n'), 'put back');
  assert.is(p.read('reports/report.md'), '# Result\n\nThe scaled total is 48.\n');
});

test('a hand edit to a file the step is about to replace is named in its reasons', async ({ p }) => {
  p.write('pipeline.ts', arithmeticPipeline(3));
  p.write('reports/report.md', 'edited by hand\n');
  const [, scale, describe] = await status(p);
  assert.is(scale!.state, 'will run');
  assert.is(describe!.state, 'waits');
  assert.match(describe!.reasons.at(-1)!, /^reports\/report\.md differs from what describe produced \(.*\): the run replaces it if the step runs$/);
  const r = await p.cli('run');
  assert.match(r.err.join('\n'), 'put back reports/report.md: it differed from what describe produced');
});

test('a reverted change that serves an earlier entry says its files replace the published ones', async ({ p }) => {
  p.write('pipeline.ts', arithmeticPipeline(3));
  await p.cli('run');
  const latest = p.read('derived/describe/LATEST').trim();
  p.write('pipeline.ts', arithmeticPipeline(2));
  const [, scale, describe] = await status(p);
  assert.equal([scale!.state, scale!.reasons], ['up to date', []]);
  assert.is(describe!.state, 'up to date');
  assert.match(describe!.reasons[0]!, new RegExp(`^the run publishes entry \\w{12}, an earlier one, in place of the latest \\(${latest.slice(0, 12)}\\): input scale:scaled\\.csv changed \\(sha256 \\w{12} → \\w{12}\\)$`));
  p.write('reports/report.md', 'edited by hand\n');
  const [, , edited] = await status(p);
  assert.is(edited!.state, 'will restore');
  assert.match(edited!.reasons[1]!, /^reports\/report\.md differs from what describe produced \(.*\): the run replaces it with what entry \w{12} holds$/);
  const r = await p.cli('run');
  assert.equal(statuses(r.out), { sum: 'cached', scale: 'cached', describe: 'cached' });
  assert.match(r.err.join('\n'), 'put back reports/report.md: it differed from what describe produced');
  assert.is(p.read('reports/report.md'), REPORT);
});

test.run();
