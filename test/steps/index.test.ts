import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { artifact, DataError } from '../../contract/step.js';
import index from '../../steps/index.js';
import { readScores } from '../../lib/table/scores.js';
import { arrow, bytes, indexed, record, text } from '../lib/table/records.js';
import { tableFromIPC } from '@uwdata/flechette';
import { studyArtifact, studyText } from '../study.js';
import { expandedRows } from '../row-lineage.js';

const barnet = [
  record('Barnet', 'b1', {
    // 1 of 2 answered items positive (don't know left out): 50
    'community safety': { activities: { a: 1, b: 3, c: 'dont_know' }, join_groups: 2, current_time: 3, more_time: 1, conditions: 4 },
    // one answered item only: below the default minimum of 2, so no index
    wellbeing: { activities: { x: 1, y: null }, join_groups: 3 },
  }, { gender: 1, age_band: 3, ethnicity: 0, nudge: 'A' }),
  record('Barnet', 'b2', {
    // 2 of 3 positive: 66.666…
    'community safety': { activities: { a: 2, b: 2, c: 3 }, join_groups: 'dont_know', current_time: 2, more_time: 4, conditions: 'dont_know' },
  }, { gender: 0, age_band: null, nudge: 'none' }),
];

test('index: share of answered activity items, don\'t know and blanks left out, too few answers give null', async () => {
  const scores = readScores(bytes(await indexed(barnet), 'scores.arrow'), 'scores.arrow');
  assert.equal(Array.from(scores.numeric('individual', 0, 3)), [50, 200 / 3, NaN]);
  // with a minimum of one answered item the wellbeing respondent counts: 1 of 1
  const lenient = readScores(bytes(await indexed(barnet, { minActivityAnswers: 1 }), 'scores.arrow'), 'scores.arrow');
  assert.equal(Array.from(lenient.numeric('individual', 0, 3)), [50, 200 / 3, 100]);
  assert.is(lenient.layout.min_activity_answers, 1);
});

test('index: collective is 100 for often/sometimes, 0 for never, null for don\'t know; willing is 100 from a few hours a month', async () => {
  const rs = [1, 2, 3, 'dont_know', null].map((join, i) =>
    record('Bristol', `r${i}`, { environment: { join_groups: join as never, willing_time: ([1, 2, 3, 4, 'dont_know'] as const)[i] } }),
  );
  const scores = readScores(bytes(await indexed(rs), 'scores.arrow'), 'scores.arrow');
  assert.equal(Array.from(scores.numeric('collective', 0, 5)), [100, 100, 0, NaN, NaN]);
  assert.equal(Array.from(scores.numeric('willing', 0, 5)), [0, 0, 100, 100, NaN]);
  assert.equal(Array.from(scores.numeric('individual', 0, 5)), [NaN, NaN, NaN, NaN, NaN]);
});

test('index: the study says which answers count as yes and which outcomes time-items.csv reports', async () => {
  const doc = JSON.parse(studyText);
  doc.outcomes.willing.yes = ['a few hours a week'];
  doc.outcomes.weekly_now = { from: 'current_time', yes: ['a few hours a week'] };
  delete doc.outcomes.more_time;
  const rs = [1, 2, 3, 4].map((code, i) =>
    record('Barnet', `r${i}`, { 'community safety': { activities: { a: 1, b: 3 }, willing_time: code, current_time: code, more_time: code } }),
  );
  const out = await index({ records: [artifact('validate:valid.arrow', arrow(rs))], study: [artifact('raw/study.json', JSON.stringify(doc))] });
  const scores = readScores(bytes(out, 'scores.arrow'), 'scores.arrow');
  assert.equal(Array.from(scores.numeric('willing', 0, 4)), [0, 0, 0, 100]);
  assert.equal(Array.from(scores.numeric('weekly_now', 0, 4)), [0, 0, 0, 100]);
  assert.equal(tableFromIPC(bytes(out, 'scores.arrow')).schema.fields.map((f) => f.name).slice(4, 9), ['individual', 'collective', 'willing', 'current_time', 'weekly_now']);
  assert.is(
    text(out, 'time-items.csv'),
    'wave,area,theme,item,pct,n\n2013,Barnet,community safety,current_time,50.00,4\n2013,Barnet,community safety,weekly_now,25.00,4\n',
  );
});

test('index: table2 counts respondents per wave, area and theme and averages the non-missing values', async () => {
  const out = await indexed(barnet);
  assert.is(
    text(out, 'table2.csv'),
    'wave,area,theme,respondents,individual_pct,collective_pct,willing_pct,individual_ci_low,individual_ci_high,collective_ci_low,collective_ci_high,willing_ci_low,willing_ci_high\n' +
      // (50 + 66.67) / 2; collective: b1 yes, b2 don't know; willing not asked in Barnet. Intervals as R gives
      // them: t.test(c(50, 200/3)) and prop.test(1, 1) / prop.test(0, 1), correct = FALSE (Wilson).
      '2013,Barnet,community safety,2,58.33,100.00,,-47.55,164.22,20.65,100.00,,\n' +
      '2013,Barnet,wellbeing,1,,0.00,,,,0.00,79.35,,\n',
  );
  assert.is(
    text(out, 'time-items.csv'),
    'wave,area,theme,item,pct,n\n2013,Barnet,community safety,current_time,50.00,2\n2013,Barnet,community safety,more_time,50.00,2\n',
  );
});

test('index: groups are sorted by wave, area (vocabulary order) and theme (paper order), every wave kept', async () => {
  const rs = [
    record('Wolverhampton', 'w1', { 'community safety': { join_groups: 1 }, environment: { join_groups: 3 } }),
    record('Barnet', 'b1', { wellbeing: { join_groups: 1 } }, { wave: 2014 }),
    record('Barnet', 'b2', { 'community safety': { join_groups: 1 } }),
  ];
  const lines = text(await indexed(rs), 'table2.csv').trimEnd().split('\n').slice(1).map((l) => l.split(',').slice(0, 4).join(','));
  assert.equal(lines, [
    '2013,Barnet,community safety,1',
    '2013,Wolverhampton,environment,1',
    '2013,Wolverhampton,community safety,1',
    '2014,Barnet,wellbeing,1',
  ]);
});

test('index: scores.arrow has the documented columns, nulls for don\'t know, and the layout of asked questions', async () => {
  const rs = [
    record('Barnet', 'b1', { 'community safety': { join_groups: 1, self_efficacy: { crime: 3, 'anti-social behaviour': 'dont_know' } } }, { gender: 1, nudge: 'both' }),
  ];
  const table = tableFromIPC(bytes(await indexed(rs), 'scores.arrow'));
  assert.equal(table.names, [
    'wave', 'area', 'theme', 'respondent_id', 'individual', 'collective', 'willing', 'current_time', 'more_time', 'nudge',
    'self_efficacy/crime', 'self_efficacy/anti-social behaviour', 'gender',
  ]);
  assert.equal(table.toArray()[0], {
    wave: 2013, area: 'Barnet', theme: 'community safety', respondent_id: 'b1', individual: null, collective: 100, willing: null,
    current_time: null, more_time: null, nudge: 'both', 'self_efficacy/crime': 3, 'self_efficacy/anti-social behaviour': null, gender: 1,
  });
  const scores = readScores(bytes(await indexed(rs), 'scores.arrow'), 'scores.arrow');
  assert.equal(scores.layout.groups[0]!.variables, ['self_efficacy/crime', 'self_efficacy/anti-social behaviour', 'gender']);
  assert.equal(scores.layout.groups[0]!.outcomes, ['collective']);
  assert.is(scores.layout.groups[0]!.nudge, true);
});

test('index: the same records give byte-identical outputs', async () => {
  const a = await indexed(barnet);
  const b = await indexed(barnet);
  for (const name of ['scores.arrow', 'table2.csv', 'time-items.csv']) assert.equal(bytes(a, name), bytes(b, name), name);
});

test('index: an out-of-range code is a data error naming the raw file, line, column and value', async () => {
  const bad = record('Bristol', 'x', { environment: { join_groups: 7 as never } });
  try {
    await indexed([barnet[0]!, bad]);
    assert.unreachable('should throw');
  } catch (e) {
    assert.instance(e, DataError);
    assert.equal((e as DataError).where, { file: bad.source.file, line: bad.source.line, column: 'environment/join_groups', value: 7 });
  }
  for (const params of [{ minActivityAnswers: 0 }, { minActivityAnswers: 1.5 }]) {
    const failed = await indexed(barnet, params).then(() => null, (e: unknown) => e);
    assert.instance(failed, DataError, JSON.stringify(params));
  }
});

test('index: a records input that is not a records table is a data error naming it', async () => {
  const failed = await Promise.resolve()
    .then(() => index({ records: [artifact('validate:valid.arrow', '{"wave": 2013}\n')], study: [studyArtifact()] }, {}))
    .then(() => null, (e: unknown) => e);
  assert.instance(failed, DataError);
  assert.is((failed as DataError).where.file, 'validate:valid.arrow');
});

test('index: one records input per export (area) gives the same bytes as one input holding them all', async () => {
  const bristol = [record('Bristol', 'r1', { environment: { activities: { a: 1, b: 3 }, join_groups: 1, willing_time: 3 } })];
  const together = await index({ records: [artifact('validate[2013]:valid.arrow', arrow([...barnet, ...bristol]))], study: [studyArtifact()] }, {});
  const apart = await index(
    { records: [artifact('validate[2013,barnet]:valid.arrow', arrow(barnet)), artifact('validate[2013,bristol]:valid.arrow', arrow(bristol))], study: [studyArtifact()] },
    {},
  );
  for (const name of ['scores.arrow', 'table2.csv', 'time-items.csv']) assert.equal(bytes(apart, name), bytes(together, name), name);
});

test('index: row lineage: each scores row names its record\'s raw line and ID; Table 2 and time-item rows name their scores rows', async () => {
  const out = await indexed(barnet);
  const lines = barnet.map((r) => r.source.line);
  // Groups: Barnet community safety (b1, b2), then Barnet wellbeing (b1).
  // b1 and b2 on their two lines one each (one run), then b1 again: a run of its own.
  assert.is(lines[1], lines[0]! + 1);
  assert.equal(JSON.parse(text(out, 'scores.arrow.lineage.json')), {
    version: 2,
    inputs: ['raw/2013/barnet.csv'],
    units: ['line'],
    sets: [[[0, [[lines[0], lines[1]]]]], [[0, [[lines[0], lines[0]]]]]],
    rows: [[2, 0, 'each'], [1, 1]],
    keys: ['b1', 'b2', 'b1'],
  });
  assert.equal(expandedRows(text(out, 'scores.arrow.lineage.json')), [[[0, [lines[0]!]]], [[0, [lines[1]!]]], [[0, [lines[0]!]]]]);
  assert.equal(JSON.parse(text(out, 'table2.csv.lineage.json')), { version: 2, inputs: ['scores.arrow'], units: ['row'], sets: [[[0, [[1, 2]]]], [[0, [[3, 3]]]]], rows: [[1, 0], [1, 1]] });
  // current_time: b1 "a few hours a month or more" (3), b2 less (2); more_time: both answered. One set for both.
  assert.equal(JSON.parse(text(out, 'time-items.csv.lineage.json')), { version: 2, inputs: ['scores.arrow'], units: ['row'], sets: [[[0, [[1, 2]]]]], rows: [[2, 0]] });
});

test.run();
