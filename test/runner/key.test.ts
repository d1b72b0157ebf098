import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalJson } from '../../runner/hash.js';
import { openProject } from '../../runner/project.js';
import { resolveStep } from '../../runner/resolve.js';
import { DAG_MODULE, fixtureProject } from './fixture-project.js';

test('canonical JSON sorts keys at every depth and drops undefined members', () => {
  assert.is(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } }), '{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
});

const project = (inputs: string, params: string) =>
  fixtureProject({
    'pipeline.ts': `import { definePipeline, step, raw } from '${DAG_MODULE}';
export default definePipeline([step('only', { description: 'x', module: 'steps/only.ts', inputs: ${inputs}, params: ${params} })]);\n`,
    'steps/only.ts': 'export default () => ({});\n',
    'raw/x/1.csv': 'a\n',
    'raw/y/2.csv': 'b\n',
  });

async function keyOf(inputs: string, params: string) {
  const p = project(inputs, params);
  try {
    const opened = await openProject({ root: p.dir });
    return resolveStep(opened, opened.pipeline.steps[0]!, new Map()).key;
  } finally {
    p.remove();
  }
}

test('the key does not depend on the order inputs, globs or parameter keys are written in', async () => {
  const a = await keyOf(`{ one: [raw('raw/x/*.csv'), raw('raw/y/*.csv')], two: raw('raw/*/*.csv') }`, `{ alpha: 1, beta: { c: 2, d: 3 } }`);
  const b = await keyOf(`{ two: raw('raw/*/*.csv'), one: [raw('raw/y/*.csv'), raw('raw/x/*.csv')] }`, `{ beta: { d: 3, c: 2 }, alpha: 1 }`);
  assert.is(a, b);
  assert.match(a, /^[0-9a-f]{64}$/);
});

test('the key depends on which input name a file is given under, and on parameter values', async () => {
  const base = await keyOf(`{ one: raw('raw/x/*.csv') }`, `{ alpha: 1 }`);
  assert.is.not(base, await keyOf(`{ other: raw('raw/x/*.csv') }`, `{ alpha: 1 }`));
  assert.is.not(base, await keyOf(`{ one: raw('raw/x/*.csv') }`, `{ alpha: 2 }`));
});

test.run();
