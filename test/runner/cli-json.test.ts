/** Every verb's --json output validates against its schema in schemas/cli-<verb>.schema.json. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { VERBS } from '../../runner/args.js';
import { wavesProject, type FixtureProject } from './fixture-project.js';

const repo = new URL('../..', import.meta.url).pathname;
// Every schema is registered, so that a verb's schema may refer to the report schema it prints.
const ajv = new (Ajv as any)({ allErrors: true });
const draft07 = (file: string) => readFileSync(join(repo, 'schemas', file), 'utf8').includes('draft-07');
for (const file of readdirSync(join(repo, 'schemas')).filter((f) => f.endsWith('.schema.json') && draft07(f)).sort()) ajv.addSchema(JSON.parse(readFileSync(join(repo, 'schemas', file), 'utf8')));
const validators = new Map(VERBS.map((v) => [v.name, ajv.getSchema(`cli-${v.name}.schema.json`)]));

/** Runs a verb with --json; its output must parse and match the verb's schema. */
async function checked(p: FixtureProject, verb: string, ...args: string[]): Promise<any> {
  const r = await p.cli(verb, ...args, '--json');
  assert.ok(r.code === 0 || (verb === 'verify' && r.code === 1), `${verb} ${args.join(' ')}: exit ${r.code}: ${r.err.join('\n')}`);
  const value = JSON.parse(r.out.join('\n'));
  const validate = validators.get(verb)!;
  assert.ok(validate(value), `${verb} ${args.join(' ')}: ${JSON.stringify(validate.errors)}`);
  return value;
}

const test = suite<{ p: FixtureProject }>('cli --json');
test.before.each((ctx) => {
  ctx.p = wavesProject();
});
test.after.each((ctx) => ctx.p.remove());

test('every verb takes --json and has a schema', () => {
  for (const v of VERBS) assert.ok(v.options.some((o) => o.name === 'json'), `${v.name} takes --json`);
});

test('each verb, before and after a run, in each of its forms, prints JSON its schema accepts', async ({ p }) => {
  const before = await checked(p, 'status');
  assert.is(before[0].state, 'will run');
  const dry = await checked(p, 'run', '-n', '-S', 'scale.factor=2');
  assert.equal(dry.overrides, [{ step: 'scale', param: 'factor', value: 2 }]);
  const run = await checked(p, 'run', '-S', 'scale.unit=km');
  assert.equal(run.counts, { ran: 5, cached: 0, failed: 0, skipped: 0 });
  const again = await checked(p, 'run');
  assert.equal(again.counts, { ran: 3, cached: 2, failed: 0, skipped: 0 });
  await checked(p, 'status');
  const last = await checked(p, 'status', '--last');
  assert.ok(last.records.length > 0, 'status --last lists the last run');
  const dag = await checked(p, 'dag');
  assert.equal(dag.steps.map((s: any) => s.name), ['sum', 'scale', 'combine']);
  const branches = await checked(p, 'dag', '--branches');
  assert.is(branches.steps.length, 5);
  const lineage = await checked(p, 'explain', 'reports/all.txt');
  assert.is(lineage[0].producedBy.step, 'combine');
  const withOverride = await checked(p, 'explain', 'derived/scale/' + p.read('derived/scale/LATEST[2014]').trim() + '/scaled.txt');
  assert.is(withOverride[0].producedBy.overrides, undefined, 'the latest scale entry is the default one');
  const shown = await checked(p, 'show', 'sum:sum.json');
  assert.equal(shown.map((t: any) => [t.artifact, t.rows]), [['sum[2013]:sum.json', [[3]]], ['sum[2014]:sum.json', [[5]]]]);
  const params = await checked(p, 'params');
  assert.equal(params.map((x: any) => `${x.step}.${x.param}`), ['scale.factor', 'scale.unit']);
  const verify = await checked(p, 'verify', '--recompute');
  assert.is(verify.corrupt.length, 0);
  const gc = await checked(p, 'gc', '-n');
  assert.equal([gc.dryRun, gc.removed.length], [true, 3], "the -S run's entries of scale and combine");
  await checked(p, 'gc');
});

test.run();
