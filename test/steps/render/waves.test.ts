import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataError, type StepInputs } from '../../../contract/step.js';
import render from '../../../steps/render.js';
import { toHtml } from '../../../lib/report/html.js';
import { toMarkdown } from '../../../lib/report/markdown.js';
import { readWaveChanges, wavesSection } from '../../../steps/render/waves.js';
import { art, fixtureInputs, text, withoutPanelScripts } from './fixture-inputs.js';
import { labels } from '../../study.js';
import { dataError } from '../../data-error.js';

const PANEL = 'wave_from,wave_to,area,retained,lost,recruited,retention_pct\n';
const PAIRED = 'wave_from,wave_to,area,theme,outcome,n,mean_from,mean_to,mean_change,ci_low,ci_high,t,p,no_to_yes,yes_to_no,mcnemar,p_mcnemar,comparable,note\n';
const CORRELATIONS = 'wave_from,wave_to,table,area,theme,predictor,item,r_from,n_from,r_to,n_to,z,p,change,se_boot,ci_low_boot,ci_high_boot,p_boot,comparable,note\n';
const ATTRITION = 'wave_from,wave_to,area,theme,variable,n_retained,n_lost,mean_retained,mean_lost,difference,smd,smd_flag,t,p\n';

const note = 'question changed from wave 2013: raw/2014/wolverhampton.csv column env_cond_local_area (environment/conditions). Streets then, the whole area now.';

const tables = {
  panel: PANEL + '2013,2014,Barnet,3,1,2,75.00\n2013,2014,Swansea,8,2,0,80.00\n',
  paired:
    PAIRED +
    '2013,2014,Barnet,environment,individual,3,20.0000,25.0000,5.0000,-7.4207,17.4207,1.7321,0.225403,,,,,true,\n' +
    '2013,2014,Swansea,environment,collective,8,10.0000,40.0000,30.0000,12.5000,47.5000,4.0000,0.00519,3,0,1.3333,0.248213,true,\n',
  correlations:
    CORRELATIONS +
    '2013,2014,3,Barnet,environment,satisfaction_response,,0.300000,103,0.500000,103,1.6955,0.0899717,0.200000,0.090000,0.030000,0.380000,0.0262,true,\n' +
    '2013,2014,4,Barnet,environment,self_efficacy,,0.400000,50,-0.100000,80,-2.8308,0.00464388,-0.500000,0.200000,-0.880000,-0.120000,0.0124,true,\n' +
    `2013,2014,3,Wolverhampton,environment,conditions,,0.100000,100,0.400000,100,,,,,,,,false,"${note}"\n`,
  attrition:
    ATTRITION +
    '2013,2014,Barnet,environment,individual,3,2,60.0000,30.0000,-30.0000,-2.4495,yes,-2.5981,0.0123\n' +
    '2013,2014,Barnet,,gender,3,2,0.6667,0.5000,-0.1667,-0.0500,no,-0.4000,0.71\n',
};

const inputsOf = (t: typeof tables): StepInputs => ({
  panel: [art('compare-waves:panel.csv', t.panel)],
  pairedChanges: [art('compare-waves:paired-changes.csv', t.paired)],
  correlationChanges: [art('compare-waves:correlation-changes.csv', t.correlations)],
  attrition: [art('compare-waves:attrition.csv', t.attrition)],
});
const section = (t: typeof tables) => toMarkdown(wavesSection(labels, readWaveChanges(inputsOf(t)), 5));

test('the retention table and sentence come from panel.csv', () => {
  const md = section(tables);
  assert.match(md, /## 5\. The panel across waves/);
  assert.match(md, /Of the 14 respondents of wave 2013, 11 \(78\.6%\) answered again in 2014, identified by their panel ID; 3 did not, and 2 joined the panels in 2014\. By area, retention ran from 75\.0% in Barnet to 80\.0% in Swansea\./);
  assert.match(md, /\| 2013-2014 \| Barnet \| 3 \| 1 \| 2 \| 75\.0 \|/);
});

test('paired changes are tabled with their intervals, and the significant ones are named in words', () => {
  const md = section(tables);
  assert.match(md, /\| 2013-2014 \| Barnet \| environment \| Individual index \(0-100\) \| 3 \| 20\.00 \| 25\.00 \| \+5\.00 \| -7\.42 to 17\.42 \| 0\.225 \|/);
  assert.match(md, /One of the two changes tested is significant at 5%: the share taking part in groups rose in environment in Swansea \(2013-2014: \+30\.0 points, 95% CI 12\.5 to 47\.5, p = 0\.005\)\./);
  const tiny = section({ ...tables, paired: tables.paired.replace(',0.00519,', ',1.2e-7,') });
  assert.match(tiny, /95% CI 12\.5 to 47\.5, p < 0\.001\)/);
  assert.match(tiny, /\| 12\.50 to 47\.50 \| <0\.001 \|/);
});

test('correlation changes: how many changed, and the reworded question flagged, excluded and named', () => {
  const md = section(tables);
  assert.match(md, /Of the three correlations of Tables 3 and 4 present in consecutive waves, 2 were compared/);
  assert.match(md, /One changed significantly at 5%, against about 0\.1 expected by chance alone; after the Benjamini-Hochberg adjustment across the 2, one remains\./);
  assert.match(md, /One correlation was not compared and is flagged instead, because the codebooks record that the question behind it changed between the waves: perceived local conditions with co-production in environment in Wolverhampton \(Table 3\)\./);
  assert.match(md, /- `env_cond_local_area` of raw\/2014\/wolverhampton\.csv \(environment\/conditions\), changed since wave 2013: Streets then, the whole area now\./);
  assert.match(md, /\| 2013-2014 \| 4 \| Barnet \| environment \| People can make a difference \| 0\.400 \| -0\.100 \| -2\.83 \| 0\.005 \|/);
  assert.not.match(md, /\| Wolverhampton \| environment \| Perceived local conditions \|/, 'the incomparable cell is not among the changes');
});

test('attrition in words: standardised differences flagged above 0.1, with both means, SMD and p; the t test beside, not instead', () => {
  assert.match(section(tables), /In one of the two comparisons the SMD exceeds 0\.1 in size: in environment in Barnet \(2013-2014\), those who left had a lower individual co-production index at baseline \(30\.0 against 60\.0 among those who stayed, SMD -2\.45, p = 0\.012\)\. Changes in these cells should be read with that in mind\. Welch's test finds a difference at the 5% level in one of the two comparisons; about 0\.1 are expected by chance\./);
  const none = { ...tables, attrition: tables.attrition.replace('-2.4495,yes', '-0.0500,no') };
  assert.match(section(none), /No SMD exceeds 0\.1 in size in any of the two comparisons\./);
  const higher = { ...tables, attrition: tables.attrition.replace('60.0000,30.0000,-30.0000,-2.4495,yes,-2.5981', '30.0000,60.0000,30.0000,2.4495,yes,2.5981') };
  assert.match(section(higher), /those who left had a higher individual co-production index at baseline \(60\.0 against 30\.0/);
  assert.match(section(tables), /\| -2\.45 \| † \| 0\.012 \|/);
});

test('in HTML the numbers the sentences read from a cell carry its address; a bound such as p < 0.001 carries none', () => {
  const html = toHtml('t', wavesSection(labels, readWaveChanges(inputsOf(tables)), 5));
  for (const ref of ['panel.csv:1:retention_pct', 'panel.csv:2:retention_pct', 'paired-changes.csv:2:mean_change', 'paired-changes.csv:2:ci_low', 'paired-changes.csv:2:ci_high', 'paired-changes.csv:2:p', 'attrition.csv:1:mean_lost', 'attrition.csv:1:mean_retained', 'attrition.csv:1:smd', 'attrition.csv:1:p'])
    assert.match(html, new RegExp(`<p>[^\\n]*data-cell="${ref.replace(/\./g, '\\.')}"`), ref);
  assert.match(html, /\(2013-2014: \+<span data-cell="paired-changes\.csv:2:mean_change" tabindex="0">30\.0<\/span> points, 95% CI/);
});

test('one wave (header-only tables) says there is nothing to follow yet; no tables at all leaves the section out', () => {
  const md = section({ panel: PANEL, paired: PAIRED, correlations: CORRELATIONS, attrition: ATTRITION });
  assert.match(md, /The data hold one wave, so there is no change to follow yet/);
  assert.not.match(md, /Table W1/);
  assert.is(wavesSection(labels, readWaveChanges({}), 5).length, 0);
});

test('given some of the four tables but not all, render says which input is missing', () => {
  const partial = { ...inputsOf(tables), attrition: [] };
  assert.throws(() => readWaveChanges(partial), (e: unknown) => e instanceof DataError && /"attrition"/.test((e as Error).message));
  const bad = { ...tables, panel: PANEL + '2013,2014,Barnet,three,1,2,75.00\n' };
  assert.throws(() => readWaveChanges(inputsOf(bad)), (e: unknown) => e instanceof DataError && (e as DataError).where.column === 'retained');
});

test('data in the section is escaped in HTML and Markdown', () => {
  const hostile = { ...tables, panel: tables.panel.replace('Swansea', '<script>alert(1)</script>'), correlations: tables.correlations.replace('Streets then', '<img src=x onerror=alert(1)>') };
  const blocks = wavesSection(labels, readWaveChanges(inputsOf(hostile)), 5);
  const html = toHtml('t', blocks);
  assert.not.match(html, /<script|<img/i);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(toMarkdown(blocks), /\\<script>alert\(1\)\\<\/script>/);
});

test('render: with the four tables the paper gains the section and tables/ the four CSVs, formula-guarded', async () => {
  const hostile = { ...tables, correlations: tables.correlations.replace(`"${note}"`, '"=HYPERLINK(""http://x"")"') };
  const out = await render({ ...fixtureInputs(), ...inputsOf(hostile) }, {});
  for (const name of ['panel', 'paired-changes', 'correlation-changes', 'attrition']) assert.ok(`tables/${name}.csv` in out, `tables/${name}.csv`);
  assert.is(text(out, 'tables/panel.csv'), tables.panel);
  assert.match(text(out, 'tables/correlation-changes.csv'), /,false,"'=HYPERLINK\(""http:\/\/x""\)"\n$/);
  const md = text(out, 'paper.md');
  assert.ok(md.indexOf('## 4. Audit') < md.indexOf('## 5. The panel across waves') && md.indexOf('## 5. The panel across waves') < md.indexOf('## Data availability'));
  assert.match(md, /The panel across waves: Tables W1-W4/);
  assert.not.match(withoutPanelScripts(text(out, 'paper.html')), /<script/i);
});

test('each wave-comparison table is checked against schemas/compare-waves.tables.json: a missing column names file and column', () => {
  for (const [name, column] of [['panel', 'recruited'], ['paired', 'p_mcnemar'], ['correlations', 'p_boot'], ['attrition', 'smd_flag']] as const) {
    const header = tables[name].split('\n')[0]!;
    const e = dataError(() => readWaveChanges(inputsOf({ ...tables, [name]: `${header.replace(`,${column}`, '')}\n` })));
    assert.equal([e.where.line, e.where.column], [1, column], name);
    assert.match(e.where.file!, /^compare-waves:/);
    assert.match(e.message, 'schemas/compare-waves.tables.json');
  }
});

test.run();
