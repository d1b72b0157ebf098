import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { artifact } from '../../contract/step.js';
import compareWaves from '../../steps/compare-waves.js';
import { fixed, significant } from '../../lib/table/csv.js';
import { tQuantile, tTwoSidedP } from '../../lib/stats/index.js';
import { CORRELATION_HEADER, csvRows, panelInputs, text, type PanelRow, type WaveFixture } from './compare-waves/panel-fixture.js';
import { dataError } from '../data-error.js';
import { expandedRows } from '../row-lineage.js';


const row = (area: PanelRow['area'], id: string, values: Omit<PanelRow, 'area' | 'id' | 'theme'>, theme: PanelRow['theme'] = 'environment'): PanelRow => ({ area, theme, id, ...values });

// Barnet: a, b, c, d in 2013; b, c, d, e, f in 2014. Swansea keeps both its members.
const w2013: WaveFixture = {
  wave: 2013,
  rows: [
    row('Barnet', 'a', { individual: 20 }),
    row('Barnet', 'b', { individual: 10 }),
    row('Barnet', 'c', { individual: 20 }),
    row('Barnet', 'd', { individual: 30 }),
    row('Swansea', 's1', { individual: 50 }),
    row('Swansea', 's2', { individual: 60 }),
  ],
};
const w2014: WaveFixture = {
  wave: 2014,
  rows: [
    row('Barnet', 'b', { individual: 15 }),
    row('Barnet', 'c', { individual: 20 }),
    row('Barnet', 'd', { individual: 40 }),
    row('Barnet', 'e', { individual: 80 }),
    row('Barnet', 'f', { individual: 90 }),
    row('Swansea', 's1', { individual: 55 }),
    row('Swansea', 's2', { individual: 70 }),
  ],
};

test('panel.csv counts retained, lost and recruited respondents per area by persistent ID', () => {
  const out = compareWaves(panelInputs([w2013, w2014]), {});
  assert.is(
    text(out, 'panel.csv'),
    'wave_from,wave_to,area,retained,lost,recruited,retention_pct\n' + '2013,2014,Barnet,3,1,2,75.00\n' + '2013,2014,Swansea,2,0,0,100.00\n',
  );
});

test('a paired change: mean, t interval and p of the retained respondents\' change, checked by hand', () => {
  const out = compareWaves(panelInputs([w2013, w2014]), {});
  const barnet = csvRows(text(out, 'paired-changes.csv')).find((r) => r[2] === 'Barnet')!;
  // b 10→15, c 20→20, d 30→40: changes 5, 0, 10; mean 5; sd 5; se 5/sqrt(3); t = sqrt(3); df 2
  const se = 5 / Math.sqrt(3);
  const half = tQuantile(0.975, 2) * se;
  assert.equal(barnet, [
    '2013', '2014', 'Barnet', 'environment', 'individual', '3',
    '20.0000', '25.0000', '5.0000', fixed(5 - half, 4), fixed(5 + half, 4), fixed(Math.sqrt(3), 4), significant(tTwoSidedP(Math.sqrt(3), 2)),
    '', '', '', '', 'true', '',
  ]);
  // tQuantile(0.975, 2) = 4.302653: the interval by hand is 5 ± 12.4207
  assert.is(barnet[9], '-7.4207');
  assert.is(barnet[10], '17.4207');
  assert.is(barnet[12], '0.225403');
});

test('a correlation in both waves: Fisher z difference as computed by hand; tables 3 and 4 both compared', () => {
  const t3 = (wave: number, r: string, n: number) => `${CORRELATION_HEADER}\n${wave},Barnet,environment,satisfaction_response,,${r},${n}\n`;
  const out = compareWaves(
    panelInputs([
      { ...w2013, table3: t3(2013, '0.300000', 103), table4: t3(2013, '0.400000', 50) },
      { ...w2014, table3: t3(2014, '0.500000', 103), table4: t3(2014, '-0.100000', 80) },
    ]),
    {},
  );
  assert.equal(csvRows(text(out, 'correlation-changes.csv')), [
    // (atanh .5 - atanh .3) / sqrt(2/100) = 1.69555, two-sided p 0.0899717
    ['2013', '2014', '3', 'Barnet', 'environment', 'satisfaction_response', '', '0.300000', '103', '0.500000', '103', '1.6955', '0.0899717', '', '', '', '', '', 'true', ''],
    // (atanh -.1 - atanh .4) / sqrt(1/47 + 1/77) = -2.83075, p 0.00464388
    ['2013', '2014', '4', 'Barnet', 'environment', 'satisfaction_response', '', '0.400000', '50', '-0.100000', '80', '-2.8308', '0.00464388', '', '', '', '', '', 'true', ''],
  ]);
});

test('a reworded question is flagged incomparable, with the codebook\'s note, and not tested', () => {
  const table = (wave: number, r1: string, r2: string) =>
    `${CORRELATION_HEADER}\n${wave},Barnet,environment,conditions,,${r1},100\n${wave},Barnet,environment,self_efficacy,,${r2},100\n`;
  const changed = [{ area: 'Barnet' as const, column: 'env_cond_local', variable: 'environment/conditions', changed_from_wave: 2013, note: 'Streets clean, now the local environment overall.' }];
  const out = compareWaves(
    panelInputs([
      { ...w2013, table3: table(2013, '0.100000', '0.200000') },
      { ...w2014, table3: table(2014, '0.400000', '0.250000'), changed, codebooks: { Barnet: 'raw/codebooks/barnet.2014.json' } },
    ]),
    {},
  );
  const rows = csvRows(text(out, 'correlation-changes.csv').replace(/"[^"]*"/g, (q) => q.replace(/,/g, ';')));
  const conditions = rows.find((r) => r[5] === 'conditions')!;
  assert.equal(conditions.slice(11, 19), ['', '', '', '', '', '', '', 'false']);
  assert.match(conditions[19]!, /question changed from wave 2013: raw\/2014\/barnet\.csv column env_cond_local \(environment\/conditions\)\. Streets clean/);
  const efficacy = rows.find((r) => r[5] === 'self_efficacy')!;
  assert.is(efficacy[18], 'true');
  assert.ok(efficacy[11] !== '', 'a question asked alike in both waves is tested');
});

test('a reworded activity item flags the paired change of the individual index', () => {
  const changed = [{ area: 'Barnet' as const, column: 'E1', variable: 'environment/activities/litter', changed_from_wave: 2013, note: 'reworded' }];
  const out = compareWaves(panelInputs([w2013, { ...w2014, changed }]), {});
  const rows = csvRows(text(out, 'paired-changes.csv'));
  assert.equal(rows.find((r) => r[2] === 'Barnet')!.slice(17), ['false', 'question changed from wave 2013: raw/2014/barnet.csv column E1 (environment/activities/litter). reworded']);
  assert.is(rows.find((r) => r[2] === 'Swansea')![17], 'true');
});

test('attrition: those lost against those retained at baseline, Welch t as worked by hand', () => {
  const base: WaveFixture = {
    wave: 2013,
    rows: [
      row('Bristol', 'k1', { individual: 50, gender: 1 }),
      row('Bristol', 'k2', { individual: 60, gender: 0 }),
      row('Bristol', 'k3', { individual: 70, gender: 1 }),
      row('Bristol', 'l1', { individual: 20, gender: 0 }),
      row('Bristol', 'l2', { individual: 40, gender: null }),
      row('Bristol', 'l3', { individual: null, gender: 0 }),
    ],
  };
  const next: WaveFixture = { wave: 2014, rows: ['k1', 'k2', 'k3', 'n1'].map((id) => row('Bristol', id, { individual: 10, gender: 1 })) };
  const out = compareWaves(panelInputs([base, next]), {});
  const rows = csvRows(text(out, 'attrition.csv'));
  // retained 50, 60, 70 (mean 60, var 100); lost 20, 40 (mean 30, var 200); l3 has no index
  // se² = 100/3 + 200/2 = 133.33; t = -30 / 11.547 = -2.598076; df = 133.33² / ((100/3)²/2 + 100²/1) = 1.684211
  const se2 = 100 / 3 + 100;
  const t = -30 / Math.sqrt(se2);
  const df = se2 ** 2 / ((100 / 3) ** 2 / 2 + 100 ** 2 / 1);
  assert.ok(Math.abs(df - 1.684211) < 1e-6);
  // SMD: -30 / sqrt((100 + 200) / 2) = -2.4495, far past the 0.1 flag.
  assert.equal(rows[0], ['2013', '2014', 'Bristol', 'environment', 'individual', '3', '2', '60.0000', '30.0000', '-30.0000', '-2.4495', 'yes', '-2.5981', significant(tTwoSidedP(t, df))]);
  // gender is the respondent's: theme left empty; retained 1, 0, 1 against lost 0, 0 (l2 has none)
  assert.equal(rows[1]!.slice(2, 10), ['Bristol', '', 'gender', '3', '2', '0.6667', '0.0000', '-0.6667']);
  // the lost do not vary, the retained do (variance 1/3): t = -0.6667 / sqrt(1/9) = -2 with df 2
  // SMD: -0.6667 / sqrt((1/3 + 0) / 2) = -1.6330
  assert.equal(rows[1]!.slice(10), ['-1.6330', 'yes', '-2.0000', significant(tTwoSidedP(-2, 2))]);
  assert.equal(csvRows(text(compareWaves(panelInputs([base, next]), { smdThreshold: 2 }), 'attrition.csv')).map((r) => r[11]), ['yes', 'no'], 'the flag follows the threshold');
  assert.is(rows.length, 2);
});

test('table3-r.csv and table4-r.csv are checked against schemas/correlate.tables.json: the rounded table in their place is named', () => {
  const rounded = 'wave,area,theme,predictor,item,r,n,p,stars,ci_low,ci_high,p_bh,method\n';
  const inputs = panelInputs([w2013, w2014]);
  const e = dataError(() => compareWaves({ ...inputs, tables4: [inputs.tables4![0]!, artifact('correlate[2014]:table4-r.csv', rounded)] }, {}));
  assert.equal(e.where, { file: 'correlate[2014]:table4-r.csv', line: 1, column: 'p' });
  assert.match(e.message, 'is not the table4-r.csv that step "correlate" writes (schemas/correlate.tables.json)');
});

test('a validation report not of the shape validate writes is a DataError naming file, path and value', () => {
  const inputs = panelInputs([w2013, w2014]);
  const report = JSON.parse(inputs.validation![1]!.text());
  report.files['raw/2014/barnet.csv'].reject_rate = 1.5;
  const e = dataError(() => compareWaves({ ...inputs, validation: [inputs.validation![0]!, artifact('validate[2014]:validation-report.json', JSON.stringify(report))] }, {}));
  assert.equal(e.where, { file: 'validate[2014]:validation-report.json', line: 1, path: '/files/raw~12014~1barnet.csv/reject_rate', value: 1.5 });
  assert.match(e.message, 'must be <= 1, as schemas/validation-report.schema.json');
});

test('a wave without an area the study marks required stops the step, naming the folder and the area', () => {
  const w2015: WaveFixture = { wave: 2015, rows: w2014.rows.filter((r) => r.area === 'Barnet').map((r) => ({ ...r, individual: 50 })), required: ['Swansea'] };
  const e = dataError(() => compareWaves(panelInputs([w2013, w2014, w2015]), {}));
  assert.is(e.describe(), 'raw/2015/: no export for Swansea, which waves 2013 and 2014 have, and the study (raw/study.json) marks it required');
  const only = dataError(() => compareWaves(panelInputs([w2013, { ...w2014, rows: w2014.rows.filter((r) => r.area === 'Barnet'), required: ['Swansea'] }]), {}));
  assert.match(only.describe(), /^raw\/2014\/: no export for Swansea, which wave 2013 has/);
});

test('a wave without an area the study does not require is compared without it, and the panel table says so', () => {
  const out = compareWaves(panelInputs([w2013, { ...w2014, rows: w2014.rows.filter((r) => r.area === 'Barnet') }]), {});
  assert.equal(text(out, 'panel.csv').split('\n').filter((l) => l.includes('Swansea')), ['2013,2014,Swansea,,,,']);
  assert.not.match(text(out, 'paired-changes.csv'), 'Swansea');
});

test('several problems in one wave are reported together, areas missing alike in one sentence, the advice once', () => {
  const w2015: WaveFixture = { wave: 2015, rows: [row('Bristol', 'x1', { individual: 1 }), row('Bristol', 'x2', { individual: 2 })] };
  const withBristol: WaveFixture = { ...w2014, rows: [...w2014.rows, row('Bristol', 'x1', { individual: 1 }), row('Bristol', 'x2', { individual: 2 })] };
  const e = dataError(() => compareWaves(panelInputs([w2013, withBristol, { ...w2015, required: ['Barnet', 'Swansea'] }]), {}));
  assert.is(
    e.describe(),
    "raw/2015/: wave 2015 cannot be compared with earlier waves: raw/2015/: no export for Barnet or Swansea, which waves 2013 and 2014 have, and the study (raw/study.json) marks them required; " +
      "raw/2015/bristol.csv: repeats raw/2014/bristol.csv of wave 2014: the same 2 respondents with equal scores in every theme " +
      "(each index, indicator, willingness and predictor was compared; the raw answers were not); each wave's folder must hold that wave's own export",
  );
});

test('an export with no valid respondent for an area is named by its file', () => {
  const e = dataError(() => compareWaves(panelInputs([w2013, { ...w2014, rows: w2014.rows.filter((r) => r.area === 'Barnet'), files: ['Barnet', 'Swansea'] }]), {}));
  assert.is(e.where.file, 'raw/2014/swansea.csv');
  assert.is(e.message, 'no valid respondent for Swansea (0 valid of 0 rows read), which wave 2013 has');
});

test('an export repeating an earlier wave\'s (same respondents, same answers) is rejected, naming both files', () => {
  const copy: WaveFixture = { wave: 2014, rows: [...w2014.rows.filter((r) => r.area === 'Barnet'), ...w2013.rows.filter((r) => r.area === 'Swansea')] };
  const e = dataError(() => compareWaves(panelInputs([w2013, copy]), {}));
  assert.is(e.where.file, 'raw/2014/swansea.csv');
  assert.match(e.message, /^repeats raw\/2013\/swansea\.csv of wave 2013: the same 2 respondents with equal scores/);
});

test('an export whose bytes differ from an earlier wave\'s but whose scores are equal is rejected saying that scores, not answers, were compared', () => {
  const copy: WaveFixture = {
    wave: 2014,
    rows: [...w2014.rows.filter((r) => r.area === 'Barnet'), ...w2013.rows.filter((r) => r.area === 'Swansea')],
    rawHashes: { Barnet: 'b'.repeat(64), Swansea: 'd'.repeat(64) },
  };
  const e = dataError(() => compareWaves(panelInputs([{ ...w2013, rawHashes: { Barnet: 'a'.repeat(64), Swansea: 'c'.repeat(64) } }, copy], { provenance: true }), {}));
  assert.is(e.where.file, 'raw/2014/swansea.csv');
  assert.is(
    e.message,
    'repeats raw/2013/swansea.csv of wave 2013: the same 2 respondents with equal scores in every theme (each index, indicator, willingness and predictor was compared; the raw answers were not); ' +
      "each wave's folder must hold that wave's own export",
  );
});

test('an export with the same bytes as an earlier one (clean\'s provenance hashes) is rejected', () => {
  const hashes = (swansea: string) => ({ Barnet: 'b'.repeat(64), Swansea: swansea });
  const inputs = (h: string) => panelInputs([{ ...w2013, rawHashes: { Barnet: 'a'.repeat(64), Swansea: 'c'.repeat(64) } }, { ...w2014, rawHashes: hashes(h) }], { provenance: true });
  const e = dataError(() => compareWaves(inputs('c'.repeat(64)), {}));
  assert.is(e.where.file, 'raw/2014/swansea.csv');
  assert.match(e.message, /^repeats raw\/2013\/swansea\.csv of wave 2013 unchanged \(same bytes, sha256 c{64}\)/);
  compareWaves(inputs('d'.repeat(64)), {});
});

test("the collective indicator's change among stayers is tested by McNemar on those who moved, counts by hand", () => {
  const people = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
  // before → after: a 0→100, b 0→100, c 0→100, d 100→0, e 100→100, f 0→0, g 0→100
  const before = [0, 0, 0, 100, 100, 0, 0] as const;
  const after = [100, 100, 100, 0, 100, 0, 100] as const;
  const out = compareWaves(
    panelInputs([
      { wave: 2013, rows: people.map((id, i) => row('Swansea', id, { individual: 50, collective: before[i]! })) },
      { wave: 2014, rows: people.map((id, i) => row('Swansea', id, { individual: 50, collective: after[i]! })) },
    ]),
    {},
  );
  const collective = csvRows(text(out, 'paired-changes.csv')).find((r) => r[4] === 'collective')!;
  // 4 moved up, 1 down: (|4 - 1| - 1)² / 5 = 0.8, p = P(chi²₁ ≥ 0.8) = 0.371093
  assert.equal(collective.slice(13, 17), ['4', '1', '0.8000', '0.371093']);
});

test('the change of a correlation is bootstrapped with stayers drawn once for both waves, from a seed per area and theme', async () => {
  const { bootstrapCorrelationChange, bootstrapIndices, derivedSeed } = await import('../../lib/stats/panel-tests.js');
  const ages = [1, 2, 3, 4, 5, 6, 2, 3];
  const before: WaveFixture = { wave: 2013, rows: ages.map((age, i) => row('Barnet', `p${i}`, { individual: age * 10 + (i % 3) * 7, age })) };
  // p0-p5 stay, p6 and p7 leave, q0-q2 join.
  const after: WaveFixture = {
    wave: 2014,
    rows: [...ages.slice(0, 6).map((age, i) => row('Barnet', `p${i}`, { individual: 70 - age * 8 + i, age })), ...[2, 4, 6].map((age, i) => row('Barnet', `q${i}`, { individual: age * 5, age }))],
  };
  const t3 = (wave: number) => `${CORRELATION_HEADER}\n${wave},Barnet,environment,age,,0.5,8\n`;
  const out = compareWaves(panelInputs([{ ...before, table3: t3(2013) }, { ...after, table3: t3(2014) }]), { bootstrapReplicates: 50, bootstrapSeed: 7 });
  const got = csvRows(text(out, 'correlation-changes.csv'))[0]!;
  const pick = (f: WaveFixture, ids: string[], key: 'individual' | 'age') => ids.map((id) => f.rows.find((r) => r.id === id)![key] as number);
  const stay = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'];
  const pairs = (f: WaveFixture, ids: string[]) => ({ x: pick(f, ids, 'age'), y: pick(f, ids, 'individual') });
  const want = bootstrapCorrelationChange(
    { stayersBefore: pairs(before, stay), stayersAfter: pairs(after, stay), leavers: pairs(before, ['p6', 'p7']), joiners: pairs(after, ['q0', 'q1', 'q2']) },
    bootstrapIndices([6, 2, 3], 50, derivedSeed(7, '2013|2014|Barnet|environment')),
  );
  assert.equal(got.slice(13, 18), [fixed(want.change, 6), fixed(want.se, 6), fixed(want.ci.lower, 6), fixed(want.ci.upper, 6), significant(want.p)]);
  const other = csvRows(text(compareWaves(panelInputs([{ ...before, table3: t3(2013) }, { ...after, table3: t3(2014) }]), { bootstrapReplicates: 50, bootstrapSeed: 8 }), 'correlation-changes.csv'))[0]!;
  assert.is(other[13], got[13], 'the observed change does not depend on the seed');
  assert.is.not(other[14], got[14], 'the bootstrap SE does');
});

test('one wave gives the four files with their headers only, and lineage of no rows', () => {
  const out = compareWaves(panelInputs([w2013]), {});
  const tables = ['attrition.csv', 'correlation-changes.csv', 'paired-changes.csv', 'panel.csv'];
  assert.equal(Object.keys(out).sort(), tables.flatMap((t) => [t, `${t}.lineage.json`]));
  for (const name of tables) assert.is(text(out, name).split('\n').length, 2, `${name} has a header line only`);
  for (const name of tables) assert.equal(expandedRows(text(out, `${name}.lineage.json`)), [], `${name}'s lineage has no rows`);
  assert.is(text(out, 'panel.csv'), 'wave_from,wave_to,area,retained,lost,recruited,retention_pct\n');
});

test("each row's lineage names the two waves' rows it rests on: the stayers' rows for a paired change", () => {
  const out = compareWaves(panelInputs([w2013, w2014]), {});
  const paired = expandedRows(text(out, 'paired-changes.csv.lineage.json'));
  const barnet = csvRows(text(out, 'paired-changes.csv')).findIndex((r) => r[2] === 'Barnet');
  // Barnet's stayers b, c, d: rows 2-4 of 2013's table (a is row 1), rows 1-3 of 2014's.
  assert.equal(paired[barnet], [[0, [2, 3, 4]], [1, [1, 2, 3]]]);
  assert.is(JSON.parse(text(out, 'paired-changes.csv.lineage.json')).inputs.length, 2);
  assert.is(paired.length, csvRows(text(out, 'paired-changes.csv')).length);
});

test('the same inputs in any order give the same bytes; three waves give both consecutive pairs', () => {
  const w2015: WaveFixture = { wave: 2015, rows: w2014.rows.map((r) => ({ ...r, individual: (r.individual ?? 0) / 2 })) };
  const inputs = panelInputs([w2013, w2014, w2015]);
  const reversed = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, [...v].reverse()]));
  const a = compareWaves(inputs, {});
  const b = compareWaves(reversed, {});
  for (const name of Object.keys(a)) assert.is(text(b, name), text(a, name), name);
  assert.equal(csvRows(text(a, 'panel.csv')).map((r) => r.slice(0, 3).join(' ')), ['2013 2014 Barnet', '2013 2014 Swansea', '2014 2015 Barnet', '2014 2015 Swansea']);
});

test('a text cell that looks like a formula is defused in the output', () => {
  const changed = [{ area: 'Barnet' as const, column: '=HYPERLINK("x")', variable: 'environment/activities/x', changed_from_wave: 2013, note: 'n' }];
  const out = compareWaves(panelInputs([w2013, { ...w2014, changed }]), {});
  assert.not.match(text(out, 'paired-changes.csv'), /,=HYPERLINK/);
});

test.run();
