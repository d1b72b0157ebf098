import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { arithmeticProject, type FixtureProject } from './fixture-project.js';

const test = suite<{ p: FixtureProject }>('explain');
test.before.each(async (ctx) => {
  ctx.p = arithmeticProject();
  await ctx.p.cli('run');
});
test.after.each((ctx) => ctx.p.remove());

test('traces a published file back through every step to the raw files, with hashes, code and parameters', async ({ p }) => {
  const r = await p.cli('explain', 'reports/report.md', '--json');
  assert.is(r.code, 0);
  const [report] = JSON.parse(r.out.join('\n'));
  assert.is(report.artifact, 'reports/report.md');
  assert.is(report.producedBy.step, 'describe');
  const scaled = report.producedBy.inputs.scaled[0];
  assert.is(scaled.artifact, 'scale:scaled.csv');
  assert.equal(scaled.producedBy.params, { factor: 2 });
  const sum = scaled.producedBy.inputs.sum[0];
  assert.equal(Object.keys(sum.producedBy.code), ['steps/parse.ts', 'steps/sum.ts']);
  assert.equal(sum.producedBy.inputs.numbers.map((f: any) => f.artifact), ['raw/a.txt', 'raw/b.txt']);
  assert.ok(sum.producedBy.inputs.numbers.every((f: any) => /^[0-9a-f]{64}$/.test(f.hash) && f.changedSince === undefined));
});

test('marks a raw file whose content changed since the artifact was made', async ({ p }) => {
  p.write('raw/a.txt', '5\n');
  const { out } = await p.cli('explain', 'scale:scaled.csv');
  assert.match(out.join('\n'), /raw\/a\.txt {2}sha256 \w{12} {2}6 B {2}\(changed since: now \w{12}\)/);
  assert.not.match(out.join('\n'), /raw\/b\.txt.*changed since/);
});

test('accepts a cache path and a step name, and refuses what no step made', async ({ p }) => {
  const key = p.read('derived/sum/LATEST').trim();
  assert.match((await p.cli('explain', `derived/sum/${key}/sum.json`)).out[0]!, /^derived\/sum\/\w{64}\/sum\.json {2}sha256/);
  assert.match((await p.cli('explain', 'scale')).out[0]!, /^scale:scaled\.csv/);
  const bad = await p.cli('explain', 'raw/a.txt');
  assert.is(bad.code, 1);
  assert.match(bad.err.join('\n'), 'cannot tell which step made "raw/a.txt"');
});

test.run();
