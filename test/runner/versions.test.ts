import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { definePipeline, raw, step } from '../../runner/dag.js';
import { expandPipeline } from '../../runner/expand.js';
import { pickVersion, versionOf, versionsGlob } from '../../runner/versions.js';
import { DAG_MODULE, fixtureProject, statuses } from './fixture-project.js';

const BASE = 'raw/books/a.json';

test('a versioned file is found by a glob beside its first version', () => {
  assert.is(versionsGlob(BASE), 'raw/books/a.*.json');
  assert.is(versionOf(BASE, 'raw/books/a.2014.json'), '2014');
  assert.is(versionOf(BASE, BASE), undefined);
  assert.is(versionOf(BASE, 'raw/books/a.x.y.json'), undefined, 'one token, no dots');
  assert.is(versionOf(BASE, 'raw/books/ab.2014.json'), undefined);
});

test('each value reads the latest version at or before it, else the first version', () => {
  const files = [BASE, 'raw/books/a.2014.json', 'raw/books/a.2016.json'];
  assert.is(pickVersion(BASE, files, '2013'), BASE);
  assert.is(pickVersion(BASE, files, '2014'), 'raw/books/a.2014.json');
  assert.is(pickVersion(BASE, files, '2015'), 'raw/books/a.2014.json', 'a version carries forward');
  assert.is(pickVersion(BASE, files, '2017'), 'raw/books/a.2016.json');
  assert.is(pickVersion(BASE, ['raw/books/a.9.json', 'raw/books/a.10.json'], '10'), 'raw/books/a.10.json', 'values compare as numbers');
  assert.is(pickVersion(BASE, ['raw/books/a.2014.json'], '2013'), undefined, 'nothing applies before the first version');
});

test('a branch holds only the version that applies to it', () => {
  const pipeline = definePipeline(
    [step('clean', { description: 'c', module: 'steps/c.ts', forEach: ['wave', 'area'], inputs: { data: raw('raw/{wave}/{area}.csv'), book: raw('raw/books/{area}.json', { versionedBy: 'wave' }) } })],
    { wildcards: ['raw/{wave}/{area}.csv'] },
  );
  const expanded = expandPipeline(pipeline, () => ['raw/2013/a.csv', 'raw/2014/a.csv']);
  assert.equal(expanded.steps.map((s) => s.inputs.book), [
    [{ kind: 'raw', glob: 'raw/books/a.json', versionedBy: 'wave', version: '2013' }],
    [{ kind: 'raw', glob: 'raw/books/a.json', versionedBy: 'wave', version: '2014' }],
  ]);
});

test('a versioned input must name one file and fan out over its version wildcard', () => {
  const declare = (book: ReturnType<typeof raw>, forEach: string[]) =>
    definePipeline([step('clean', { description: 'c', module: 'steps/c.ts', forEach, inputs: { data: raw('raw/{wave}/*.csv'), book } })], { wildcards: ['raw/{wave}/*.csv'] });
  assert.throws(() => declare(raw('raw/books/*.json', { versionedBy: 'wave' }), ['wave']), /names one file/);
  assert.throws(() => declare(raw('raw/books/a.json', { versionedBy: 'area' }), ['wave']), /versioned by "area", but does not fan out over it/);
});

test('a new version re-runs the branches it applies to and leaves earlier ones cached', async () => {
  const p = fixtureProject({
    'pipeline.ts': `import { definePipeline, step, raw } from '${DAG_MODULE}';
export default definePipeline([
  step('apply', { description: 'applies the rule', module: 'steps/apply.ts', forEach: ['wave'], inputs: { data: raw('raw/{wave}/data.txt'), rule: raw('raw/rule.txt', { versionedBy: 'wave' }) } }),
], { wildcards: ['raw/{wave}/data.txt'] });
`,
    'raw/2013/data.txt': '1\n',
    'raw/2014/data.txt': '2\n',
    'raw/2015/data.txt': '3\n',
    'raw/rule.txt': 'x1\n',
    'steps/apply.ts': `export default (inputs: any) => ({ 'out.txt': inputs.rule.map((a: any) => a.path).join(',') + ' ' + inputs.data[0].text() });\n`,
  });
  try {
    assert.equal(statuses((await p.cli('run')).out), { 'apply[2013]': 'ran', 'apply[2014]': 'ran', 'apply[2015]': 'ran' });
    p.write('raw/rule.2014.txt', 'x2\n');
    const r = await p.cli('run');
    assert.equal(statuses(r.out), { 'apply[2013]': 'cached', 'apply[2014]': 'ran', 'apply[2015]': 'ran' });
    assert.match((await p.cli('explain', 'apply[2015]:out.txt')).out.join('\n'), /raw\/rule\.2014\.txt/);
    assert.not.match((await p.cli('explain', 'apply[2015]:out.txt')).out.join('\n'), /raw\/rule\.txt/);
    p.write('raw/rule.2016.txt', 'x3\n');
    assert.equal(statuses((await p.cli('run')).out), { 'apply[2013]': 'cached', 'apply[2014]': 'cached', 'apply[2015]': 'cached' }, 'a version for a later value changes nothing yet');
  } finally {
    p.remove();
  }
});

test.run();
