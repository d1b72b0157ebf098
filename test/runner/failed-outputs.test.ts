import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DAG_MODULE, fixtureProject, statuses } from './fixture-project.js';

const STEP_MODULE = pathToFileURL(join(new URL('../..', import.meta.url).pathname, 'contract', 'step.ts')).href;

/** A step that rejects rows it cannot read and stops when more than `limit` of them are bad. */
function rejectingProject(limit: number) {
  return fixtureProject({
    'pipeline.ts': `import { definePipeline, step, raw } from '${DAG_MODULE}';
export default definePipeline([
  step('check', { description: 'checks', module: 'steps/check.ts', inputs: { numbers: raw('raw/numbers.txt') }, params: { limit: ${limit} } }),
]);
`,
    'raw/numbers.txt': '1\nx\n3\ny\n',
    'steps/check.ts': `import { DataErrorWithOutputs } from '${STEP_MODULE}';
export default (inputs: any, params: { limit: number }) => {
  const lines = inputs.numbers[0].text().split('\\n').filter(Boolean);
  const bad = lines.flatMap((l: string, i: number) => (Number.isNaN(Number(l)) ? [JSON.stringify({ line: i + 1, value: l, reason: 'not a number' }) + '\\n'] : []));
  const outputs = { 'rejected.ndjson': bad.join('') };
  if (bad.length > params.limit) throw new DataErrorWithOutputs(bad.length + ' rows rejected', { file: 'raw/numbers.txt' }, outputs);
  return { ...outputs, 'valid.txt': lines.filter((l: string) => !Number.isNaN(Number(l))).join('\\n') + '\\n' };
};
`,
  });
}

test('a step that fails handing over outputs has them kept in derived/<step>/failed/<key>/, named in the message, never served', async () => {
  const p = rejectingProject(1);
  try {
    const r = await p.cli('run');
    assert.is(r.code, 1);
    assert.equal(statuses(r.out), { check: 'failed' });
    const [key] = readdirSync(join(p.dir, 'derived', 'check', 'failed'));
    assert.match(key!, /^[0-9a-f]{64}$/);
    const message = [...r.out, ...r.err].join('\n');
    assert.ok(message.includes(`What it set aside is kept in derived/check/failed/${key}/ (never served from the cache).`), message);
    assert.is(p.read(`derived/check/failed/${key}/rejected.ndjson`), '{"line":2,"value":"x","reason":"not a number"}\n{"line":4,"value":"y","reason":"not a number"}\n');
    // No cache entry: the next run runs the step again, and fails the same way.
    assert.not.ok(p.exists(`derived/check/${key}`));
    const again = await p.cli('run');
    assert.equal(statuses(again.out), { check: 'failed' });
    // gc sweeps the folder.
    const gc = await p.cli('gc');
    assert.is(gc.code, 0, gc.err.join('\n'));
    assert.not.ok(p.exists('derived/check/failed'));
  } finally {
    p.remove();
  }
});

test('a step that succeeds leaves no failed folder', async () => {
  const p = rejectingProject(5);
  try {
    assert.is((await p.cli('run')).code, 0);
    assert.not.ok(p.exists('derived/check/failed'));
  } finally {
    p.remove();
  }
});

test.run();
