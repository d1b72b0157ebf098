import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CorrelationRow, LevelRow, NudgeRow } from '../../../lib/report/inputs.js';
import { readPublished } from '../../../lib/report/published.js';
import { comparisonCells, DEFAULT_TOLERANCES, reproduce, tally } from '../../../lib/report/reproduction.js';
import { art, publishedText } from '../../steps/render/fixture-inputs.js';

const published = readPublished(art('raw/published-tables.json', publishedText));
const corr = (table: 3 | 4, area: string, theme: string, predictor: string, item: string, r: number, stars = ''): CorrelationRow => ({ wave: 2013, area, theme, predictor, item, r, n: 400, p: null, stars, ci_low: null, ci_high: null, p_bh: null, method: 'pearson' });
const level = (area: string, theme: string, ind: number, col: number, will: number | null): LevelRow => ({ wave: 2013, area, theme, respondents: 400, individual_pct: ind, collective_pct: col, willing_pct: will });

function run(parts: { levels?: LevelRow[]; individual?: CorrelationRow[]; collective?: CorrelationRow[]; nudges?: NudgeRow[]; wave?: number }) {
  return reproduce({ published, wave: parts.wave ?? 2013, levels: parts.levels ?? [], timeItems: [], individual: parts.individual ?? [], collective: parts.collective ?? [], nudges: parts.nudges ?? [], counts: [], tolerances: DEFAULT_TOLERANCES });
}
const find = (rows: ReturnType<typeof run>, f: (c: ReturnType<typeof run>[number]) => boolean) => rows.find(f)!;

test('Table 2: match after rounding, within one point, or differs', () => {
  const rows = run({ levels: [level('Barnet', 'community safety', 44.4, 14.0, null), level('Bristol', 'environment', 65.2, 90.5, 44)] });
  const v = (area: string, col: string) => find(rows, (c) => c.table === '2' && c.area === area && c.predictor === col).verdict;
  assert.is(v('Barnet', 'individual_pct'), 'match');
  assert.is(v('Barnet', 'collective_pct'), 'within tolerance');
  assert.is(v('Bristol', 'individual_pct'), 'differs');
  assert.is(v('Bristol', 'collective_pct'), 'within tolerance', '90.5 prints as 91 (toFixed) and lies 0.5 away');
  assert.is(v('Swansea', 'individual_pct'), 'not computed');
  assert.not.ok(rows.some((c) => c.table === '2' && c.area === 'Barnet' && c.predictor === 'willing_pct'), 'dashes in the paper are not compared');
});

test('correlations are compared at the printed precision, suspect cells against the corrected reading', () => {
  const rows = run({
    individual: [corr(3, 'Barnet', 'community safety', 'satisfaction_response', 'crime', 0.1649, '**'), corr(3, 'Barnet', 'community safety', 'conditions', '', 0.19)],
    collective: [corr(4, 'Wolverhampton', 'community safety', 'conditions', '', -0.064), corr(4, 'Bristol', 'community safety', 'satisfaction_response', '', 0.015)],
  });
  const printed2 = find(rows, (c) => c.table === '3' && c.predictor === 'satisfaction_response' && c.item === 'crime');
  assert.equal([printed2.decimals, printed2.verdict, printed2.stars_recomputed], [2, 'match', '**'], '0.16 printed to two decimals matches 0.1649');
  assert.is(find(rows, (c) => c.table === '3' && c.area === 'Barnet' && c.predictor === 'conditions').verdict, 'differs');
  const typo = find(rows, (c) => c.table === '4' && c.area === 'Wolverhampton' && c.theme === 'community safety' && c.predictor === 'conditions');
  assert.equal([typo.published, typo.target, typo.verdict, typo.suspect], [-0.65, -0.065, 'within tolerance', true]);
  const alias = find(rows, (c) => c.table === '4' && c.area === 'Bristol' && c.theme === 'community safety' && c.predictor === 'satisfaction_response');
  assert.equal([alias.item, alias.recomputed, alias.verdict], ['crime & ASB', 0.015, 'within tolerance'], 'an unlabelled item stands for "crime & ASB"');
});

test('only the paper wave is compared', () => {
  const rows = run({ wave: 2013, levels: [{ ...level('Barnet', 'community safety', 44, 13, null), wave: 2014 }] });
  assert.is(find(rows, (c) => c.table === '2' && c.area === 'Barnet' && c.predictor === 'individual_pct').verdict, 'not computed');
});

test('every published value gets exactly one row and the tally adds up', () => {
  const rows = run({});
  const expected = published.table1.rows.length + published.table2.rows.reduce((n, r) => n + (r.willing_pct === null ? 2 : 3), 0) + 4 + published.correlations.entries.length + published.table5.entries.length;
  assert.is(rows.length, expected);
  assert.equal(tally(rows), { match: 0, 'within tolerance': 0, differs: 0, 'not computed': expected });
});

test('CSV cells show the difference and flags', () => {
  const rows = run({ nudges: [{ wave: 2013, area: 'Barnet', theme: 'community safety', item: 'crime', outcome: 'individual', term: 'nudge_a', coef: 3.05, se: 1, t: 3, p: 0.01, stars: '*', ci_low: 1, ci_high: 5, se_hc3: 1, p_hc3: 0.01, n: 100 }] });
  const c = find(rows, (x) => x.table === '5' && x.item === 'crime' && x.term === 'nudge_a' && x.outcome === 'individual');
  assert.equal(comparisonCells(c), ['5', 'Barnet', 'community safety', '', 'crime', 'individual', 'nudge_a', '2.7', '2.7', '3.050', '0.350', '0.5', 'within tolerance', '', '*', 'yes', 't5-barnet-crime-individual-repeated']);
});

test.run();
