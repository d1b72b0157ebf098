import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import render from '../../../steps/render.js';
import { heatmapSpec, levelsSpec } from '../../../lib/report/figures.js';
import { readCorrelations, readLevels } from '../../../lib/report/inputs.js';
import { compileSpec, renderSvg, renumberIds } from '../../../lib/report/svg.js';
import { art, fixture, fixtureInputs, text } from '../../steps/render/fixture-inputs.js';
import { labels } from '../../study.js';

const schema = JSON.parse(readFileSync(new URL('../../../node_modules/vega-lite/build/vega-lite-schema.json', import.meta.url), 'utf8'));
// Formats (uri) are not checked: the spec's $schema is a URL we write ourselves.
const ajv = new Ajv({ strict: false, allErrors: true, allowUnionTypes: true, validateFormats: false });
const validate = ajv.compile(schema);

const out = await render(fixtureInputs(), {});
const specs = Object.keys(out)
  .filter((n) => n.endsWith('.vl.json'))
  .sort()
  .map((name) => ({ name, spec: JSON.parse(text(out, name)) as object }));

test('render ships the five figures, each spec beside its SVG', () => {
  assert.equal(
    specs.map((s) => s.name),
    ['figures/published-vs-recomputed.vl.json', 'figures/table2-levels.vl.json', 'figures/table3-heatmap.vl.json', 'figures/table4-heatmap.vl.json', 'figures/table5-nudges.vl.json'],
  );
  for (const { name } of specs) assert.ok(text(out, name.replace('.vl.json', '.svg')).startsWith('<svg'), name);
});

test('each SVG, opened on its own, names what it shows and its wave', () => {
  for (const { name } of specs) {
    const svg = text(out, name.replace('.vl.json', '.svg'));
    // The fixture's latest wave is 2014; the reproduction check compares the article's wave, 2013.
    const wave = name.includes('published-vs-recomputed') ? 'Wave 2013' : 'Wave 2014';
    assert.ok(svg.includes(`>${wave}</text>`), `${name}: ${wave} inside the drawing`);
    assert.ok(/class="mark-text role-title-text"/.test(svg), `${name}: a title inside the drawing`);
  }
});

test('every spec is valid against the Vega-Lite JSON schema', () => {
  for (const { name, spec } of specs) {
    const ok = validate(spec);
    assert.ok(ok, `${name}: ${ajv.errorsText(validate.errors)}`);
  }
});

test('the schema check can fail: a misspelt mark type is rejected', () => {
  assert.not.ok(validate({ data: { values: [] }, mark: 'barr' }));
});

test('every spec compiles without a warning', () => {
  for (const { name, spec } of specs) assert.equal(compileSpec(spec).warnings, [], name);
  assert.ok(compileSpec({ data: { values: [] }, mark: 'bar', encoding: { x: { field: 'a', type: 'quantitative', aggregate: 'nonsense' } } }).warnings.length > 0, 'the logger does capture warnings');
});

test('the same spec renders to the same SVG bytes, and to what render shipped', async () => {
  for (const { name, spec } of specs) {
    const a = await renderSvg(spec);
    const b = await renderSvg(spec);
    assert.is(a.svg, b.svg, name);
    assert.is(`${a.svg}\n`, text(out, name.replace('.vl.json', '.svg')), name);
  }
});

test('ids are renumbered per figure, references follow them', () => {
  const svg = '<svg><path fill="url(#gradient_7)"/><defs><linearGradient id="gradient_7"/><clipPath id="clip12"/></defs><g clip-path="url(#clip12)"/></svg>';
  assert.is(renumberIds(svg), '<svg><path fill="url(#gradient1)"/><defs><linearGradient id="gradient1"/><clipPath id="clip1"/></defs><g clip-path="url(#clip1)"/></svg>');
});

test('heatmap: no mark where a question was not asked, colour domain symmetric about 0, significance in the label', () => {
  const rows = readCorrelations(art('correlate:table3.csv', fixture('table3.csv')));
  const spec = heatmapSpec(labels, rows, 2014, 'individual') as any;
  const values = spec.data.values as Array<{ column: string; row: string; label: string; significant: boolean }>;
  assert.not.ok(values.some((v) => v.row === 'Gender'), 'a row of empty r (not asked) draws nothing');
  assert.equal(spec.layer[0].encoding.color.scale.domain, [-0.2, 0.2]);
  assert.is(spec.layer[0].encoding.color.scale.domainMid, 0);
  assert.ok(values.some((v) => v.row === 'Satisfied: response · Crime' && v.column === 'Barnet Comm safety' && v.label === '0.160**' && v.significant));
});

test('levels: one bar per measure present, dashes left out', () => {
  const spec = levelsSpec(labels, readLevels(art('index:table2.csv', fixture('table2.csv'))), 2014) as any;
  assert.equal(
    spec.data.values.map((v: any) => `${v.cell}|${v.measure}|${v.label}`),
    [
      'Barnet · community safety|Individual index|45',
      'Barnet · community safety|Collective (groups)|13',
      'Bristol · environment|Individual index|67',
      'Bristol · environment|Collective (groups)|90',
      'Bristol · environment|Willing (hours a month)|44',
      'Bristol · community safety|Individual index|57',
      'Bristol · community safety|Collective (groups)|28',
      'Bristol · community safety|Willing (hours a month)|36',
    ],
  );
});

test.run();
