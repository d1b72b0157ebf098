import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { arithmeticPipeline, arithmeticProject, type FixtureProject } from './fixture-project.js';
import { assertSchema } from './report-schemas.js';

const test = suite<{ p: FixtureProject }>('status');
test.before.each((ctx) => {
  ctx.p = arithmeticProject();
});
test.after.each((ctx) => ctx.p.remove());

async function status(p: FixtureProject) {
  const plans = JSON.parse((await p.cli('status', '--json')).out.join('\n'));
  assertSchema('status', plans);
  return plans as Array<{ step: string; state: string; reasons: string[] }>;
}

test('before any run, every step will run because it never ran, downstream steps after their upstream', async ({ p }) => {
  const plans = await status(p);
  assert.equal(plans.map((s) => [s.step, s.state]), [['sum', 'will run'], ['scale', 'will run'], ['describe', 'will run']]);
  assert.equal(plans[0]!.reasons, ['never run']);
  assert.equal(plans[1]!.reasons, ['never run', 'upstream "sum" will run first']);
});

test('after a run everything is up to date, and status runs nothing', async ({ p }) => {
  await p.cli('run');
  const before = p.read('derived/runs.ndjson');
  assert.equal((await status(p)).map((s) => s.state), ['up to date', 'up to date', 'up to date']);
  assert.is(p.read('derived/runs.ndjson'), before);
});

test('names the input file that changed, with old and new hash', async ({ p }) => {
  await p.cli('run');
  p.write('raw/a.txt', '1\n');
  const [sum] = await status(p);
  assert.is(sum!.reasons.length, 1);
  assert.match(sum!.reasons[0]!, /^input raw\/a\.txt changed \(sha256 [0-9a-f]{12} → [0-9a-f]{12}\)$/);
});

test('names a removed input file', async ({ p }) => {
  await p.cli('run');
  await import('node:fs').then((fs) => fs.rmSync(`${p.dir}/raw/b.txt`));
  assert.equal((await status(p))[0]!.reasons, ['input raw/b.txt was removed']);
});

test('names the parameter that changed, with old and new value', async ({ p }) => {
  await p.cli('run');
  p.write('pipeline.ts', arithmeticPipeline(7));
  const plans = await status(p);
  assert.equal(plans.map((s) => s.state), ['up to date', 'will run', 'waits']);
  assert.equal(plans[1]!.reasons, ['param factor changed: 2 → 7']);
});

test('names the code file that changed, including files imported by the step', async ({ p }) => {
  await p.cli('run');
  p.write('steps/parse.ts', p.read('steps/parse.ts') + '// a comment is a code change too\n');
  assert.equal((await status(p))[0]!.reasons, ['code changed: steps/parse.ts']);
});

test('names a newly imported file and a package whose version is recorded', async ({ p }) => {
  await p.cli('run');
  p.write('steps/extra.ts', 'export const extra = 1;\n');
  p.write('steps/sum.ts', `import { extra } from './extra.js';\nimport 'uvu';\n` + p.read('steps/sum.ts'));
  const reasons = (await status(p))[0]!.reasons;
  assert.ok(reasons.includes('code: now imports steps/extra.ts'), reasons.join('\n'));
  assert.ok(reasons.includes('code changed: steps/sum.ts'));
  assert.ok(reasons.includes('dependency uvu now used'));
});

test('a step whose own code changed will run even while its upstream step runs first, and the run agrees', async ({ p }) => {
  p.write('steps/scale.ts', `import { parseNumbers } from './parse.js';\n` + p.read('steps/scale.ts'));
  await p.cli('run');
  p.write('steps/parse.ts', p.read('steps/parse.ts') + '// a comment is a code change too\n');
  const plans = await status(p);
  assert.equal(plans.map((s) => [s.step, s.state, s.reasons]), [
    ['sum', 'will run', ['code changed: steps/parse.ts']],
    ['scale', 'will run', ['code changed: steps/parse.ts', 'upstream "sum" will run first']],
    ['describe', 'waits', ['upstream "scale" will run first; this step runs only if its outputs change']],
  ]);
  const r = await p.cli('run');
  assert.ok(r.out.some((l) => /^ran\s+scale\s.*code changed: steps\/parse\.ts/.test(l)), r.out.join('\n'));
});

test('a step waiting on its upstream says so when an earlier entry was made with its own code, parameters and raw inputs', async ({ p }) => {
  await p.cli('run');
  p.write('pipeline.ts', arithmeticPipeline(7));
  await p.cli('run');
  p.write('pipeline.ts', arithmeticPipeline(2));
  p.write('raw/a.txt', '1\n');
  const [, scale] = await status(p);
  assert.is(scale!.state, 'waits');
  assert.equal(scale!.reasons.slice(0, 2), ['param factor changed: 7 → 2', 'upstream "sum" will run first']);
  assert.match(scale!.reasons[2]!, /^entry \w{12} was made with this code, these parameters and raw inputs: it is used again if the upstream outputs it read come back$/);
});

test('reports a corrupt entry as the reason to run', async ({ p }) => {
  await p.cli('run');
  const key = p.read('derived/sum/LATEST').trim();
  p.write(`derived/sum/${key}/sum.json`, '{}');
  const [sum] = await status(p);
  assert.is(sum!.state, 'will run');
  assert.match(sum!.reasons[0]!, 'cache entry is corrupt: output sum.json was altered');
});

test('the text form lists each step with its reasons', async ({ p }) => {
  await p.cli('run');
  p.write('pipeline.ts', arithmeticPipeline(7));
  const { out } = await p.cli('status');
  assert.match(out.join('\n'), /will run {4}scale {5}\(\w{12}\)\n {14}param factor changed: 2 → 7/);
  assert.is(out.at(-1), '2 of 3 steps would run or re-check.');
});

test.run();
