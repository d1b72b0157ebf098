import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describeOutputs, formatResult } from '../../runner/cli.js';
import { VERBS } from '../../runner/args.js';
import { arithmeticProject, statuses, wavesProject, type FixtureProject } from './fixture-project.js';

const repo = new URL('../..', import.meta.url).pathname;

/** Every file under a folder with its size and modification time: what "changed nothing" compares. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      const s = statSync(path);
      if (s.isDirectory()) walk(path);
      else out.push(`${relative(dir, path)} ${s.size} ${s.mtimeMs}`);
    }
  };
  walk(dir);
  return out;
}

/** Printed lines, a message's hint lines apart. */
const lines = (printed: string[]) => printed.join('\n').split('\n');
const hashes = (line: string) => line.replace(/[0-9a-f]{12}/g, '<hash>');

const test = suite<{ p: FixtureProject }>('cli');
test.before.each((ctx) => {
  ctx.p = wavesProject();
});
test.after.each((ctx) => ctx.p.remove());

test('an unknown flag is an error (exit 2) on every verb, naming the nearest known one', async ({ p }) => {
  for (const verb of VERBS.map((v) => v.name)) {
    const r = await p.cli(verb, '--jsn');
    assert.is(r.code, 2, `${verb} --jsn`);
    assert.equal(lines(r.err).slice(0, 2), [`pipeline: unknown option --jsn for ${verb}`, '  Did you mean "--json"?'], verb);
  }
  const dry = await p.cli('run', '--dry-rum');
  assert.is(dry.code, 2);
  assert.match(dry.err.join('\n'), 'Did you mean "--dry-run"?');
  assert.not.ok(p.exists('derived/runs.ndjson'), 'nothing ran');
  const elsewhere = await p.cli('status', '--recompute');
  assert.is(elsewhere.code, 2);
  assert.match(elsewhere.err.join('\n'), '--recompute is an option of: verify.');
});

test('an unknown verb, an extra operand, and an option without its value are errors (exit 2)', async ({ p }) => {
  const verb = await p.cli('stauts');
  assert.equal([verb.code, ...lines(verb.err)], [2, 'pipeline: unknown verb "stauts"', '  Did you mean "status"?']);
  const extra = await p.cli('status', 'sum');
  assert.equal([extra.code, ...lines(extra.err)], [2, 'pipeline: status takes no operands (got "sum")', '  Usage: npm run pipeline -- status']);
  const missing = await p.cli('run', '--only');
  assert.equal([missing.code, missing.err[0]], [2, 'pipeline: --only needs a value: --only <step,...>']);
});

test('unknown steps and branches in targets, --only and --force are errors naming the nearest or the branches', async ({ p }) => {
  const force = await p.cli('run', '--force=scael');
  assert.equal([force.code, ...lines(force.err)], [2, 'pipeline: --force: no step named "scael"', '  Did you mean "scale"?']);
  const branch = await p.cli('run', '--force=scale[2099]');
  assert.equal([branch.code, ...lines(branch.err)], [2, 'pipeline: --force: step "scale" has no branch "scale[2099]"', '  Its branches (from the files on disk now): scale[2013], scale[2014].']);
  assert.is((await p.cli('run', 'sume')).code, 2);
  assert.is((await p.cli('run', '--only', 'nothing')).code, 2);
  assert.not.ok(p.exists('derived/runs.ndjson'), 'nothing ran');
  const ok = await p.cli('run', '--force=scale[2014]');
  assert.is(ok.code, 0, ok.err.join('\n'));
});

test('--version prints the project version and runs nothing', async ({ p }) => {
  const r = await p.cli('--version');
  assert.is(r.code, 0);
  assert.equal(r.out, [`waves-fixture 1.2.3 (node ${process.versions.node})`]);
  assert.not.ok(p.exists('derived'));
});

test('run -n says what would run and why, and changes nothing: cache, reports and run log', async ({ p }) => {
  await p.cli('run');
  p.write('raw/2014/a.txt', '6\n');
  const before = snapshot(p.dir);
  const r = await p.cli('run', '-n');
  assert.is(r.code, 0, r.err.join('\n'));
  assert.equal(snapshot(p.dir), before);
  assert.equal(r.out.slice(0, 3).map(hashes), [
    'up to date  sum[2013]    (<hash>)',
    'will run    sum[2014]    (<hash>)',
    '              input raw/2014/a.txt changed (sha256 <hash> → <hash>)',
  ]);
  assert.equal(r.out.slice(-2), ['3 of 5 steps would run or re-check.', 'Dry run: nothing was run or written.']);
  // The same selection as run: a forced step runs, and what reads it waits on it.
  const forced = JSON.parse((await p.cli('run', '--dry-run', '--force=sum[2013]', '--json')).out.join('\n'));
  assert.equal(forced.steps.map((s: any) => hashes(`${s.step}:${s.state}:${s.reasons[0] ?? ''}`)), [
    'sum[2013]:will run:forced',
    'sum[2014]:will run:input raw/2014/a.txt changed (sha256 <hash> → <hash>)',
    'scale[2013]:waits:upstream "sum[2013]" will run first; this step runs only if its outputs change',
    'scale[2014]:waits:upstream "sum[2014]" will run first; this step runs only if its outputs change',
    'combine:waits:upstream "scale[2013]" will run first; this step runs only if its outputs change',
  ]);
  assert.is(forced.steps[4].reasons.length, 2);
  const targeted = JSON.parse((await p.cli('run', '-n', 'scale[2013]', '--json')).out.join('\n'));
  assert.equal(targeted.steps.map((s: any) => `${s.step}:${s.state}`), ['sum[2013]:up to date', 'scale[2013]:up to date']);
  assert.equal(snapshot(p.dir), before);
});

test('explain takes a fanned-out step, and <step>:<file>, as each of its branches', async ({ p }) => {
  await p.cli('run');
  const all = JSON.parse((await p.cli('explain', 'scale', '--json')).out.join('\n'));
  assert.equal(all.map((l: any) => l.artifact), ['scale[2013]:scaled.txt', 'scale[2014]:scaled.txt']);
  const file = await p.cli('explain', 'sum:sum.json');
  assert.is(file.code, 0, file.err.join('\n'));
  assert.equal(file.out.filter((l) => /^\S/.test(l)).map(hashes), ['sum[2013]:sum.json  sha256 <hash>  11 B', 'sum[2014]:sum.json  sha256 <hash>  11 B']);
  const bare = await p.cli('explain', 'scael');
  assert.equal([bare.code, ...lines(bare.err)], [2, 'pipeline: explain: no step named "scael"', '  Did you mean "scale"?']);
  const typo = await p.cli('explain', 'sume:sum.json');
  assert.equal([typo.code, ...lines(typo.err)], [2, 'pipeline: explain: no step named "sume"', '  Did you mean "sum"?']);
});

test('a closed pipe (status | head) ends the output quietly', () => {
  for (const verb of ['status', 'dag']) {
    const r = spawnSync('bash', ['-c', `set -o pipefail; node runner/launch.mjs ${verb} | head -1`], { cwd: repo, encoding: 'utf8' });
    assert.is(r.stderr, '', `${verb}: ${r.stderr}`);
    assert.is(r.status, 0);
    assert.is(r.stdout.split('\n').length, 2);
  }
});

test('the run list keeps its columns for long branch names, and says what each step produced', () => {
  const result = (step: string, outputs: any[] | null) => ({ step, status: 'ran' as const, key: null, durationMs: 1234, rows: null, outputs, reasons: ['never run'], earlyCutoff: false, error: null });
  const table = (name: string, rows: number | null, bytes = 10) => ({ name, hash: 'a'.repeat(64), bytes, rows });
  assert.equal(
    [
      formatResult(result('a[1]', [table('t.csv', 1234)]), 30),
      formatResult(result('clean[2013,derbyshire-dales]', [table('records.ndjson', 430), table('log.json', null), table('q.ndjson', 0)]), 30),
      formatResult(result('figures[2013]', [table('figures.json', 5)]), 30),
      formatResult(result('render', Array.from({ length: 23 }, (_, i) => table(`f${i}.md`, null, 48_000))), 30),
    ],
    [
      'ran     a[1]                             1.23 s  t.csv 1,234 rows                          never run',
      'ran     clean[2013,derbyshire-dales]     1.23 s  records.ndjson 430 rows (+2 files)        never run',
      'ran     figures[2013]                    1.23 s  figures.json 5 items                      never run',
      'ran     render                           1.23 s  23 files, 1.1 MB                          never run',
    ],
  );
  assert.is(describeOutputs([table('a.csv', 1), table('b.csv', 2)]), 'a.csv 1 row, b.csv 2 rows');
});

test('the run list in a real run prints every step at the same column', async ({ p }) => {
  const r = await p.cli('run');
  const lines = r.out.filter((l) => /^ran /.test(l));
  assert.is(lines.length, 5);
  assert.equal([...new Set(lines.map((l) => l.indexOf(' s ')))].length, 1, lines.join('\n'));
  assert.equal(statuses(r.out), { 'sum[2013]': 'ran', 'sum[2014]': 'ran', 'scale[2013]': 'ran', 'scale[2014]': 'ran', combine: 'ran' });
});

test('the arithmetic project still runs with its flags: --no-wait, --keep-going, --lock-timeout', async () => {
  const p = arithmeticProject();
  try {
    const r = await p.cli('run', '--no-wait', '--keep-going', '--lock-timeout', '5');
    assert.is(r.code, 0, r.err.join('\n'));
    assert.is((await p.cli('run', '--lock-timeout', 'soon')).code, 2);
    assert.match(readFileSync(join(p.dir, 'reports/report.md'), 'utf8'), 'The scaled total is 32.');
  } finally {
    p.remove();
  }
});

test('-S sets a parameter for one invocation: typed, checked, in the key, the manifest and the run log', async ({ p }) => {
  await p.cli('run');
  const defaultKey = p.read('derived/scale/LATEST[2013]').trim();
  const status = await p.cli('status', '-S', 'scale.factor=3');
  assert.ok(status.out.includes('              param factor changed: 10 → 3'), status.out.join('\n'));
  const r = await p.cli('run', '-S', 'scale.factor=3', '--set=scale[2014].unit=km');
  assert.is(r.code, 0, r.err.join('\n'));
  assert.is(p.read('reports/all.txt'), 'scale[2013]:scaled.txt=9 m\nscale[2014]:scaled.txt=15 km\n');
  const key = p.read('derived/scale/LATEST[2014]').trim();
  const manifest = JSON.parse(p.read(`derived/scale/${key}/manifest.json`));
  assert.equal([manifest.components.params, manifest.overrides], [{ factor: 3, unit: 'km' }, { factor: 3, unit: 'km' }]);
  const log = p.read('derived/runs.ndjson').trim().split('\n').map((l) => JSON.parse(l)).slice(-5);
  assert.equal(log.map((l) => l.overrides ?? null), [null, null, { factor: 3 }, { factor: 3, unit: 'km' }, null]);
  // The next plain run is the default one again, served from the cache.
  const again = await p.cli('run');
  assert.equal(statuses(again.out)['scale[2013]'], 'cached');
  assert.is(p.read('derived/scale/LATEST[2013]').trim(), defaultKey);
  assert.is(p.read('reports/all.txt'), 'scale[2013]:scaled.txt=30 m\nscale[2014]:scaled.txt=50 m\n');
});

test('-S rejects an unknown step or parameter, and a value of the wrong type, naming what is allowed', async ({ p }) => {
  const cases: Array<[string, string[]]> = [
    ['scael.factor=3', ['pipeline: -S scael.factor=3: no step named "scael"', '  Did you mean "scale"?']],
    ['scale.facter=3', ['pipeline: -S scale.facter=3: step "scale" has no parameter "facter"', '  Did you mean "factor"? Its parameters: factor, unit.']],
    ['scale.factor=three', ['pipeline: -S scale.factor=three: "three" is not of type number', '  Expected: number. Default: 10.']],
    ['scale.unit=mile', ['pipeline: -S scale.unit=mile: "mile" is not an allowed value', '  Allowed values: "m", "km". Default: "m".']],
    ['sum.total=1', ['pipeline: -S sum.total=1: step "sum" has no parameter "total"', '  It takes no parameters.']],
    ['scale.factor', ['pipeline: -S scale.factor: expected step.param=value', '  For example: -S correlate.method=spearman (npm run pipeline -- params lists them).']],
  ];
  for (const [text, message] of cases) {
    const r = await p.cli('run', '-S', text);
    assert.equal([r.code, ...lines(r.err)], [2, ...message], text);
  }
  assert.not.ok(p.exists('derived/runs.ndjson'), 'nothing ran');
});

test('params lists every parameter with its type, allowed values, default and the value the last run used', async ({ p }) => {
  const before = await p.cli('params');
  assert.equal(before.out, [
    'scale.factor  number',
    '    default 10; last run: (not run yet)',
    'scale.unit  string ("m" | "km")  the unit written after the value',
    '    default "m"; last run: (not run yet)',
  ]);
  await p.cli('run', '-S', 'scale[2014].factor=2');
  const after = await p.cli('params');
  assert.equal(after.out[1], '    default 10; last run: scale[2013] 10, scale[2014] 2');
  assert.equal(after.out[3], '    default "m"; last run: "m"');
});

test.run();
