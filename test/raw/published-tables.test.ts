/**
 * The transcription of the paper's published figures (raw/published-tables.json): that it obeys its schema,
 * that it is complete, that its derived fields (critical r, star checks, claim verdicts) follow from the printed
 * values, and that every note points at something that exists.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

const root = new URL('../../', import.meta.url);
const readJson = (path: string): unknown => JSON.parse(readFileSync(new URL(path, root), 'utf8'));

type Stars = '' | '*' | '**' | '***';
interface Correlation {
  table: 3 | 4;
  area: string;
  theme: string;
  predictor: string;
  item: string;
  r: number;
  printed: string;
  stars: Stars;
  star_check: 'consistent' | 'borderline' | 'inconsistent';
  target_r: number;
  suspect: boolean;
  note_ids: string[];
}
interface NudgeCoef {
  area: string;
  theme: string;
  item: string;
  term: 'nudge_a' | 'nudge_b' | 'both';
  outcome: 'individual' | 'collective';
  coef: number;
  printed: string;
  stars: Stars;
  printed_term?: string;
  suspect: boolean;
  note_ids: string[];
}
interface Table1Row {
  area: string;
  respondents: number;
  population: number;
  population_year: number;
  country: string;
  themes: string[];
  nudges_tested: boolean;
  note_ids: string[];
  [field: string]: unknown;
}
interface Table2Row {
  area: string;
  theme: string;
  individual_pct: number;
  collective_pct: number;
  willing_pct: number | null;
  printed_heading: string;
  note_ids: string[];
}
type Ref = Record<string, string | number>;
interface Claim {
  id: string;
  values: { label: string; value: number }[];
  checkable: boolean;
  agrees: boolean | null;
  checks: { ref: Ref; expected: number | boolean }[];
  comparisons?: { greater: Ref; lesser: Ref }[];
  counts?: { table: 3 | 4; predictor: string; direction: 'positive' | 'negative' | 'any'; expected: number; out_of: number | null }[];
  nudge_counts?: { outcome: 'individual' | 'collective' | 'any'; significant: number; total: number | null }[];
  significant_cells?: Ref[];
  note_ids: string[];
}
interface Note {
  id: string;
  kind: string;
  concerns: Ref[];
}
interface Published {
  significance: { critical_r: { area: string; n: number; p05: number; p01: number; p001: number }[] };
  table1: { rows: Table1Row[] };
  table2: { rows: Table2Row[] };
  correlations: { entries: Correlation[]; not_asked: { table: 3 | 4; area: string; theme: string; predictor: string }[] };
  table5: { entries: NudgeCoef[] };
  claims: Claim[];
  notes: Note[];
}

const schema = readJson('schemas/published-tables.schema.json') as object;
const raw = readJson('raw/published-tables.json');
const data = raw as Published;
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
const describe = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`).join('\n');

const correlations = data.correlations.entries;
const coefs = data.table5.entries;
const respondents = new Map(data.table1.rows.map((r) => [r.area, r.respondents]));
const one = <T>(rows: T[], what: string): T => {
  assert.is(rows.length, 1, `expected exactly one ${what}, found ${rows.length}`);
  return rows[0] as T;
};
const cell = (table: 3 | 4, area: string, theme: string, predictor: string, item = '') =>
  one(correlations.filter((e) => e.table === table && e.area === area && e.theme === theme && e.predictor === predictor && e.item === item), `table ${table} ${area}/${theme}/${predictor}/${item}`);
const coef = (area: string, theme: string, item: string, term: string, outcome: string) =>
  one(coefs.filter((e) => e.area === area && e.theme === theme && e.item === item && e.term === term && e.outcome === outcome), `table 5 ${area}/${theme}/${item}/${term}/${outcome}`);
const row2 = (area: string, theme: string) => one(data.table2.rows.filter((r) => r.area === area && r.theme === theme), `table 2 ${area}/${theme}`);

/** The value a cell reference points at, or undefined when nothing matches. */
function resolve(ref: Ref): unknown {
  switch (ref.table) {
    case 1:
      return data.table1.rows.find((r) => r.area === ref.area)?.[ref.field as string];
    case 2:
      return (data.table2.rows.find((r) => r.area === ref.area && r.theme === ref.theme) as Record<string, unknown> | undefined)?.[ref.column as string];
    case 3:
    case 4:
      return correlations.find((e) => e.table === ref.table && e.area === ref.area && e.theme === ref.theme && e.predictor === ref.predictor && e.item === ref.item);
    case 5:
      return coefs.find((e) => e.area === ref.area && e.theme === ref.theme && e.item === ref.item && e.term === ref.term && e.outcome === ref.outcome);
  }
  if ('claim' in ref) return data.claims.find((c) => c.id === ref.claim);
  if ('table_note' in ref) return [3, 4, 5].includes(ref.table_note as number) ? ref.table_note : undefined;
  return undefined;
}

// Two-sided critical |r| at n respondents, and the star rule the file states in significance.star_check_rule.
const criticalR = (alpha: number, n: number) => {
  const t = tQuantile(1 - alpha / 2, n - 2);
  return t / Math.sqrt(n - 2 + t * t);
};
const starsHold = (stars: Stars, r: number, n: number) => {
  const reached = [0.05, 0.01, 0.001].filter((a) => Math.abs(r) >= criticalR(a, n)).length;
  return stars === '**' ? reached >= 2 : reached === stars.length;
};
function starCheck(stars: Stars, r: number, n: number): Correlation['star_check'] {
  if (starsHold(stars, r, n)) return 'consistent';
  for (let m = Math.ceil(n / 2); m < n; m++) if (starsHold(stars, r, m)) return 'borderline';
  return 'inconsistent';
}

/** Area-theme columns with at least one starred entry of the predictor in the given direction. */
function significantColumns(table: 3 | 4, predictor: string, direction: 'positive' | 'negative' | 'any'): number {
  const hits = correlations.filter(
    (e) => e.table === table && e.predictor === predictor && e.stars !== '' && (direction === 'any' || (direction === 'positive' ? e.r > 0 : e.r < 0)),
  );
  return new Set(hits.map((e) => `${e.area}/${e.theme}`)).size;
}

test('the file validates against its schema (all errors listed)', () => {
  const ok = validate(raw);
  assert.ok(ok, describe(validate.errors));
});

test('the schema rejects a misspelt area, an unknown field and a Table 5 item outside Barnet', () => {
  const copy = () => JSON.parse(JSON.stringify(raw)) as Published & { extra?: unknown };
  const misspelt = copy();
  (misspelt.table2.rows[4] as Table2Row).area = 'Derbyshire Dates';
  assert.not.ok(validate(misspelt));
  const extra = copy();
  (extra.correlations.entries[0] as Correlation & { n?: number }).n = 430;
  assert.not.ok(validate(extra));
  const item = copy();
  const bristol = item.table5.entries.find((e) => e.area === 'Bristol') as NudgeCoef;
  bristol.item = 'crime';
  assert.not.ok(validate(item));
});

test('Table 1 has the five areas and respondents sum to 3132', () => {
  assert.equal(data.table1.rows.map((r) => r.area), ['Barnet', 'Bristol', 'Derbyshire Dales', 'Swansea', 'Wolverhampton']);
  assert.equal(Object.fromEntries(respondents), { Barnet: 430, Bristol: 953, 'Derbyshire Dales': 496, Swansea: 706, Wolverhampton: 547 });
  assert.is([...respondents.values()].reduce((a, b) => a + b, 0), 3132);
  const swansea = one(data.table1.rows.filter((r) => r.area === 'Swansea'), 'Swansea');
  assert.equal([swansea.country, swansea.population, swansea.population_year], ['Wales', 239000, 2011]);
});

test('Table 1 themes and nudge flags agree with Tables 2 and 5', () => {
  for (const row of data.table1.rows) {
    assert.equal(row.themes, data.table2.rows.filter((r) => r.area === row.area).map((r) => r.theme), row.area);
    assert.is(row.nudges_tested, coefs.some((e) => e.area === row.area), row.area);
  }
});

test('Table 2 has ten area-theme rows with spot values in the right columns', () => {
  assert.is(data.table2.rows.length, 10);
  assert.is(new Set(data.table2.rows.map((r) => `${r.area}/${r.theme}`)).size, 10);
  const bristol = row2('Bristol', 'environment');
  assert.equal([bristol.individual_pct, bristol.collective_pct, bristol.willing_pct], [67, 90, 44]);
  const health = row2('Derbyshire Dales', 'health');
  assert.equal([health.individual_pct, health.collective_pct, health.willing_pct, health.printed_heading], [46, 16, 23, 'DERBYSHIRE DATES']);
  assert.equal(data.table2.rows.filter((r) => r.willing_pct === null).map((r) => r.area), ['Barnet', 'Barnet']);
});

test('Tables 3 and 4 hold 73 and 72 printed correlations and 16 dashes each', () => {
  assert.is(correlations.filter((e) => e.table === 3).length, 73);
  assert.is(correlations.filter((e) => e.table === 4).length, 72);
  assert.is(data.correlations.not_asked.filter((e) => e.table === 3).length, 16);
  assert.is(data.correlations.not_asked.filter((e) => e.table === 4).length, 16);
  const keys = correlations.map((e) => `${e.table}/${e.area}/${e.theme}/${e.predictor}/${e.item}`);
  assert.is(new Set(keys).size, keys.length, 'duplicate correlation entry');
});

test('every table-3/4 cell of the 10 x 8 grid is either printed or a dash, never both', () => {
  for (const table of [3, 4] as const) {
    for (const { area, theme } of data.table2.rows) {
      for (const predictor of ['conditions', 'satisfaction_response', 'satisfaction_information', 'satisfaction_consultation', 'self_efficacy', 'gender', 'age', 'ethnicity']) {
        const printed = correlations.some((e) => e.table === table && e.area === area && e.theme === theme && e.predictor === predictor);
        const dash = data.correlations.not_asked.filter((e) => e.table === table && e.area === area && e.theme === theme && e.predictor === predictor).length;
        assert.ok(printed !== (dash === 1) && dash <= 1, `table ${table} ${area}/${theme}/${predictor}: printed ${printed}, dashes ${dash}`);
      }
    }
  }
});

test('r and stars are exactly the printed string split in two', () => {
  for (const e of [...correlations.map((c) => ({ ...c, value: c.r })), ...coefs.map((c) => ({ ...c, value: c.coef }))]) {
    const m = /^(-?\d+(?:\.\d+)?)(\**)$/.exec(e.printed);
    assert.ok(m, `unparseable ${e.printed}`);
    assert.is(e.value, Number(m?.[1]), e.printed);
    assert.is(e.stars, m?.[2], e.printed);
  }
});

test('spot values sit in the right row, column and item', () => {
  assert.is(cell(3, 'Barnet', 'community safety', 'conditions').printed, '0.162**');
  assert.is(cell(3, 'Barnet', 'community safety', 'satisfaction_response', 'crime').printed, '0.16**');
  assert.is(cell(3, 'Derbyshire Dales', 'health', 'satisfaction_consultation', 'health of others').printed, '0.201**');
  assert.is(cell(3, 'Wolverhampton', 'community safety', 'satisfaction_information').printed, '-0.251**');
  assert.is(cell(3, 'Barnet', 'wellbeing', 'self_efficacy', 'people needing help').printed, '0.093');
  assert.is(cell(4, 'Bristol', 'community safety', 'satisfaction_response', 'crime & ASB').printed, '0.014');
  assert.is(cell(4, 'Derbyshire Dales', 'community safety', 'self_efficacy').printed, '0.768**');
  assert.is(cell(4, 'Swansea', 'environment', 'conditions').printed, '-0.056**');
  assert.is(cell(4, 'Wolverhampton', 'environment', 'age').printed, '0.00');
  assert.is(cell(4, 'Bristol', 'community safety', 'satisfaction_information').stars, '***');
  assert.is(coef('Bristol', 'environment', '', 'nudge_a', 'individual').printed, '2.9***');
  assert.is(coef('Bristol', 'environment', '', 'nudge_a', 'collective').printed, '4.0**');
  assert.is(coef('Barnet', 'community safety', 'anti-social behaviour', 'nudge_b', 'collective').printed, '5.5*');
  assert.is(coef('Wolverhampton', 'community safety', '', 'nudge_b', 'collective').printed, '-3.6');
});

test('Table 5 has 36 coefficients: 6 blocks x 3 terms x 2 outcomes, with Nudge B1 kept as printed', () => {
  assert.is(coefs.length, 36);
  assert.is(new Set(coefs.map((e) => `${e.area}/${e.theme}/${e.item}/${e.term}/${e.outcome}`)).size, 36);
  assert.equal(
    coefs.filter((e) => e.printed_term !== undefined).map((e) => [e.area, e.theme, e.term, e.outcome, e.printed_term]),
    [
      ['Wolverhampton', 'environment', 'nudge_b', 'individual', 'Nudge B1'],
      ['Wolverhampton', 'environment', 'nudge_b', 'collective', 'Nudge B1'],
    ],
  );
});

test('critical r per area matches the t distribution at the area\'s N', () => {
  assert.is(data.significance.critical_r.length, 5);
  for (const c of data.significance.critical_r) {
    assert.is(c.n, respondents.get(c.area), c.area);
    for (const [alpha, value] of [[0.05, c.p05], [0.01, c.p01], [0.001, c.p001]] as const) {
      assert.ok(Math.abs(value - criticalR(alpha, c.n)) < 5e-6, `${c.area} ${alpha}: ${value} vs ${criticalR(alpha, c.n)}`);
    }
  }
  // The figures usually quoted for these sample sizes.
  const barnet = data.significance.critical_r.find((c) => c.area === 'Barnet');
  assert.ok(barnet && Math.abs(barnet.p05 - 0.0946) < 1e-4);
});

test('each star_check follows the stated rule at the area\'s N', () => {
  for (const e of correlations) {
    const n = respondents.get(e.area) ?? 0;
    assert.is(e.star_check, starCheck(e.stars, e.r, n), `table ${e.table} ${e.area}/${e.theme}/${e.predictor}/${e.item} ${e.printed}`);
  }
  assert.is(cell(3, 'Derbyshire Dales', 'environment', 'satisfaction_response').star_check, 'inconsistent');
});

test('cells judged inconsistent are flagged suspect, and suspect cells carry a note', () => {
  for (const e of correlations) {
    if (e.star_check === 'inconsistent') assert.ok(e.suspect, `${e.printed} in ${e.area}/${e.theme}/${e.predictor}`);
  }
  for (const e of [...correlations, ...coefs]) if (e.suspect) assert.ok(e.note_ids.length > 0, `${e.area} ${e.printed} suspect without a note`);
  assert.is(correlations.filter((e) => e.suspect).length, 15);
  assert.is(coefs.filter((e) => e.suspect).length, 3);
});

test('a target differs from the printed r only where a typo note recommends it', () => {
  const retargeted = correlations.filter((e) => e.target_r !== e.r);
  assert.equal(retargeted.map((e) => [e.printed, e.target_r]), [['-0.65', -0.065], ['0.29', 0.029]]);
  const typo = new Set(data.notes.filter((n) => n.kind === 'typo').map((n) => n.id));
  for (const e of retargeted) assert.ok(e.note_ids.some((id) => typo.has(id)), e.printed);
});

test('every note reference resolves, and cells list exactly the notes that concern them', () => {
  const ids = data.notes.map((n) => n.id);
  assert.is(new Set(ids).size, ids.length, 'duplicate note id');
  const claimIds = data.claims.map((c) => c.id);
  assert.is(new Set(claimIds).size, claimIds.length, 'duplicate claim id');
  const listed = new Map<object, Set<string>>();
  for (const n of data.notes) {
    for (const ref of n.concerns) {
      const target = resolve(ref);
      assert.ok(target !== undefined, `note ${n.id}: nothing at ${JSON.stringify(ref)}`);
      // Table 1 and 2 references name a field; the notes list lives on the row.
      const holder = ref.table === 1 ? data.table1.rows.find((r) => r.area === ref.area) : ref.table === 2 ? data.table2.rows.find((r) => r.area === ref.area && r.theme === ref.theme) : target;
      if (holder && typeof holder === 'object') listed.set(holder, (listed.get(holder) ?? new Set()).add(n.id));
    }
  }
  for (const holder of [...data.table1.rows, ...data.table2.rows, ...correlations, ...coefs, ...data.claims]) {
    assert.equal([...holder.note_ids].sort(), [...(listed.get(holder) ?? [])].sort(), JSON.stringify(holder).slice(0, 120));
  }
});

test('the notes cover the known problems of the paper', () => {
  const kinds = (table: 3 | 4, area: string, theme: string, predictor: string, item = '') =>
    cell(table, area, theme, predictor, item).note_ids.map((id) => data.notes.find((n) => n.id === id)?.kind);
  assert.ok(kinds(4, 'Wolverhampton', 'community safety', 'conditions').includes('typo'));
  assert.ok(kinds(4, 'Bristol', 'community safety', 'satisfaction_information').includes('undefined-significance-level'));
  assert.ok(kinds(3, 'Derbyshire Dales', 'environment', 'satisfaction_response').includes('inconsistent-stars'));
  assert.ok(coef('Wolverhampton', 'environment', '', 'nudge_b', 'individual').note_ids.length > 0);
  assert.ok(row2('Derbyshire Dales', 'environment').note_ids.length > 0);
  assert.ok(coef('Barnet', 'community safety', 'crime', 'nudge_a', 'collective').note_ids.length > 0);
});

test('claim checks, comparisons and counts reproduce each claim\'s verdict', () => {
  for (const c of data.claims) {
    const results: boolean[] = [];
    for (const { ref, expected } of c.checks) {
      const value = resolve(ref);
      assert.ok(value !== undefined, `${c.id}: nothing at ${JSON.stringify(ref)}`);
      results.push(value === expected);
    }
    for (const { greater, lesser } of c.comparisons ?? []) results.push((resolve(greater) as number) > (resolve(lesser) as number));
    for (const k of c.counts ?? []) results.push(significantColumns(k.table, k.predictor, k.direction) === k.expected);
    for (const k of c.nudge_counts ?? []) {
      const pool = coefs.filter((e) => k.outcome === 'any' || e.outcome === k.outcome);
      results.push(pool.filter((e) => e.stars !== '').length === k.significant && (k.total === null || pool.length === k.total));
    }
    if (c.significant_cells) {
      const claimed = new Set(c.significant_cells.map((r) => JSON.stringify([r.area, r.theme, r.item, r.term, r.outcome])));
      const starred = new Set(coefs.filter((e) => e.stars !== '').map((e) => JSON.stringify([e.area, e.theme, e.item, e.term, e.outcome])));
      results.push(claimed.size === starred.size && [...claimed].every((k) => starred.has(k)));
    }
    if (results.length > 0) assert.is(c.agrees, results.every(Boolean), c.id);
    if (!c.checkable) assert.is(results.length, 0, `${c.id} is marked not checkable but has checks`);
  }
});

test('a count whose stated denominator differs from the number of printed cells carries the denominators note', () => {
  const printedColumns = (table: 3 | 4, predictor: string) =>
    new Set(correlations.filter((e) => e.table === table && e.predictor === predictor).map((e) => `${e.area}/${e.theme}`)).size;
  const differing = new Set<string>();
  for (const c of data.claims) {
    for (const k of c.counts ?? []) {
      if (k.out_of === null || k.out_of === printedColumns(k.table, k.predictor)) continue;
      differing.add(c.id);
      assert.ok(c.note_ids.includes('count-denominators'), `${c.id}: text says of ${k.out_of}, table prints ${printedColumns(k.table, k.predictor)}`);
    }
  }
  assert.is(differing.size, 10);
});

test('the quoted ranges are the extremes of their Table 2 columns', () => {
  const range = (column: 'individual_pct' | 'collective_pct' | 'willing_pct') => {
    const values = data.table2.rows.map((r) => r[column]).filter((v): v is number => v !== null);
    return [Math.min(...values), Math.max(...values)];
  };
  const quoted = (id: string) => one(data.claims.filter((c) => c.id === id), id).values.map((v) => v.value);
  assert.equal(quoted('individual-range'), range('individual_pct'));
  assert.equal(quoted('collective-range'), range('collective_pct'));
  assert.equal(quoted('willing-range'), range('willing_pct'));
});

test('claims without machine checks agree with the tables as stated', () => {
  const claim = (id: string) => one(data.claims.filter((c) => c.id === id), id);
  for (const { label, value } of claim('themes-per-area').values) {
    assert.is(data.table2.rows.filter((r) => r.area === label).length, value, label);
  }
  assert.is(new Set(correlations.map((e) => `${e.area}/${e.theme}`)).size, claim('ten-area-theme-sets').values[0]?.value);
  // The Conclusions say information links are more evident for collective co-production: the tables say otherwise.
  const moreForCollective = significantColumns(4, 'satisfaction_information', 'positive') > significantColumns(3, 'satisfaction_information', 'positive');
  assert.is(claim('information-more-evident-collective').agrees, moreForCollective);
  const bristol = claim('bristol-environment-group-frequency');
  assert.is(bristol.values.reduce((s, v) => s + v.value, 0), row2('Bristol', 'environment').collective_pct);
});

test.run();
