import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Ajv from 'ajv';
import pipeline from '../../pipeline.js';
import { definePipeline, raw, step } from '../../runner/dag.js';
import { leaves, paramSchemaOf, parseOverrides, withOverrides } from '../../runner/params.js';

const declared = definePipeline([
  step('fit', {
    description: 'fits',
    module: 'steps/fit.ts',
    inputs: { data: raw('raw/*') },
    params: { method: 'ols', tolerances: { r: 0.02 }, iterations: 10 },
    paramSchema: { method: { type: 'string', enum: ['ols', 'wls'] }, iterations: { type: 'integer', minimum: 1 } },
  }),
]);

test('a step schema: declared parts as declared, the rest typed by their defaults, nested objects closed', () => {
  assert.equal(paramSchemaOf(declared.steps[0]!), {
    type: 'object',
    additionalProperties: false,
    default: { method: 'ols', tolerances: { r: 0.02 }, iterations: 10 },
    properties: {
      method: { type: 'string', enum: ['ols', 'wls'], default: 'ols' },
      tolerances: { type: 'object', additionalProperties: false, default: { r: 0.02 }, properties: { r: { type: 'number', default: 0.02 } } },
      iterations: { type: 'integer', minimum: 1, default: 10 },
    },
  });
  assert.equal(leaves(paramSchemaOf(declared.steps[0]!)).map(([p]) => p), ['method', 'tolerances.r', 'iterations']);
});

test('overrides are typed and checked by the schema; only values that differ from the defaults are recorded', async () => {
  const overrides = await parseOverrides(declared, ['fit.tolerances.r=0.05', 'fit.iterations=20', 'fit.method=ols']);
  assert.equal(overrides.map((o) => o.value), [0.05, 20, 'ols']);
  const [fit] = withOverrides(declared, overrides).steps;
  assert.equal(fit!.params, { method: 'ols', tolerances: { r: 0.05 }, iterations: 20 });
  assert.equal(fit!.overrides, { 'tolerances.r': 0.05, iterations: 20 });
  assert.is(declared.steps[0]!.params && (declared.steps[0]!.params as any).iterations, 10, 'the declaration is left as it was');
  const problem = (text: string) => parseOverrides(declared, [text]).then(() => 'accepted', (e: Error) => e.message);
  assert.is(await problem('fit.iterations=2.5'), '-S fit.iterations=2.5: 2.5 is not of type integer');
  assert.is(await problem('fit.iterations=0'), '-S fit.iterations=0: 0 is below the minimum 1');
  assert.is(await problem('fit.method=gls'), '-S fit.method=gls: "gls" is not an allowed value');
});

test("every step of the project's pipeline: its defaults satisfy its own parameter schema", () => {
  const ajv = new (Ajv as any)({ allErrors: true, strict: false });
  for (const s of pipeline.steps) {
    const validate = ajv.compile(paramSchemaOf(s));
    assert.ok(validate(s.params), `${s.name}: ${JSON.stringify(validate.errors)}`);
  }
});

test.run();
