import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataError } from '../../../contract/step.js';
import render from '../../../steps/render.js';
import { fixture, fixtureInputs, sha, text, withoutPanelScripts } from './fixture-inputs.js';
import { PANEL_SCRIPT } from '../../../lib/report/cell-panel.js';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { dataError } from '../../data-error.js';
import { expandedRows } from '../../row-lineage.js';

const out = await render(fixtureInputs(), {});
const md = text(out, 'paper.md');
const html = text(out, 'paper.html');

test('render writes the paper, its figures and its tables under the names reports/ expects', () => {
  assert.equal(Object.keys(out).sort(), [
    'figures/published-vs-recomputed.svg',
    'figures/published-vs-recomputed.vl.json',
    'figures/table2-levels.svg',
    'figures/table2-levels.vl.json',
    'figures/table3-heatmap.svg',
    'figures/table3-heatmap.vl.json',
    'figures/table4-heatmap.svg',
    'figures/table4-heatmap.vl.json',
    'figures/table5-nudges.svg',
    'figures/table5-nudges.vl.json',
    'paper.html',
    'paper.md',
    'provenance.json',
    'tables/audit.csv',
    'tables/audit.csv.lineage.json',
    'tables/reproduction.csv',
    'tables/reproduction.csv.lineage.json',
    'tables/table2.csv',
    'tables/table2.csv.lineage.json',
    'tables/table3.csv',
    'tables/table3.csv.lineage.json',
    'tables/table4.csv',
    'tables/table4.csv.lineage.json',
    'tables/table5.csv',
    'tables/table5.csv.lineage.json',
    'tables/time-items.csv',
    'tables/time-items.csv.lineage.json',
  ]);
});

test('paper.md opens with the title, the synthetic-data notice and the one-line reproduction count', () => {
  const head = md.split('\n\n').slice(0, 3);
  assert.is(head[0], '# Individual and collective co-production of public services in five UK council areas: a regenerated analysis');
  assert.ok(head[1]!.startsWith('> **Synthetic data.** The survey exports shipped with this project are a synthetic replica'));
  assert.is(
    head[2],
    '**Reproduction check (wave 2013): of 218 published values, 5 match, 3 are within tolerance, 3 differ (0 of them flagged suspect in the transcription) and 207 could not be computed from the data.** Details in the section on reproduction.',
  );
});

test('without a synthetic flag there is no synthetic notice', async () => {
  const real = text(await render(fixtureInputs({ synthetic: false }), {}), 'paper.md');
  assert.not.ok(real.includes('Synthetic data'));
  assert.ok(real.includes('The panel exports in raw/ are the data this report was computed from.'));
});

test('the latest wave leads; the earlier one is kept in an appendix', () => {
  assert.ok(md.includes('The data hold two waves (2014, 2013). The main sections report the latest, 2014; the tables of earlier waves are in Appendix A.'));
  assert.ok(md.indexOf('## 2. Findings, wave 2014') < md.indexOf('## Appendix A. Earlier waves'));
  assert.ok(md.includes('**Table 3 (2013).** Correlates of individual co-production: Pearson correlations by area and theme (wave 2013)'));
  assert.ok(md.includes('## Appendix B. Provenance'));
});

test('tables carry the paper layout: sub-item cells, dashes, Table 1 respondents from the data', () => {
  assert.ok(md.includes('| Satisfaction with the public response | Crime: 0.160\\*\\* ASB: 0.168\\*\\* | - | - |'));
  assert.ok(md.includes('| People can make a difference | Crime: 0.348\\*\\* ASB: 0.327\\*\\* | 0.220\\*\\* | - |'));
  assert.ok(md.includes('| Barnet (London Borough of Barnet) | England | 357,500 (2011) | London borough, unitary authority | community safety, wellbeing | yes | 430 | 40 |'));
  assert.ok(md.includes('| Swansea (City and County of Swansea Council) | Wales | 239,000 (2011) | Medium-sized free-standing city, unitary authority | environment | no | 706 | - |'));
});

test('findings are computed from the fixture, not copied', () => {
  assert.ok(md.includes('Across three area-theme cells, the individual co-production index runs from 45% in community safety in Barnet to 67% in environment in Bristol, a spread of 22 points.'));
  assert.ok(md.includes('In community safety in Barnet, 8% already give at least a few hours a month and 20% would give at least a few hours more: more respondents offer extra time than already give it, by 12 points.'));
  assert.ok(md.includes('Two of the 4 nudge coefficients are significant at the 5% level: 1 of 3 for individual and 1 of 1 for collective co-production. All of them are positive.'));
});

test('rendering twice from the same inputs gives the same bytes, and no output carries a time or date', async () => {
  const again = await render(fixtureInputs(), {});
  for (const name of Object.keys(out)) {
    assert.is(text(again, name), text(out, name), name);
    assert.not.ok(/\d{4}-\d{2}-\d{2}T|\b\d{2}:\d{2}:\d{2}\b/.test(text(out, name)), `${name} contains a timestamp`);
  }
});

test('labels from data are escaped in Markdown and HTML, and formula-guarded in CSV', async () => {
  const hostile = fixture('table2.csv').replace('2014,Barnet,community safety', '2014,<script>alert(1)</script>,"=HYPERLINK(""http://x"",""y"")"');
  const bad = await render(fixtureInputs({ replace: { table2: hostile } }), {});
  const m = text(bad, 'paper.md');
  const h = text(bad, 'paper.html');
  assert.ok(m.includes('\\<script>alert(1)\\</script>'));
  assert.not.ok(/<script/i.test(withoutPanelScripts(h)), 'no script element in the HTML but the panel\'s');
  assert.ok(h.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(h.includes('=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)'));
  assert.ok(text(bad, 'tables/table2.csv').includes(`2014,<script>alert(1)</script>,"'=HYPERLINK(""http://x"",""y"")"`));
  assert.not.ok(/<svg[^]*<script/i.test(text(bad, 'figures/table2-levels.svg')));
});

test('the HTML is one self-contained file: inline CSS and SVG, nothing fetched, no script but the panel\'s, allowed by its hash', () => {
  assert.ok(html.startsWith('<!DOCTYPE html>'));
  const hash = createHash('sha256').update(PANEL_SCRIPT).digest('base64');
  assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-${hash}'">`));
  assert.is((html.match(/<svg /g) ?? []).length, 5);
  assert.not.ok(/<(script|link|iframe|img)\b/i.test(withoutPanelScripts(html)));
  assert.not.ok(/\s(src|href)="https?:/i.test(html));
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  assert.is(new Set(ids).size, ids.length, 'ids are unique across inlined figures');
});

test('the provenance appendix cites cache keys, code hashes and artifact hashes', () => {
  const short = (h: string) => h.slice(0, 12);
  assert.ok(md.includes(`| Table 3, Figure 2, tables/table3.csv | correlate:table3.csv | ${short(sha(fixture('table3.csv')))} | ${short(sha('key:correlate'))} | ${short(sha('code:correlate'))} |`));
  assert.ok(md.includes('npm run pipeline -- explain reports/tables/table3.csv'));
  assert.ok(md.includes(`| nudge-regress:table5.csv | ${short(sha(fixture('table5.csv')))} | no provenance record |  |`));
  // The full hashes are in provenance.json, not in the paper.
  assert.not.ok(md.includes(sha(fixture('table3.csv'))));
  const record = JSON.parse(text(out, 'provenance.json'));
  const table3 = record.sources.find((s: { element: string }) => s.element.startsWith('Table 3'));
  assert.equal(table3.inputs, [{ artifact: 'correlate:table3.csv', hash: sha(fixture('table3.csv')), key: sha('key:correlate'), codeHash: sha('code:correlate') }]);
});

test('reproduction and audit tables have their documented columns', () => {
  const rep = text(out, 'tables/reproduction.csv').split('\n');
  assert.is(rep[0], 'table,area,theme,predictor,item,outcome,term,published,target,recomputed,difference,tolerance,verdict,stars_published,stars_recomputed,suspect,note_ids');
  assert.is(rep.length - 2, 218);
  assert.ok(rep.includes('3,Barnet,community safety,conditions,,,,0.162,0.162,0.15000,-0.01200,0.02,within tolerance,**,**,,'));
  assert.ok(rep.includes('1,Barnet,,respondents,,,,430,430,38,-392,0,differs,,,,'));
  assert.ok(rep.includes('4,Barnet,community safety,conditions,,,,-0.130,-0.130,,,0.02,not computed,,,yes,t4-barnet-cs-conditions-unstarred'));
  const aud = text(out, 'tables/audit.csv').split('\n');
  assert.is(aud[0], 'check,table,area,theme,predictor,item,outcome,term,claim,printed,n,p_at_n,stars_at_n,verdict,smallest_n,largest_n,transcription,agrees_with_transcription,note_ids,detail');
});

test('empty analysis tables leave out their tables and figures and say so once', async () => {
  const empty = await render(fixtureInputs({ replace: { table5: fixture('table5.csv').split('\n')[0] + '\n', timeItems: 'wave,area,theme,item,pct,n\n' } }), {});
  const m = text(empty, 'paper.md');
  assert.not.ok('figures/table5-nudges.svg' in empty);
  assert.not.ok(m.includes('**Table 5.**'));
  assert.not.ok(m.includes('**Table 2a.**'));
  assert.ok(m.includes('No nudge coefficients were estimated for this wave.'));
  assert.ok(m.includes('Nothing could be recomputed for the text (time items) and Table 5: the data hold no such values for wave 2013.'));
  assert.not.ok(/\| Table 5 \| Barnet/.test(m), 'no value-by-value list for a source with nothing recomputed');
});

test('a bad number stops the step with file, line, column and value', async () => {
  const broken = fixture('table3.csv').replace('0.162,40', 'abc,40');
  try {
    await render(fixtureInputs({ replace: { table3: broken } }), {});
    assert.unreachable('should have thrown');
  } catch (e) {
    assert.instance(e, DataError);
    assert.is((e as DataError).describe(), 'correlate:table3.csv:2, column "r", value "abc": expected a number or an empty cell');
  }
});

test('a missing column is named', async () => {
  try {
    await render(fixtureInputs({ replace: { table5: fixture('table5.csv').replace('se_hc3,', 'se_robust,') } }), {});
    assert.unreachable('should have thrown');
  } catch (e) {
    assert.instance(e, DataError);
    assert.match((e as DataError).message, 'missing column "se_hc3"');
  }
});

test('each analysis table is checked against its contract in schemas/: a renamed column names file, line 1 and column', async () => {
  const cases = [
    ['table2', 'table2.csv', 'index:table2.csv', 'willing_pct'],
    ['timeItems', 'time-items.csv', 'index:time-items.csv', 'pct'],
    ['table3', 'table3.csv', 'correlate:table3.csv', 'p_bh'],
    ['table4', 'table4.csv', 'correlate:table4.csv', 'method'],
    ['table5', 'table5.csv', 'nudge-regress:table5.csv', 'stars'],
  ] as const;
  for (const [input, file, path, column] of cases) {
    const renamed = fixture(file).replace(`,${column}`, `,${column}_x`);
    const e = await dataError(() => render(fixtureInputs({ replace: { [input]: renamed } }), {}));
    assert.equal(e.where, { file: path, line: 1, column }, input);
    assert.match(e.message, /schemas\/(index|correlate|nudge-regress)\.tables\.json/);
  }
});

test('each published analysis table has a row lineage, in the shape of schemas/row-lineage.schema.json, pointing at its branch\'s rows', async () => {
  const validate = new (Ajv as any)({ allErrors: true }).compile(JSON.parse(readFileSync(new URL('../../../schemas/row-lineage.schema.json', import.meta.url), 'utf8')));
  for (const name of ['table2', 'time-items', 'table3', 'table4', 'table5']) {
    const lineage = JSON.parse(text(out, `tables/${name}.csv.lineage.json`));
    assert.ok(validate(lineage), `${name}: ${JSON.stringify(validate.errors)}`);
    assert.is(expandedRows(text(out, `tables/${name}.csv.lineage.json`)).length, text(out, `tables/${name}.csv`).trimEnd().split('\n').length - 1);
  }
  const table3 = JSON.parse(text(out, 'tables/table3.csv.lineage.json'));
  assert.equal(table3.inputs, ['correlate:table3.csv']);
  // Row k is row k of the one branch: a single run, one row each.
  const rows = expandedRows(text(out, 'tables/table3.csv.lineage.json')).length;
  assert.equal(table3.sets, [[[0, [[1, rows]]]]]);
  assert.equal(table3.rows, [[rows, 0, 'each']]);
});

test('provenance.json holds every hash in full, in the shape of its schema', () => {
  const validate = new (Ajv as any)({ allErrors: true }).compile(JSON.parse(readFileSync(new URL('../../../schemas/report-provenance.schema.json', import.meta.url), 'utf8')));
  const record = JSON.parse(text(out, 'provenance.json'));
  assert.ok(validate(record), JSON.stringify(validate.errors));
});

test.run();
