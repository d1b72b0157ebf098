import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { audit, checkStars, consistentRange, pOfR, starsHold } from '../../../steps/render/audit.js';
import { readPublished, type PublishedCorrelation } from '../../../lib/report/published.js';
import { art, publishedText } from './fixture-inputs.js';
import { labels } from '../../study.js';

const published = readPublished(art('raw/published-tables.json', publishedText));
const entry = (r: number, stars: string): PublishedCorrelation => ({ table: 4, area: 'Bristol', theme: 'environment', predictor: 'self_efficacy', item: '', r, printed: `${r}${stars}`, stars, star_check: 'consistent', target_r: r, suspect: false, note_ids: [] });

test('p of r at the critical values the transcription lists is the level they stand for', () => {
  for (const c of published.significance.critical_r) {
    assert.ok(Math.abs(pOfR(c.p05, c.n) - 0.05) < 2e-4, `${c.area} p05`);
    assert.ok(Math.abs(pOfR(c.p01, c.n) - 0.01) < 1e-4, `${c.area} p01`);
  }
  assert.is(pOfR(0, 500), 1);
  assert.is(pOfR(1, 500), 0);
});

test('stars hold when they name the highest level reached; ** also covers p < .001', () => {
  assert.ok(starsHold('', 0.2));
  assert.ok(starsHold('*', 0.02));
  assert.not.ok(starsHold('*', 0.005));
  assert.ok(starsHold('**', 0.0001));
  assert.not.ok(starsHold('***', 0.005));
});

test('the range of n over which stars hold: an understarred 0.220* needs n of at most 136', () => {
  assert.equal(consistentRange(0.22, '*'), { low: 80, high: 136 });
  assert.is(consistentRange(0.22, '**')!.high, Infinity);
  assert.is(consistentRange(0, '*'), undefined, 'no n makes r = 0 significant');
});

test('verdicts: consistent, borderline (holds at some n from N/2 to N), inconsistent', () => {
  assert.is(checkStars(entry(0.22, '**'), 953).verdict, 'consistent');
  assert.is(checkStars(entry(0.072, ''), 953).verdict, 'borderline');
  assert.is(checkStars(entry(0.22, '*'), 953).verdict, 'inconsistent');
  assert.is(checkStars(entry(-0.016, '*'), 496).verdict, 'inconsistent');
});

test('the recomputed star checks agree with the transcription for every published correlation', () => {
  const { checks } = audit(labels, published);
  assert.is(checks.length, published.correlations.entries.length);
  const disagreements = checks.filter((c) => c.verdict !== c.entry.star_check).map((c) => `${c.entry.table} ${c.entry.area} ${c.entry.theme} ${c.entry.predictor} ${c.entry.item}: ${c.verdict} vs ${c.entry.star_check}`);
  assert.equal(disagreements, []);
});

test('slips found by recomputation: magnitudes, repeats, undefined levels, labels, text claims', () => {
  const rows = audit(labels, published).rows.filter((r) => r.check !== 'stars');
  const keys = rows.map((r) => `${r.check}|${r.table}|${r.area}|${r.theme}|${r.predictor}|${r.claim}`);
  for (const k of [
    'magnitude|4|Wolverhampton|community safety|conditions|',
    'magnitude|4|Wolverhampton|community safety|ethnicity|',
    'magnitude|4|Derbyshire Dales|community safety|self_efficacy|',
    'repeated value|4|Derbyshire Dales|health|satisfaction_response|',
    'repeated value|5|Barnet|community safety||',
    'undefined level|4|Bristol|community safety|satisfaction_information|',
    'mislabelled term|5|Wolverhampton|environment||',
    'label typo|2|Derbyshire Dales|||',
    'text claim|||||nudge-significant-count',
    'text claim|||||information-more-evident-collective',
    'text claim|||||age-collective-not-significant',
    'text claim|||||bristol-environment-collective-vs-individual',
  ])
    assert.ok(keys.includes(k), `expected an audit row ${k}`);
  assert.is(rows.filter((r) => r.check === 'magnitude').length, 3, 'large but plausible values are not flagged');
  const typo = rows.find((r) => r.check === 'magnitude' && r.predictor === 'conditions')!;
  assert.is(typo.detail, '|r| = 0.650 is 3.3 times the largest other value in its row (0.195) and 11.0 times the same cell in Table 3 (-0.059). Its stars do not fit the printed value at n = 547; read with a dropped zero (-0.065) they fit.');
  const count = rows.find((r) => r.claim === 'nudge-significant-count')!;
  assert.equal([count.verdict, count.transcription, count.agrees_with_transcription], ['disagrees', 'disagrees', 'yes']);
});

test.run();
