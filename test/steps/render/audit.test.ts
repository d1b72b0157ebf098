import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { audit } from '../../../steps/render/audit.js';
import { readPublished } from '../../../lib/report/published.js';
import { art, publishedText } from './fixture-inputs.js';
import { labels } from '../../study.js';

const published = readPublished(art('raw/published-tables.json', publishedText));

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
