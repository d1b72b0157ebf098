import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { artifact, DataError } from '../../contract/step.js';
import figures from '../../steps/figures.js';
import render from '../../steps/render.js';
import { fixture, fixtureInputs } from './render/fixture-inputs.js';
import { dataError } from '../data-error.js';

const text = (v: unknown) => (typeof v === 'string' ? v : Buffer.from((v as { content: Uint8Array }).content ?? (v as Uint8Array)).toString('utf8'));

test('render given the figures step’s drawings writes exactly what it writes when it draws them itself', async () => {
  const inputs = fixtureInputs();
  const bundle = text((await figures(inputs, {}))['figures.json']);
  const withDrawings = await render({ ...inputs, figures: [artifact('figures[2014]:figures.json', bundle)] }, {});
  const selfDrawn = await render(inputs, {});
  assert.equal(Object.keys(withDrawings).sort(), Object.keys(selfDrawn).sort());
  for (const name of Object.keys(selfDrawn)) assert.is(text(withDrawings[name]), text(selfDrawn[name]), name);
  assert.equal(JSON.parse(bundle).figures.map((f: { name: string }) => f.name), ['table2-levels', 'table3-heatmap', 'table4-heatmap', 'table5-nudges', 'published-vs-recomputed']);
});

test('a drawing made from other data than render is given is refused, naming the figure', async () => {
  const inputs = fixtureInputs();
  const stale = text((await figures(inputs, {}))['figures.json']);
  const changed = fixtureInputs({ replace: { table2: fixture('table2.csv').replace('2014,Barnet,community safety,40,45.2,', '2014,Barnet,community safety,40,45.3,') } });
  try {
    await render({ ...changed, figures: [artifact('figures[2014]:figures.json', stale)] }, {});
    assert.unreachable('a stale drawing was used');
  } catch (e) {
    assert.instance(e, DataError);
    assert.match((e as Error).message, 'no drawing of figure "table2-levels" matches the data render was given');
  }
});

test('a figures.json not of the shape the figures step writes is a DataError naming file, path and value', async () => {
  const inputs = fixtureInputs();
  const bundle = JSON.parse(text((await figures(inputs, {}))['figures.json']));
  bundle.figures[1].svg = null;
  const e = await dataError(async () => render({ ...inputs, figures: [artifact('figures[2014]:figures.json', JSON.stringify(bundle))] }, {}));
  assert.equal([e.where.file, e.where.path, e.where.value], ['figures[2014]:figures.json', '/figures/1/svg', null]);
  assert.match(e.message, 'must be string, as schemas/figures.schema.json');
});

test.run();
