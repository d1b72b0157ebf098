import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { plainText, type Inline } from '../../../lib/report/document.js';
import { comparisonFindings, correlationFindings, levelFindings, nudgeFindings, predictorCounts, timeFindings } from '../../../steps/render/findings.js';
import type { CorrelationRow, LevelRow, NudgeRow, TimeItemRow } from '../../../lib/report/inputs.js';
import { labels } from '../../study.js';

const plain = (ps: Inline[][]) => ps.map(plainText);

const level = (area: string, theme: string, ind: number | null, col: number | null, will: number | null = null): LevelRow => ({ wave: 2014, area, theme, respondents: 100, individual_pct: ind, collective_pct: col, willing_pct: will });

test('level findings name the range ends, the exceptions and the environment comparison', () => {
  const rows = [level('Barnet', 'community safety', 44, 13), level('Barnet', 'wellbeing', 40, 13), level('Bristol', 'environment', 67, 90, 44), level('Bristol', 'community safety', 57, 28, 36)];
  assert.equal(plain(levelFindings(labels, rows, 2014)), [
    'Across four area-theme cells, the individual co-production index runs from 40% in wellbeing in Barnet to 67% in environment in Bristol, a spread of 27 points.',
    'Across four area-theme cells, the share taking part in groups runs from 13% in community safety in Barnet and wellbeing in Barnet to 90% in environment in Bristol, a spread of 77 points.',
    'Individual co-production is higher than collective co-production in 3 of the 4 cells that measure both; the exception is environment in Bristol, where the share in groups (90%) is above the individual index (67%).',
    'In the one area that asked about both the environment and community safety, the individual index is higher for the environment: Bristol (67% against 57%).',
    'Across two area-theme cells, the share willing to give at least a few hours a month runs from 36% in community safety in Bristol to 44% in environment in Bristol, a spread of 8 points.',
  ]);
});

test('when the data change direction, the sentences change with them', () => {
  const rows = [level('Bristol', 'environment', 50, 20), level('Bristol', 'community safety', 57, 28), level('Wolverhampton', 'environment', 40, 45), level('Wolverhampton', 'community safety', 44, 50)];
  const s = plain(levelFindings(labels, rows, 2014));
  assert.is(s[2], 'Individual co-production is higher than collective co-production in 2 of the 4 cells that measure both; the two exceptions are environment in Wolverhampton, where the share in groups (45%) is above the individual index (40%) and community safety in Wolverhampton, where the share in groups (50%) is above the individual index (44%).');
  assert.is(s[3], 'In none of the two areas that asked about both the environment and community safety is the individual index higher for the environment: Bristol (50% against 57%) and Wolverhampton (40% against 44%).');
  assert.is(s[4], 'No area-theme cell reports the share willing to give at least a few hours a month in this wave.');
  const all = plain(levelFindings(labels, [level('Bristol', 'environment', 60, 20), level('Swansea', 'environment', 60, 30)], 2014));
  assert.is(all[0], 'The individual co-production index stands at 60% in both area-theme cells (environment in Bristol and environment in Swansea).');
  assert.is(all[2], 'Individual co-production is higher than collective co-production in every one of the 2 cells that measure both.');
});

test('time findings say whether more or fewer offer extra time', () => {
  const t = (theme: string, item: string, pct: number): TimeItemRow => ({ wave: 2014, area: 'Barnet', theme, item, pct, n: 400 });
  assert.equal(plain(timeFindings(labels, [t('community safety', 'current_time', 8), t('community safety', 'more_time', 20), t('wellbeing', 'current_time', 58), t('wellbeing', 'more_time', 57.4)], 2014)), [
    'In community safety in Barnet, 8% already give at least a few hours a month and 20% would give at least a few hours more: more respondents offer extra time than already give it, by 12 points.',
    'In wellbeing in Barnet, 58% already give at least a few hours a month and 57% would give at least a few hours more: fewer respondents offer extra time than already give it, by 1 point.',
  ]);
});

const corr = (area: string, theme: string, predictor: string, item: string, r: number | null, stars: string): CorrelationRow => ({ wave: 2014, area, theme, predictor, item, r, n: 100, p: null, stars, ci_low: null, ci_high: null, p_bh: null, method: "pearson" });

test('predictor counts count area-theme cells once however many sub-items are starred', () => {
  const rows = [
    corr('Barnet', 'community safety', 'self_efficacy', 'crime', 0.17, '**'),
    corr('Barnet', 'community safety', 'self_efficacy', 'anti-social behaviour', 0.14, '**'),
    corr('Bristol', 'environment', 'self_efficacy', '', -0.1, '*'),
    corr('Bristol', 'community safety', 'self_efficacy', '', 0.02, ''),
    corr('Bristol', 'community safety', 'gender', '', null, ''),
  ];
  const [c] = predictorCounts(labels, rows, 2014);
  assert.is(c!.predictor, 'self_efficacy');
  assert.equal([c!.tested.length, c!.positive.length, c!.negative.length], [3, 1, 1]);
  assert.is(predictorCounts(labels, rows, 2014).length, 1, 'a predictor with no values is not counted as tested');
  const s = plain(correlationFindings(labels, rows, 2014, 'collective'));
  assert.is(s[0], 'The predictor most often significantly related to collective co-production is the belief that people can make a difference, in two area-theme cells.');
  assert.is(s[1], 'The strongest single correlation is 0.170 (p < .01), between collective co-production and the belief that people can make a difference (crime) in community safety in Barnet.');
  assert.is(s[2], 'The belief that people can make a difference: significantly positive in 1 (community safety in Barnet) and significantly negative in 1 (environment in Bristol) of the 3 area-theme cells where it was asked.');
});

test('a predictor never significant reads "no significant correlation"', () => {
  const rows = [corr('Bristol', 'environment', 'age', '', 0.01, ''), corr('Bristol', 'community safety', 'age', '', -0.02, '')];
  assert.equal(plain(correlationFindings(labels, rows, 2014, 'individual')), [
    'No predictor is significantly related to individual co-production in any area-theme cell.',
    'The strongest single correlation is -0.020 (not significant), between individual co-production and age in community safety in Bristol.',
    'Age: no significant correlation in any of the 2 area-theme cells where it was asked.',
  ]);
});

test('the comparison names which predictors are significant more often for which kind', () => {
  const ind = [corr('Bristol', 'environment', 'age', '', -0.3, '**'), corr('Bristol', 'environment', 'self_efficacy', '', 0.1, '')];
  const col = [corr('Bristol', 'environment', 'age', '', -0.3, '**'), corr('Bristol', 'environment', 'self_efficacy', '', 0.3, '**')];
  assert.equal(plain(comparisonFindings(labels, ind, col, 2014)), [
    'Counting area-theme cells with a significant correlation in either direction (individual against collective), the belief that people can make a difference (0 against 1) is significant more often for collective co-production; none is significant more often for individual co-production; age is level.',
  ]);
});

const nudge = (area: string, item: string, outcome: string, term: string, coef: number, stars: string): NudgeRow => ({
  wave: 2014, area, theme: 'community safety', item, outcome, term, coef, se: 1, t: null, p: null, stars, ci_low: null, ci_high: null, se_hc3: null, p_hc3: null, n: 100,
});

test('nudge findings count significant effects, list them and say "none" when there are none', () => {
  const rows = [nudge('Barnet', 'crime', 'collective', 'nudge_a', 6.4, '**'), nudge('Barnet', 'crime', 'individual', 'nudge_a', 2.7, ''), nudge('Wolverhampton', '', 'collective', 'both', -1.9, '')];
  assert.equal(plain(nudgeFindings(labels, rows, 2014)), [
    'One of the 3 nudge coefficients is significant at the 5% level: 0 of 1 for individual and 1 of 2 for collective co-production. It is positive.',
    'The significant coefficients: Nudge A on collective co-production, community safety (crime) in Barnet: +6.4.',
    'No nudge coefficient is significant in Wolverhampton.',
    'Significant effects are more frequent for collective co-production (1 against 0).',
  ]);
  assert.equal(plain(nudgeFindings(labels, rows.map((r) => ({ ...r, stars: '' })), 2014)), [
    'None of the 3 nudge coefficients is significant at the 5% level: neither nudge, alone or together, moved individual or collective co-production detectably.',
  ]);
});

test('a number the sentence reads from a table cell carries its address; counts stay unmarked for the caller', () => {
  const at = (row: LevelRow, i: number): LevelRow => ({ ...row, at: i });
  const rows = [at(level('Bristol', 'environment', 67.2, 90.4, 44), 3), at(level('Bristol', 'community safety', 57, 28, 36), 4)];
  const [individual, , exceptions] = levelFindings(labels, rows, 2014);
  assert.equal(individual, [
    'Across two area-theme cells, the individual co-production index runs from ',
    { text: '57', ref: 'table2.csv:4:individual_pct' },
    '% in community safety in Bristol to ',
    { text: '67', ref: 'table2.csv:3:individual_pct' },
    '% in environment in Bristol, a spread of 10 points.',
  ]);
  assert.equal(exceptions!.filter((p) => typeof p !== 'string'), [
    { text: '90', ref: 'table2.csv:3:collective_pct' },
    { text: '67', ref: 'table2.csv:3:individual_pct' },
  ]);
  const time = (item: string, pct: number, i: number): TimeItemRow => ({ wave: 2014, area: 'Barnet', theme: 'wellbeing', item, pct, n: 400, at: i });
  assert.equal(timeFindings(labels, [time('current_time', 58, 7), time('more_time', 57.4, 8)], 2014)[0]!.filter((p) => typeof p !== 'string'), [
    { text: '58', ref: 'time-items.csv:7:pct' },
    { text: '57', ref: 'time-items.csv:8:pct' },
  ]);
  const r: CorrelationRow = { wave: 2014, area: 'Bristol', theme: 'environment', predictor: 'age', item: '', r: -0.25, n: 100, p: 0.01, stars: '*', ci_low: null, ci_high: null, p_bh: null, method: 'pearson', at: 12 };
  assert.equal(correlationFindings(labels, [r], 2014, 'collective')[1]!.filter((p) => typeof p !== 'string'), [{ text: '-0.250', ref: 'table4.csv:12:r' }]);
  const nudge: NudgeRow = { wave: 2014, area: 'Barnet', theme: 'community safety', item: 'crime', term: 'nudge_a', outcome: 'collective', coef: 6.4, se: 1, p: 0.001, stars: '**', n: 300, at: 5 } as NudgeRow;
  assert.equal(nudgeFindings(labels, [nudge], 2014)[1]!.filter((p) => typeof p !== 'string'), [{ text: '6.4', ref: 'table5.csv:5:coef' }]);
});

test.run();
