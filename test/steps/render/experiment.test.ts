import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import render from '../../../steps/render.js';
import { readExperiment } from '../../../lib/report/experiment-inputs.js';
import { labels, vocabulary } from '../../study.js';
import { experimentTables } from '../../../steps/render/experiment.js';
import { methodsSection } from '../../../steps/render/methods.js';
import { toMarkdown } from '../../../lib/report/markdown.js';
import { readLevels } from '../../../lib/report/inputs.js';
import { table2 } from '../../../lib/report/tables.js';
import { compileSpec } from '../../../lib/report/svg.js';
import type { ProvenanceRecord } from '../../../steps/render/provenance.js';
import { dataError } from '../../data-error.js';
import { art, fixtureInputs, text } from './fixture-inputs.js';

const ARMS = vocabulary.arms.map((a) => a.name);

const BALANCE = [
  'wave,area,themes,variable,n,n_none,n_a,n_b,n_both,mean_none,mean_a,mean_b,mean_both,smd_a,smd_b,smd_both,test,statistic,df1,df2,p,note',
  '2014,Barnet,community safety,gender,40,10,10,10,10,0.4000,0.5000,0.6000,0.3000,0.2000,0.4100,-0.2000,HC3 Wald F,1.2000,3,36,0.321,',
  '2014,Barnet,community safety,all (joint),40,10,10,10,10,,,,,,,,HC3 Wald chi-square,3.6000,3,,0.308,gender; respondents with all of them',
  '2014,Bristol,environment,,90,20,25,20,25,,,,,,,,,,,,,no pre-treatment variable was asked in this area: balance cannot be checked',
].join('\n') + '\n';
const FAMILY = 'wave 2014 unadjusted: 6 arm contrasts in 2 models';
const ESTIMATES = [
  'wave,area,theme,outcome,specification,controls,term,coef,se_hc3,t_hc3,p_hc3,stars,ci_low,ci_high,n,n_arm,n_none,mean_none,wald_f,wald_df1,wald_df2,wald_p,family,p_bh,p_holm',
  `2014,Barnet,community safety,individual,unadjusted,,nudge_a,-2.5000,4.0000,-0.6250,0.5360,,-10.6,5.6,40,10,10,45.0000,0.3000,3,36,0.825,${FAMILY},0.8,1`,
  `2014,Barnet,community safety,individual,unadjusted,,nudge_b,1.0000,4.0000,0.2500,0.8040,,-7.1,9.1,40,10,10,45.0000,0.3000,3,36,0.825,${FAMILY},0.8,1`,
  `2014,Barnet,community safety,individual,unadjusted,,both,0.5000,4.0000,0.1250,0.9010,,-7.6,8.6,40,10,10,45.0000,0.3000,3,36,0.825,${FAMILY},0.9,1`,
  `2014,Bristol,environment,individual,unadjusted,,nudge_a,9.0000,3.0000,3.0000,0.0030,**,3.0,15.0,90,25,20,60.0000,4.1000,3,86,0.009,${FAMILY},0.018,0.018`,
  `2014,Bristol,environment,individual,unadjusted,,nudge_b,0.2000,3.0000,0.0667,0.9470,,-5.8,6.2,90,20,20,60.0000,4.1000,3,86,0.009,${FAMILY},0.947,1`,
  `2014,Bristol,environment,individual,unadjusted,,both,2.0000,3.0000,0.6667,0.5070,,-4.0,8.0,90,25,20,60.0000,4.1000,3,86,0.009,${FAMILY},0.8,1`,
].join('\n') + '\n';
const POWER = [
  'wave,area,theme,outcome,term,n_arm,n_none,df,sigma,se,mde,se_hc3,mde_hc3,alpha,power',
  '2014,Barnet,community safety,individual,nudge_a,10,10,36,12.0000,5.3666,15.2000,4.0000,11.4000,0.05,0.8',
  '2014,Barnet,community safety,individual,nudge_b,10,10,36,12.0000,5.3666,15.2000,4.0000,11.4000,0.05,0.8',
  '2014,Barnet,community safety,individual,both,10,10,36,12.0000,5.3666,15.2000,4.0000,11.4000,0.05,0.8',
  '2014,Bristol,environment,individual,nudge_a,25,20,86,10.0000,3.0000,8.5000,3.0000,8.5000,0.05,0.8',
  '2014,Bristol,environment,individual,nudge_b,20,20,86,10.0000,3.1623,9.0000,3.0000,8.5000,0.05,0.8',
  '2014,Bristol,environment,individual,both,25,20,86,10.0000,3.0000,8.5000,3.0000,8.5000,0.05,0.8',
].join('\n') + '\n';
const INFO = JSON.stringify({
  wave: 2014,
  min_activity_answers: 3,
  alpha: 0.05,
  power: 0.8,
  adjust_for: ['gender'],
  pre_treatment: [{ area: 'Barnet', asked: ['gender'] }, { area: 'Bristol', asked: [] }],
  families: [{ specification: 'unadjusted', contrasts: 6, models: 2 }],
});

const experimentInputs = () => ({
  ...fixtureInputs(),
  balance: [art('experiment:balance.csv', BALANCE)],
  experiment: [art('experiment:experiment.csv', ESTIMATES)],
  power: [art('experiment:power.csv', POWER)],
  experimentInfo: [art('experiment:experiment.json', INFO)],
});

const out = await render(experimentInputs(), {});
const md = text(out, 'paper.md');

test('render publishes the experiment\'s tables unchanged and its section, tables and figure', () => {
  assert.is(text(out, 'tables/balance.csv'), BALANCE);
  assert.is(text(out, 'tables/experiment.csv'), ESTIMATES);
  assert.is(text(out, 'tables/power.csv'), POWER);
  for (const heading of ['## Methods', '### 2.5 The nudge experiment analysed as an experiment', '**Table E1.**', '**Table E2.**', '**Table E3.**', '*Figure E1.'])
    assert.ok(md.includes(heading), heading);
  assert.ok(md.includes('| Bristol | environment | individual | unadjusted | 9.0\\*\\*† (3.0 to 15.0) | 0.2 (-5.8 to 6.2) | 2.0 (-4.0 to 8.0) | 0.009 | 90 |'));
  assert.ok(md.includes('| Bristol | none asked | 20 / 25 / 20 / 25 |'));
  assert.ok(md.includes('Bristol asked no demographic question, so its randomisation cannot be checked'));
});

test('the findings are counted from the tables: significant contrasts, Holm, BH, MDE range', () => {
  assert.ok(md.includes('Of the 6 unadjusted arm contrasts of the wave, taken together as one family for the adjustments, one has p < .05, against about 0.3 expected by chance if no nudge did anything; one remains after Holm\'s adjustment (family-wise error) and one after Benjamini and Hochberg\'s (false discovery rate).'));
  assert.ok(md.includes('is between 8.5 and 15.2 points in wave 2014 (median 12.1; Table E3, Figure E1). One of the 6 unadjusted estimates is as large as the MDE of its cell.'));
  assert.ok(md.includes('The largest standardised difference is 0.41 (Barnet, share male, Nudge B against no nudge); p < .05 in 0 of 1 per-variable test and 0 of 1 joint test.'));
  assert.ok(md.includes('One of the 2 joint tests of the three arms has p < .05.'));
});

test('in paper.html the prose numbers read from a cell carry its address, the counts link to their table', () => {
  const html = text(out, 'paper.html');
  assert.ok(html.includes('The largest standardised difference is <span data-cell="balance.csv:1:smd_b" tabindex="0">0.41</span>'));
  assert.ok(html.includes('is between <span data-cell="power.csv:4:mde" tabindex="0">8.5</span> and <span data-cell="power.csv:3:mde" tabindex="0">15.2</span> points'));
  assert.ok(html.includes('(median <a class="counted" href="#tbl-e3">12.1</a>;'));
  assert.ok(html.includes('Of the <a class="counted" href="#tbl-e2">6</a> unadjusted arm contrasts'));
});

test("in the tables, every number of a cell is addressed: the tests' degrees of freedom, the arm sizes, the range of n over which stars hold", () => {
  const html = text(out, 'paper.html');
  assert.ok(html.includes('F (<span data-cell="balance.csv:1:df1" tabindex="0">3</span>, <span data-cell="balance.csv:1:df2" tabindex="0">36</span>)'));
  assert.ok(html.includes('<span data-cell="power.csv:1:n_none" tabindex="0">10</span> / <span data-cell="power.csv:1:n_arm" tabindex="0">10</span> / '));
  assert.match(html, /<span data-cell="audit\.csv:\d+:smallest_n" tabindex="0">\d+<\/span> to <span data-cell="audit\.csv:\d+:largest_n"/);
});

test('the power figure is valid Vega-Lite and compiles without warnings', () => {
  const schema = JSON.parse(readFileSync(new URL('../../../node_modules/vega-lite/build/vega-lite-schema.json', import.meta.url), 'utf8'));
  const ajv = new Ajv({ strict: false, allErrors: true, allowUnionTypes: true, validateFormats: false });
  const validate = ajv.compile(schema);
  const spec = JSON.parse(text(out, 'figures/power-mde.vl.json')) as { data: { values: { cell: string; mde: number; estimate: number }[] } };
  assert.ok(validate(spec), ajv.errorsText(validate.errors));
  assert.equal(compileSpec(spec).warnings, []);
  assert.equal(spec.data.values.filter((v) => v.cell === 'Bristol · environment').map((v) => [v.mde, v.estimate]), [[8.5, 9], [9, 0.2], [8.5, 2]]);
  assert.ok(text(out, 'figures/power-mde.svg').startsWith('<svg'));
});

test('without the experiment\'s tables Methods leaves out what only they record, and there is no experiment section; with only some, a DataError', async () => {
  const plain = text(await render(fixtureInputs(), {}), 'paper.md');
  assert.ok(plain.includes('## Methods'));
  assert.not.ok(plain.includes('has no index for that theme'), 'the minimum number of answers is recorded by the experiment step');
  assert.not.ok(plain.includes('### The nudge experiment (Section 2.5)'));
  assert.not.ok(plain.includes('2.5 The nudge experiment'));
  assert.ok(md.includes('fewer than three items has no index for that theme'));
  assert.ok(md.includes('**Table E2 (2013).**') === false, 'the fixture has no earlier wave of the experiment');
  const e = dataError(() => readExperiment({ ...fixtureInputs(), power: [art('experiment:power.csv', POWER)] }, ARMS));
  assert.match(e.message, /only some of the experiment's outputs \(power\)/);
});

test('each of the experiment\'s tables is checked against schemas/experiment.tables.json: an unexpected column names file and column', () => {
  for (const [input, path, text] of [['balance', 'experiment:balance.csv', BALANCE], ['experiment', 'experiment:experiment.csv', ESTIMATES], ['power', 'experiment:power.csv', POWER]] as const) {
    const e = dataError(() => readExperiment({ ...experimentInputs(), [input]: [art(path, `${text.split('\n')[0]},extra\n`)] }, ARMS));
    assert.equal(e.where, { file: path, line: 1, column: 'extra' }, input);
    assert.match(e.message, 'schemas/experiment.tables.json');
  }
});

test('an experiment.json not of the shape the experiment step writes is a DataError naming file, path and value', () => {
  const info = JSON.parse(INFO);
  info.families[0].contrasts = 'six';
  const e = dataError(() => readExperiment({ ...experimentInputs(), experimentInfo: [art('experiment[2014]:experiment.json', JSON.stringify(info))] }, ARMS));
  assert.equal(e.where, { file: 'experiment[2014]:experiment.json', line: 1, path: '/families/0/contrasts', value: 'six' });
  assert.match(e.message, 'must be integer, as schemas/experiment-info.schema.json');
});

test('an earlier wave gets Tables E1-E3 alone, labelled and anchored by wave', () => {
  const earlier = (csv: string) => csv.replace(/^2014,/gm, '2013,');
  const x = readExperiment({
    balance: [art('experiment:balance.csv', earlier(BALANCE))],
    experiment: [art('experiment:experiment.csv', earlier(ESTIMATES))],
    power: [art('experiment:power.csv', earlier(POWER))],
    experimentInfo: [art('experiment:experiment.json', INFO)],
  }, ARMS)!;
  const blocks = experimentTables(labels, x, [], 2013);
  assert.equal(blocks.map((b) => (b.kind === 'table' ? `${b.table.label}|${b.table.id}` : b.kind)), ['Table E1 (2013)|tbl-e1-2013', 'Table E2 (2013)|tbl-e2-2013', 'Table E3 (2013)|tbl-e3-2013']);
  assert.equal(experimentTables(labels, x, [], 2014), []);
});

const provenance = (step: string, params: unknown) => ({ step, key: 'k', module: '', codeHash: 'c', code: {}, dependencies: {}, runtime: {}, params, inputs: {}, lineage: {}, outputs: [] }) as ProvenanceRecord;

test('Methods follows the parameters the run used', () => {
  const info = { ...JSON.parse(INFO), min_activity_answers: 3 };
  const spearman = toMarkdown(methodsSection(labels, { latest: 2014, info, provenance: [provenance('correlate[2014]', { method: 'spearman' }), provenance('nudge-regress[2014]', { controls: ['conditions', 'gender'] })], cleaning: undefined, individual: [], collective: [], waves: false }));
  assert.ok(spearman.includes("Spearman's rank correlation"));
  assert.ok(spearman.includes('fewer than three items has no index'));
  assert.ok(spearman.includes("with perceived local conditions and gender as controls"));
  assert.ok(spearman.includes('5% two-sided'));
  assert.not.ok(spearman.includes('Comparing waves'));
  const pearson = toMarkdown(methodsSection(labels, { latest: 2014, info: { ...info, alpha: 0.1 }, provenance: [], cleaning: undefined, individual: [], collective: [], waves: true }));
  assert.ok(pearson.includes("Pearson's r"));
  assert.ok(pearson.includes('every predictor of Tables 3 and 4 as controls'));
  assert.ok(pearson.includes('10% two-sided'));
  assert.ok(pearson.includes('### Comparing waves'));
});

test('Methods counts the don\'t-know spellings, blanks and quarantined rows of the wave', () => {
  const column = (dk: Record<string, number>, blank: number) => ({ variable: 'v', recodes: {}, passed_through: {}, dont_know: dk, blank, trimmed: 0, case_folded: 0, quarantined: {} });
  const cleaning = {
    synthetic: true,
    files: {
      'raw/2014/a.csv': { wave: 2014, area: 'Barnet', quarantined: 2, columns: { q1: column({ "don't know": 5 }, 3), q2: column({ dk: 1, "don't know": 1 }, 0) } },
      'raw/2013/a.csv': { wave: 2013, area: 'Barnet', quarantined: 9, columns: { q1: column({ refused: 4 }, 8) } },
    },
  } as never;
  const text2014 = toMarkdown(methodsSection(labels, { latest: 2014, info: undefined, provenance: [], cleaning, individual: [], collective: [], waves: false }));
  assert.ok(text2014.includes('(in wave 2014: "dk" (1 cells) and "don\'t know" (6 cells))'));
  assert.ok(text2014.includes('no answer: 3 cells in wave 2014'));
  assert.ok(text2014.includes('Two rows were quarantined in wave 2014.'));
  assert.ok(text2014.includes('no separate refusal code'));
  const text2013 = toMarkdown(methodsSection(labels, { latest: 2013, info: undefined, provenance: [], cleaning, individual: [], collective: [], waves: false }));
  assert.ok(text2013.includes('Refusals are among the labels the codebooks count as don\'t know ("refused")'));
});

test('Table 2 prints each level\'s interval under it when table2.csv has them, and the note says which', () => {
  const csv = 'wave,area,theme,respondents,individual_pct,collective_pct,willing_pct,individual_ci_low,individual_ci_high,collective_ci_low,collective_ci_high,willing_ci_low,willing_ci_high\n2014,Barnet,community safety,430,41.39,14.39,,38.10,44.68,11.35,18.07,,\n';
  const md2 = toMarkdown([{ kind: 'table', table: table2(labels, readLevels(art('index:table2.csv', csv)), 2014) }]);
  assert.ok(md2.includes('| community safety | 41 (38-45) | 14 (11-18) | - | 430 |'), md2);
  assert.ok(md2.includes("Below each level, its 95% interval: the t interval of the mean index, Wilson's score interval for the shares."));
  const old = toMarkdown([{ kind: 'table', table: table2(labels, readLevels(art('index:table2.csv', 'wave,area,theme,respondents,individual_pct,collective_pct,willing_pct\n2014,Barnet,community safety,430,41.39,14.39,\n')), 2014) }]);
  assert.ok(old.includes('| community safety | 41 | 14 | - | 430 |'));
  assert.not.ok(old.includes('Below each level'));
});

test.run();
