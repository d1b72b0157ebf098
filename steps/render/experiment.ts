/**
 * The report's section on the nudge experiment analysed as a randomised experiment: why Table 5's
 * specification is not the primary estimate, balance of the pre-treatment variables (Table E1), the
 * unadjusted and adjusted HC3 estimates with joint tests and multiplicity control (Table E2), and power
 * (Table E3, the power figure), with which of the article's published effects the design could detect.
 * Every number comes from the experiment step's tables; nothing here computes a statistic.
 */
import { address, cell, cellNumber, heading, inlineList, num, paragraph, partsCell, prose, type Block, type Figure, type Inline, type Table } from '../../lib/report/document.js';
import type { BalanceRow, EstimateRow, ExperimentTables, PowerRow } from '../../lib/report/experiment-inputs.js';
import type { NudgeRow } from '../../lib/report/inputs.js';
import { compareBy, OUTCOMES, type Labels } from '../../lib/report/labels.js';
import { armColumn } from '../../lib/table/experiment-tables.js';
import type { PublishedNudge } from '../../lib/report/published.js';
import { capitalise, fixed, list, numberWord } from '../../lib/report/words.js';
import { medianOfSorted } from '../../lib/stats/median.js';
import { familyCounts } from '../../lib/stats/multiple-testing.js';

const byCell = (L: Labels) => <T extends { area: string; theme: string }>(a: T, b: T) => L.compareAreas(a.area, b.area) || L.compareThemes(a.theme, b.theme);
const p3 = (p: number | null) => (p === null ? '-' : p < 0.001 ? '<0.001' : fixed(p, 3));
/** A p-value as printed, with its cell's address; "<0.001" is a bound, not the value, so it carries none. */
const numP = (p: number, ref: string | undefined) => (p < 0.001 ? p3(p) : num(p3(p), ref));
const VARIABLE_LABELS: Record<string, string> = { gender: 'Male (share)', age: 'Age band (1-6)', ethnicity: 'Minority ethnic (share)', 'all (joint)': 'All at once' };
const VARIABLE_PHRASES: Record<string, string> = { gender: 'share male', age: 'age band', ethnicity: 'share minority ethnic' };
const SPEC_LABELS: Record<string, string> = { unadjusted: 'unadjusted', adjusted: 'adjusted' };
/** A number of the prose computed from many cells of a table (a count, a median): linked to the table. */
const counted = (value: number | string, table: string): Inline => ({ counted: String(value), from: table });

export function experimentSection(L: Labels, x: ExperimentTables, nudges: readonly NudgeRow[], published: readonly PublishedNudge[], latest: number, paperWave: number, figures: ReadonlyMap<string, Figure>): Block[] {
  const estimates = x.estimates.filter((r) => r.wave === latest);
  if (!estimates.length) return [];
  const blocks: Block[] = [heading(3, `2.5 The nudge experiment analysed as an experiment (wave ${latest})`, 'sec-experiment')];
  blocks.push(...whyParagraphs(L, estimates, nudges.filter((r) => r.wave === latest)));
  blocks.push(...balanceBlocks(L, x.balance.filter((r) => r.wave === latest), latest));
  blocks.push(...estimateBlocks(L, estimates, nudges.filter((r) => r.wave === latest), latest));
  blocks.push(...powerBlocks(L, x.power, estimates, published, latest, paperWave, figures));
  return blocks;
}

/** Tables E1-E3 of an earlier wave, for the appendix that repeats the main tables wave by wave. */
export function experimentTables(L: Labels, x: ExperimentTables, nudges: readonly NudgeRow[], wave: number): Block[] {
  const estimates = x.estimates.filter((r) => r.wave === wave);
  if (!estimates.length) return [];
  const tag = ` (${wave})`;
  return [
    ...balanceBlocks(L, x.balance.filter((r) => r.wave === wave), wave, tag),
    ...estimateBlocks(L, estimates, nudges.filter((r) => r.wave === wave), wave, tag),
    ...powerBlocks(L, x.power, estimates, [], wave, wave, new Map(), tag),
  ].filter((b) => b.kind === 'table');
}

/** " (2013)" → "-2013", for table ids. */
const idTag = (tag: string) => (tag ? `-${tag.replace(/\D/g, '')}` : '');

function whyParagraphs(L: Labels, estimates: readonly EstimateRow[], table5: readonly NudgeRow[]): Block[] {
  const unadjusted = estimates.filter((r) => r.specification === 'unadjusted');
  const areas = [...new Set(unadjusted.map((r) => r.area))].sort(L.compareAreas);
  const lost = areas.flatMap((area): Inline[][] => {
    const mine = unadjusted.filter((r) => r.area === area);
    const randomised = mine.reduce((a, b) => (b.n > a.n ? b : a));
    const used = table5.filter((r) => r.area === area && r.n !== null).sort((a, b) => a.n! - b.n!);
    if (!used.length) return [];
    const [fewest, most] = [used[0]!, used[used.length - 1]!];
    const n = (text: number, file: string, row: { at?: number }) => cellNumber(String(text), address(file, row.at, 'n'));
    return [prose`${area} ${n(randomised.n, 'experiment.csv', randomised)} to ${n(fewest.n!, 'table5.csv', fewest)}${most.n !== fewest.n ? prose`-${n(most.n!, 'table5.csv', most)}` : ''}`];
  });
  const significant = table5.filter((r) => r.p !== null && r.p < 0.05);
  const versions = significant.filter((r) => r.item !== '');
  return [
    paragraph(
      'Table 5 follows the article: each model controls for the attitude questions (conditions, satisfaction and self-efficacy), which the questionnaire asks after the nudge text, so the nudge may have moved them; a model uses only respondents who answered every control; stars come from classical standard errors, although the collective measure is 0 or 100 and so heteroskedastic by construction; and where Barnet asked the attitude questions about crime and about anti-social behaviour, the same outcome, respondents and contrasts are fitted twice. ',
      ...(lost.length ? prose`Requiring every control takes the respondents of a model from ${inlineList(lost)}. ` : []),
      ...(significant.length
        ? prose`Of the ${counted(numberWord(significant.length), 'tbl-5')} ${significant.length === 1 ? 'coefficient' : 'coefficients'} significant at 5% in Table 5, ${counted(numberWord(versions.length), 'tbl-5')} ${versions.length === 1 ? 'is' : 'are'} in those two versions of one model. `
        : []),
      'The tables of this section analyse the experiment as randomised: one model per area, theme and outcome on every randomised respondent, HC3 standard errors for every test, and multiplicity control over a stated family.',
    ),
  ];
}

function balanceBlocks(L: Labels, rows: readonly BalanceRow[], wave: number, tag = ''): Block[] {
  if (!rows.length) return [];
  const tested = rows.filter((r) => r.variable !== '');
  const missing = [...new Set(rows.filter((r) => r.variable === '').map((r) => r.area))];
  const perVariable = tested.filter((r) => r.variable !== 'all (joint)' && r.p !== null);
  const joint = tested.filter((r) => r.variable === 'all (joint)' && r.p !== null);
  // balance.csv's columns per arm (the control first), as the experiment step names them.
  const [control, ...treated] = L.armNames();
  const countColumns = [control!, ...treated].map((a) => `n_${armColumn(a)}`);
  const smdColumns = treated.map((a) => `smd_${armColumn(a)}`);
  const worst = perVariable.flatMap((r) => r.smd.map((d, k) => ({ r, d: d ?? 0, k, arm: L.terms()[k]! }))).sort((a, b) => Math.abs(b.d) - Math.abs(a.d))[0];
  const sentences: Inline[] = [
    `Randomisation should leave the arms alike in everything measured before the nudge. The only such variables in the data are the demographics (gender, age band, ethnicity); Table E1 compares them across the arms.`,
  ];
  if (worst)
    sentences.push(
      ...prose` The largest standardised difference is ${cellNumber(fixed(worst.d, 2), address('balance.csv', worst.r.at, smdColumns[worst.k]!))} (${worst.r.area}, ${VARIABLE_PHRASES[worst.r.variable] ?? worst.r.variable}, ${L.termLabel(worst.arm)} against no nudge); p < .05 in ${ofTests(perVariable, 'per-variable test')} and ${ofTests(joint, 'joint test')}.`,
    );
  if (missing.length) sentences.push(` ${list(missing)} asked no demographic question, so ${missing.length === 1 ? 'its' : 'their'} randomisation cannot be checked from the data; only ${missing.length === 1 ? 'its' : 'their'} arm sizes are shown.`);
  const table: Table = {
    id: `tbl-e1${idTag(tag)}`,
    label: `Table E1${tag}`,
    caption: `Pre-treatment balance across the nudge arms (wave ${wave})`,
    head: ['Area', 'Variable', `n (${L.armNames().join(' / ')})`, ...treated.map((a) => `SMD ${a}`), 'Test', 'p'],
    align: ['left', 'left', 'right', ...treated.map(() => 'right' as const), 'left', 'right'],
    rows: [...rows].sort(byCellArea(L)).map((r) => ({
      cells: [
        cell(r.area),
        cell(r.variable ? (VARIABLE_LABELS[r.variable] ?? r.variable) : 'none asked'),
        partsCell([r.counts.flatMap((c, k) => [...(k ? [' / '] : []), c === null ? '-' : num(String(c), address('balance.csv', r.at, countColumns[k]!))])]),
        ...r.smd.map((d, k) => (d === null ? cell('') : partsCell([[num(fixed(d, 2), address('balance.csv', r.at, smdColumns[k]!))]]))),
        r.test
          ? partsCell([[`${r.test.replace('HC3 Wald ', '')} (`, num(String(r.df1), address('balance.csv', r.at, 'df1')), ...(r.df2 !== null ? [', ', num(String(r.df2), address('balance.csv', r.at, 'df2'))] : []), ')']])
          : cell(''),
        r.p === null ? cell('') : partsCell([[numP(r.p, address('balance.csv', r.at, 'p'))]]),
      ],
    })),
    notes: [
      ['SMD: difference of the arm mean from the no-nudge mean, in units of the root mean of their two variances (|SMD| > 0.1 is the usual flag). Tests are HC3 Wald tests that the three arms equal no nudge: F for one variable, chi-square for all at once (respondents with every variable). Every value is in ', { code: 'tables/balance.csv' }, '.'],
    ],
  };
  return [paragraph(...sentences), { kind: 'table', table }];
}

/** "0 of 6 per-variable tests": digits, so that one test reads as plainly as six; counted from Table E1. */
function ofTests(rows: readonly { p: number | null }[], noun: string): Inline[] {
  const k = rows.filter((r) => r.p !== null && r.p < 0.05).length;
  return prose`${counted(k, 'tbl-e1')} of ${counted(rows.length, 'tbl-e1')} ${noun}${rows.length === 1 ? '' : 's'}`;
}

/** Marks a contrast that survives Holm's adjustment over its family. */
const HOLM_MARK = '\u2020';

const byCellArea = (L: Labels) => (a: BalanceRow, b: BalanceRow) => L.compareAreas(a.area, b.area);

function estimateBlocks(L: Labels, rows: readonly EstimateRow[], table5: readonly NudgeRow[], wave: number, tag = ''): Block[] {
  const unadjusted = rows.filter((r) => r.specification === 'unadjusted');
  const sig = unadjusted.filter((r) => r.p_hc3 < 0.05);
  const holm = unadjusted.filter((r) => r.p_holm < 0.05);
  const bh = unadjusted.filter((r) => r.p_bh < 0.05);
  const joints = [...new Map(unadjusted.map((r) => [`${r.area}|${r.theme}|${r.outcome}`, r.wald_p])).values()].filter((p): p is number => p !== null);
  // How far the article's specification moves an estimate: the largest gap to a matching Table 5 row.
  const gaps = unadjusted.flatMap((u) =>
    table5.filter((t) => t.area === u.area && t.theme === u.theme && t.outcome === u.outcome && t.term === u.term && t.coef !== null).map((t) => ({ u, t, gap: Math.abs(t.coef! - u.coef) })),
  );
  const widest = gaps.sort((a, b) => b.gap - a.gap)[0];
  const models = [...new Set(rows.map((r) => `${r.area}|${r.theme}|${r.outcome}|${r.specification}`))];
  const table: Table = {
    id: `tbl-e2${idTag(tag)}`,
    label: `Table E2${tag}`,
    caption: `Effects of the nudges against no nudge, percentage points with 95% intervals (HC3), wave ${wave}`,
    head: ['Area', 'Theme', 'Outcome', 'Model', ...L.terms().map(L.termLabel), 'Joint p', 'n'],
    align: ['left', 'left', 'left', 'left', 'right', 'right', 'right', 'right', 'right'],
    rows: models.map((key) => {
      const own = rows.filter((r) => `${r.area}|${r.theme}|${r.outcome}|${r.specification}` === key).sort((a, b) => L.compareTerms(a.term, b.term));
      const r = own[0]!;
      return {
        cells: [
          cell(r.area), cell(r.theme), cell(r.outcome), cell(SPEC_LABELS[r.specification] ?? r.specification),
          ...own.map((t) => {
            const at = (column: string) => address('experiment.csv', t.at, column);
            return partsCell([
              [num(fixed(t.coef, 1), at('coef')), `${t.stars}${t.p_holm < 0.05 ? HOLM_MARK : ''}`],
              ['(', num(fixed(t.ci_low, 1), at('ci_low')), ' to ', num(fixed(t.ci_high, 1), at('ci_high')), ')'],
            ]);
          }),
          r.wald_p === null ? cell(p3(r.wald_p)) : partsCell([[numP(r.wald_p, address('experiment.csv', r.at, 'wald_p'))]]),
          partsCell([[num(String(r.n), address('experiment.csv', r.at, 'n'))]]),
        ],
      };
    }),
    notes: [
      [`** p < .01, * p < .05, two-sided, from HC3 standard errors (t with n - k df); ${HOLM_MARK} still below .05 after Holm's adjustment over the family. The intervals use the same errors. Unadjusted: every randomised respondent with the outcome. Adjusted: the same with gender, age band and ethnicity, where asked (respondents with all of them). Joint p: HC3 Wald F test that all three arms equal no nudge. BH and Holm adjusted p, each over the family named in `, { code: 'tables/experiment.csv' }, ', are there with every value.'],
    ],
  };
  const e2 = (value: number | string) => counted(value, `tbl-e2${idTag(tag)}`);
  const jointSig = joints.filter((p) => p < 0.05).length;
  const sentences: Inline[] = prose`Table E2 gives the primary estimate, unadjusted, beside the estimate adjusted for the demographics where an area asked them. Of the ${e2(unadjusted.length)} unadjusted arm contrasts of the wave, taken together as one family for the adjustments, ${e2(numberWord(sig.length))} ${sig.length === 1 ? 'has' : 'have'} p < .05, against about ${e2(fixed(familyCounts(unadjusted.map((r) => r.p_hc3), 0.05).expectedByChance, 1))} expected by chance if no nudge did anything; ${e2(numberWord(holm.length))} ${holm.length === 1 ? 'remains' : 'remain'} after Holm's adjustment (family-wise error) and ${e2(numberWord(bh.length))} after Benjamini and Hochberg's (false discovery rate). ${e2(capitalise(numberWord(jointSig)))} of the ${e2(joints.length)} joint tests of the three arms ${jointSig === 1 ? 'has' : 'have'} p < .05.`;
  if (widest && widest.gap >= 0.05)
    sentences.push(
      ...prose` The article's specification matters: the largest gap between a Table 5 coefficient and the unadjusted estimate of the same contrast is ${e2(fixed(widest.gap, 1))} points (${widest.u.area}, ${widest.u.theme}, ${widest.u.outcome}, ${L.termLabel(widest.u.term)}: ${cellNumber(fixed(widest.t.coef!, 1), address('table5.csv', widest.t.at, 'coef'))} in Table 5, ${cellNumber(fixed(widest.u.coef, 1), address('experiment.csv', widest.u.at, 'coef'))} unadjusted).`,
    );
  return [paragraph(...sentences), { kind: 'table', table }];
}

function powerBlocks(L: Labels, all: readonly PowerRow[], estimates: readonly EstimateRow[], published: readonly PublishedNudge[], latest: number, paperWave: number, figures: ReadonlyMap<string, Figure>, tag = ''): Block[] {
  const rows = all.filter((r) => r.wave === latest);
  if (!rows.length) return [];
  const sorted = [...rows].sort((a, b) => a.mde - b.mde);
  const mdes = sorted.map((r) => r.mde);
  const median = medianOfSorted(mdes);
  const mde = (r: PowerRow) => cellNumber(fixed(r.mde, 1), address('power.csv', r.at, 'mde'));
  const e3 = (value: number | string) => counted(value, `tbl-e3${idTag(tag)}`);
  const { alpha, power } = rows[0]!;
  const unadjusted = estimates.filter((r) => r.specification === 'unadjusted');
  const reach = unadjusted.filter((e) => {
    const m = rows.find((r) => r.area === e.area && r.theme === e.theme && r.outcome === e.outcome && r.term === e.term);
    return m && Math.abs(e.coef) >= m.mde;
  });
  const sentences: Inline[] = prose`How large an effect could the experiment have found? With each model's residual standard deviation and the arm sizes it used, the smallest true effect a two-sided test at ${fixed(alpha * 100, 0)}% detects with ${fixed(power * 100, 0)}% power (the minimum detectable effect, MDE) is between ${mde(sorted[0]!)} and ${mde(sorted[sorted.length - 1]!)} points in wave ${String(latest)} (median ${e3(fixed(median, 1))}; Table E3, Figure E1). ${e3(capitalise(numberWord(reach.length)))} of the ${e3(unadjusted.length)} unadjusted estimates ${reach.length === 1 ? 'is' : 'are'} as large as the MDE of ${reach.length === 1 ? 'its' : 'their'} cell. A nudge that is not significant here is therefore not evidence that it had no effect: effects of a few points, if real, would mostly go undetected.`;
  const paperRows = all.filter((r) => r.wave === paperWave);
  const matched = published.flatMap((p) => {
    const m = paperRows.find((r) => r.area === p.area && r.theme === p.theme && r.outcome === p.outcome && r.term === p.term);
    return m ? [{ p, m }] : [];
  });
  if (matched.length) {
    const detectable = matched.filter(({ p, m }) => Math.abs(p.coef) >= m.mde);
    const sizes = matched.map(({ p }) => Math.abs(p.coef)).sort((a, b) => a - b);
    sentences.push(
      ` Set against the effects the article publishes for wave ${paperWave} (${matched.length} nudge coefficients, ${fixed(sizes[0]!, 1)} to ${fixed(sizes[sizes.length - 1]!, 1)} points in absolute value): ${detectable.length === 0 ? 'none' : numberWord(detectable.length)} ${detectable.length === 1 ? 'is' : 'are'} as large as the MDE of ${detectable.length === 1 ? 'its' : 'their'} cell in the data of that wave${detectable.length ? ` (${list(detectable.map(({ p }) => `${p.area} ${p.theme}, ${p.outcome}, ${L.termLabel(p.term)}: ${fixed(p.coef, 1)}`))})` : ''}, so the design could reliably have detected ${detectable.length ? 'only effects of that size' : 'none of them'}.`,
    );
  }
  const cells = [...new Map(rows.map((r) => [`${r.area}|${r.theme}|${r.outcome}`, r])).values()].sort((a, b) => byCell(L)(a, b) || compareBy(OUTCOMES)(a.outcome, b.outcome));
  const table: Table = {
    id: `tbl-e3${idTag(tag)}`,
    label: `Table E3${tag}`,
    caption: `Minimum detectable effects, percentage points (${fixed(power * 100, 0)}% power, ${fixed(alpha * 100, 0)}% two-sided; wave ${latest})`,
    head: ['Area', 'Theme', 'Outcome', ...L.terms().map(L.termLabel), `n (${L.armNames().join(' / ')})`],
    align: ['left', 'left', 'left', ...L.terms().map(() => 'right' as const), 'right'],
    rows: cells.map((c) => {
      const own = rows.filter((r) => r.area === c.area && r.theme === c.theme && r.outcome === c.outcome).sort((a, b) => L.compareTerms(a.term, b.term));
      const sizes = [num(String(own[0]!.n_none), address('power.csv', own[0]!.at, 'n_none')), ...own.map((r) => num(String(r.n_arm), address('power.csv', r.at, 'n_arm')))];
      return {
        cells: [
          cell(c.area), cell(c.theme), cell(c.outcome), ...own.map((r) => partsCell([[num(fixed(r.mde, 1), address('power.csv', r.at, 'mde'))]])),
          partsCell([sizes.flatMap((part, k) => (k ? [' / ', part] : [part]))]),
        ],
      };
    }),
    notes: [['MDE = (t(1 - alpha/2) + t(power)) x residual SD x sqrt(1/n_arm + 1/n_none), with the unadjusted model\'s residual SD and degrees of freedom. The same computed from each arm\'s HC3 standard error is in ', { code: 'tables/power.csv' }, '.']],
  };
  const fig = tag ? undefined : figures.get('power-mde');
  return [paragraph(...sentences), { kind: 'table', table }, ...(fig ? [{ kind: 'figure' as const, figure: fig }] : [])];
}
