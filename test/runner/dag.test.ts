import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { definePipeline, output, raw, step, withUpstream, downstreamOf } from '../../runner/dag.js';
import { PipelineError } from '../../runner/errors.js';

const s = (name: string, reads: string[] = []) =>
  step(name, { description: name, module: `steps/${name}.ts`, inputs: reads.length ? { in: reads.map((r) => output(r, 'out.json')) } : { in: raw('raw/*') } });

test('steps come out in dependency order whatever order they are declared in', () => {
  const p = definePipeline([s('render', ['index']), s('index', ['clean']), s('clean')]);
  assert.equal(p.steps.map((x) => x.name), ['clean', 'index', 'render']);
});

test('a cycle is refused, naming the steps on it', () => {
  assert.throws(() => definePipeline([s('a', ['b']), s('b', ['a'])]), (e: Error) => e instanceof PipelineError && e.message === 'the pipeline has a cycle: a → b → a');
});

test('reading from an unknown step is refused with a suggestion', () => {
  assert.throws(
    () => definePipeline([s('clean'), s('index', ['clea'])]),
    (e: PipelineError) => e.message === 'step "index" reads an output of "clea", which is not a step of this pipeline' && e.hint === 'Do you mean "clean"?',
  );
});

test('duplicate and malformed step names are refused', () => {
  assert.throws(() => definePipeline([s('clean'), s('clean')]), /declared twice/);
  assert.throws(() => definePipeline([s('Clean Step')]), /lowercase/);
});

test('selecting a step brings its upstream steps, and downstream is transitive', () => {
  const p = definePipeline([s('clean'), s('validate', ['clean']), s('index', ['validate']), s('correlate', ['index']), s('regress', ['index'])]);
  assert.equal(withUpstream(p, ['correlate']).map((x) => x.name), ['clean', 'validate', 'index', 'correlate']);
  assert.equal([...downstreamOf(p, 'validate')], ['index', 'correlate', 'regress']);
  assert.throws(() => withUpstream(p, ['corelate']), /no step named "corelate"/);
});

test.run();
