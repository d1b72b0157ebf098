/**
 * The findings, written from the numbers. Every figure in a sentence is computed here, and so is every
 * word that depends on one: "above" or "below", "one cell" or "3 cells", "none" at zero, which cells
 * are named. New data therefore rewrites the sentences, not only the numbers in them. A number read
 * from a cell of a published table carries that cell's address; counts and spreads, computed here from
 * many cells, are marked by the caller as counted from their table.
 */
import { address, cellNumber, inlineList, prose, type Inline } from '../../lib/report/document.js';
import type { CorrelationRow, LevelRow, NudgeRow, TimeItemRow } from '../../lib/report/inputs.js';
import { capitaliseTheme, cellName, type Labels } from '../../lib/report/labels.js';
import { areaThemes } from '../../lib/report/tables.js';
import { coef1, count, fixed, list, numberWord, r3 } from '../../lib/report/words.js';

type Paragraph = Inline[];

/** A percentage as the paper prints it (whole), its number linked to its cell. */
const pctOf = (x: number, file: string, row: { at?: number }, column: string): Inline[] => [cellNumber(fixed(x, 0), address(file, row.at, column)), '%'];

const byAreaTheme = (L: Labels) => <T extends { area: string; theme: string }>(a: T, b: T) => L.compareAreas(a.area, b.area) || L.compareThemes(a.theme, b.theme);

/** Lowest and highest of a measure, with every cell that ties at either end. */
export function extremes<T extends { area: string; theme: string }>(L: Labels, rows: readonly T[], value: (r: T) => number | null) {
  const present = rows.filter((r) => value(r) !== null).sort(byAreaTheme(L));
  if (present.length === 0) return undefined;
  const values = present.map((r) => value(r)!);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  // Compared as printed (whole percentages), so cells that look tied are named together.
  const at = (x: number) => present.filter((r) => Math.round(value(r)!) === Math.round(x)).map((r) => cellName(r.area, r.theme));
  // The rows holding the lowest and highest values, whose cells the printed numbers are.
  return { n: present.length, lo, hi, loCells: at(lo), hiCells: at(hi), loRow: present.find((r) => value(r) === lo)!, hiRow: present.find((r) => value(r) === hi)! };
}

type LevelColumn = 'individual_pct' | 'collective_pct' | 'willing_pct';

function rangeSentence(L: Labels, rows: readonly LevelRow[], column: LevelColumn, what: string): Paragraph {
  const e = extremes(L, rows, (r) => r[column]);
  if (!e) return [`No area-theme cell reports ${what} in this wave.`];
  const lo = pctOf(e.lo, 'table2.csv', e.loRow, column);
  if (Math.round(e.lo) === Math.round(e.hi)) return prose`${capitaliseTheme(what)} stands at ${lo} in ${e.n === 1 ? 'the one area-theme cell' : e.n === 2 ? 'both area-theme cells' : `all ${numberWord(e.n)} area-theme cells`} (${list(e.loCells)}).`;
  return prose`Across ${count(e.n, 'area-theme cell')}, ${what} runs from ${lo} in ${list(e.loCells)} to ${pctOf(e.hi, 'table2.csv', e.hiRow, column)} in ${list(e.hiCells)}, a spread of ${String(Math.round(e.hi) - Math.round(e.lo))} points.`;
}

export function levelFindings(L: Labels, levels: readonly LevelRow[], wave: number): Paragraph[] {
  const rows = levels.filter((r) => r.wave === wave);
  const out: Paragraph[] = [];
  out.push(rangeSentence(L, rows, 'individual_pct', 'the individual co-production index'));
  out.push(rangeSentence(L, rows, 'collective_pct', 'the share taking part in groups'));

  const both = rows.filter((r) => r.individual_pct !== null && r.collective_pct !== null).sort(byAreaTheme(L));
  if (both.length > 0) {
    const above = both.filter((r) => Math.round(r.individual_pct!) > Math.round(r.collective_pct!));
    const others = both.filter((r) => !above.includes(r));
    const describe = (r: LevelRow): Inline[] => {
      const i = pctOf(r.individual_pct!, 'table2.csv', r, 'individual_pct');
      const c = pctOf(r.collective_pct!, 'table2.csv', r, 'collective_pct');
      return Math.round(r.individual_pct!) === Math.round(r.collective_pct!)
        ? prose`${cellName(r.area, r.theme)}, where the two are equal at ${i}`
        : prose`${cellName(r.area, r.theme)}, where the share in groups (${c}) is above the individual index (${i})`;
    };
    if (others.length === 0) out.push([`Individual co-production is higher than collective co-production in every one of the ${both.length} cells that measure both.`]);
    else if (above.length === 0) out.push(prose`Individual co-production is not higher than collective co-production in any of the ${String(both.length)} cells that measure both: ${inlineList(others.map(describe))}.`);
    else
      out.push(
        prose`Individual co-production is higher than collective co-production in ${String(above.length)} of the ${String(both.length)} cells that measure both; the ${others.length === 1 ? 'exception is' : `${numberWord(others.length)} exceptions are`} ${inlineList(others.map(describe))}.`,
      );
  }

  // Environment against community safety, within the areas that asked about both.
  const pairs = [...new Set(rows.map((r) => r.area))]
    .sort(L.compareAreas)
    .map((area) => {
      const env = rows.find((r) => r.area === area && r.theme === 'environment');
      const cs = rows.find((r) => r.area === area && r.theme === 'community safety');
      return { area, env: env?.individual_pct ?? null, cs: cs?.individual_pct ?? null, envRow: env!, csRow: cs! };
    })
    .filter((p) => p.env !== null && p.cs !== null);
  if (pairs.length > 0) {
    const envHigher = pairs.filter((p) => Math.round(p.env!) > Math.round(p.cs!));
    const rest = pairs.filter((p) => !envHigher.includes(p));
    const detail = (p: (typeof pairs)[number]) => prose`${p.area} (${pctOf(p.env!, 'table2.csv', p.envRow, 'individual_pct')} against ${pctOf(p.cs!, 'table2.csv', p.csRow, 'individual_pct')})`;
    out.push(
      envHigher.length === pairs.length
        ? prose`In ${pairs.length === 1 ? 'the one area' : `all ${numberWord(pairs.length)} areas`} that asked about both the environment and community safety, the individual index is higher for the environment: ${inlineList(pairs.map(detail))}.`
        : envHigher.length === 0
          ? prose`In none of the ${count(pairs.length, 'area')} that asked about both the environment and community safety is the individual index higher for the environment: ${inlineList(pairs.map(detail))}.`
          : prose`The individual index is higher for the environment than for community safety in ${String(envHigher.length)} of the ${String(pairs.length)} areas that asked about both (${inlineList(envHigher.map(detail))}) but not in ${inlineList(rest.map(detail))}.`,
    );
  }

  out.push(rangeSentence(L, rows, 'willing_pct', 'the share willing to give at least a few hours a month'));
  return out;
}

export function timeFindings(L: Labels, items: readonly TimeItemRow[], wave: number): Paragraph[] {
  const rows = items.filter((r) => r.wave === wave);
  return areaThemes(L, rows).flatMap(({ area, theme }) => {
    const nowRow = rows.find((r) => r.area === area && r.theme === theme && r.item === 'current_time');
    const moreRow = rows.find((r) => r.area === area && r.theme === theme && r.item === 'more_time');
    const now = nowRow?.pct ?? null;
    const more = moreRow?.pct ?? null;
    if (now === null || more === null) return [];
    const a = Math.round(now);
    const b = Math.round(more);
    const compare =
      b > a
        ? `more respondents offer extra time than already give it, by ${b - a} ${b - a === 1 ? 'point' : 'points'}`
        : b < a
          ? `fewer respondents offer extra time than already give it, by ${a - b} ${a - b === 1 ? 'point' : 'points'}`
          : 'as many respondents offer extra time as already give it';
    return [prose`In ${cellName(area, theme)}, ${pctOf(now, 'time-items.csv', nowRow!, 'pct')} already give at least a few hours a month and ${pctOf(more, 'time-items.csv', moreRow!, 'pct')} would give at least a few hours more: ${compare}.`];
  });
}

export interface PredictorCount {
  predictor: string;
  /** Area-theme cells where the predictor was asked (has at least one value). */
  tested: Array<{ area: string; theme: string }>;
  positive: Array<{ area: string; theme: string }>;
  negative: Array<{ area: string; theme: string }>;
}

/**
 * For one table and wave, per predictor: the area-theme cells where it was asked and those with at
 * least one significant positive (negative) value, sub-items counted once per cell, as the paper counts.
 */
export function predictorCounts(L: Labels, rows: readonly CorrelationRow[], wave: number): PredictorCount[] {
  const current = rows.filter((r) => r.wave === wave && r.r !== null);
  const predictors = [...new Set([...L.predictorOrder(), ...current.map((r) => r.predictor)])].filter((p) => current.some((r) => r.predictor === p));
  return predictors.map((predictor) => {
    const mine = current.filter((r) => r.predictor === predictor);
    const cellsWhere = (test: (r: CorrelationRow) => boolean) => areaThemes(L, mine.filter(test));
    return {
      predictor,
      tested: areaThemes(L, mine),
      positive: cellsWhere((r) => r.stars !== '' && r.r! > 0),
      negative: cellsWhere((r) => r.stars !== '' && r.r! < 0),
    };
  });
}

const named = (cells: ReadonlyArray<{ area: string; theme: string }>) => list(cells.map((c) => cellName(c.area, c.theme)));

function predictorSentence(L: Labels, c: PredictorCount): string {
  const phrase = capitaliseTheme(L.predictorPhrase(c.predictor));
  const n = c.tested.length;
  const where = `of the ${n === 1 ? 'one area-theme cell' : `${n} area-theme cells`} where it was asked`;
  const part = (cells: PredictorCount['positive'], sign: string) => (cells.length <= 3 ? `${sign} in ${cells.length} (${named(cells)})` : `${sign} in ${cells.length}`);
  if (c.positive.length === 0 && c.negative.length === 0) return `${phrase}: no significant correlation in any ${where}.`;
  const parts: string[] = [];
  if (c.positive.length > 0) parts.push(part(c.positive, 'significantly positive'));
  if (c.negative.length > 0) parts.push(part(c.negative, 'significantly negative'));
  if (c.positive.length === 0) parts.push('positive in none');
  if (c.negative.length === 0) parts.push('negative in none');
  return `${phrase}: ${list(parts)} ${where}.`;
}

export function correlationFindings(L: Labels, rows: readonly CorrelationRow[], wave: number, kind: 'individual' | 'collective'): Paragraph[] {
  const counts = predictorCounts(L, rows, wave);
  const current = rows.filter((r) => r.wave === wave && r.r !== null);
  if (current.length === 0) return [[`No correlations with ${kind} co-production were computed for this wave.`]];
  const out: Paragraph[] = [];
  const ranked = [...counts].sort((a, b) => b.positive.length + b.negative.length - (a.positive.length + a.negative.length));
  const top = ranked[0]!;
  const topN = top.positive.length + top.negative.length;
  const tied = ranked.filter((c) => c.positive.length + c.negative.length === topN);
  out.push([
    topN === 0
      ? `No predictor is significantly related to ${kind} co-production in any area-theme cell.`
      : `${tied.length === 1 ? 'The predictor' : 'The predictors'} most often significantly related to ${kind} co-production ${tied.length === 1 ? 'is' : 'are'} ${list(tied.map((c) => L.predictorPhrase(c.predictor)))}, in ${count(topN, 'area-theme cell')}${tied.length === 1 ? '' : ' each'}.`,
  ]);
  const strongest = [...current].sort((a, b) => Math.abs(b.r!) - Math.abs(a.r!) || byAreaTheme(L)(a, b) || L.compareItems(a.item, b.item))[0]!;
  const file = kind === 'individual' ? 'table3.csv' : 'table4.csv';
  out.push([
    'The strongest single correlation is ',
    cellNumber(r3(strongest.r!), address(file, strongest.at, 'r')),
    `${strongest.stars ? ` (${strongest.stars === '**' ? 'p < .01' : 'p < .05'})` : ' (not significant)'}, between ${kind} co-production and ${L.predictorPhrase(strongest.predictor)}${strongest.item ? ` (${strongest.item})` : ''} in ${cellName(strongest.area, strongest.theme)}.`,
  ]);
  return [...out, ...counts.map((c) => [predictorSentence(L, c)] as Paragraph)];
}

/** Predictors significant more often for one kind of co-production than the other. */
export function comparisonFindings(L: Labels, individual: readonly CorrelationRow[], collective: readonly CorrelationRow[], wave: number): Paragraph[] {
  const a = new Map(predictorCounts(L, individual, wave).map((c) => [c.predictor, c]));
  const b = new Map(predictorCounts(L, collective, wave).map((c) => [c.predictor, c]));
  const sig = (c: PredictorCount | undefined) => (c ? c.positive.length + c.negative.length : 0);
  const predictors = [...new Set([...a.keys(), ...b.keys()])];
  const moreCollective = predictors.filter((p) => sig(b.get(p)) > sig(a.get(p)));
  const moreIndividual = predictors.filter((p) => sig(a.get(p)) > sig(b.get(p)));
  const same = predictors.filter((p) => sig(a.get(p)) === sig(b.get(p)));
  // Each count is counted from its own table: the first from Table 3, the second from Table 4.
  const show = (ps: string[]) => inlineList(ps.map((p) => prose`${L.predictorPhrase(p)} (${{ counted: String(sig(a.get(p))), from: 'tbl-3' }} against ${{ counted: String(sig(b.get(p))), from: 'tbl-4' }})`));
  const out: Paragraph[] = [];
  out.push(
    prose`Counting area-theme cells with a significant correlation in either direction (individual against collective), ${
      moreCollective.length ? prose`${show(moreCollective)} ${moreCollective.length === 1 ? 'is' : 'are'} significant more often for collective co-production` : 'no predictor is significant more often for collective co-production'
    }; ${moreIndividual.length ? prose`${show(moreIndividual)} ${moreIndividual.length === 1 ? 'is' : 'are'} significant more often for individual co-production` : 'none is significant more often for individual co-production'}${
      same.length ? `; ${list(same.map(L.predictorPhrase))} ${same.length === 1 ? 'is' : 'are'} level` : ''
    }.`,
  );
  return out;
}

const nudgeCell = (L: Labels, r: NudgeRow): Inline[] => [
  `${L.termLabel(r.term)} on ${r.outcome} co-production, ${r.theme}${r.item ? ` (${r.item})` : ''} in ${r.area}: ${r.coef! > 0 ? '+' : ''}`,
  cellNumber(coef1(r.coef!), address('table5.csv', r.at, 'coef')),
];

export function nudgeFindings(L: Labels, rows: readonly NudgeRow[], wave: number): Paragraph[] {
  const current = rows
    .filter((r) => r.wave === wave && r.coef !== null)
    .sort((a, b) => byAreaTheme(L)(a, b) || L.compareItems(a.item, b.item) || (a.outcome < b.outcome ? -1 : a.outcome > b.outcome ? 1 : 0) || L.compareTerms(a.term, b.term));
  if (current.length === 0) return [['No nudge coefficients were estimated for this wave.']];
  const significant = current.filter((r) => r.stars !== '');
  const by = (outcome: string) => ({ total: current.filter((r) => r.outcome === outcome).length, sig: significant.filter((r) => r.outcome === outcome).length });
  const ind = by('individual');
  const col = by('collective');
  const out: Paragraph[] = [];
  if (significant.length === 0) {
    out.push([`None of the ${current.length} nudge coefficients is significant at the 5% level: neither nudge, alone or together, moved individual or collective co-production detectably.`]);
    return out;
  }
  const positive = significant.filter((r) => r.coef! > 0).length;
  const negative = significant.length - positive;
  out.push([
    `${capitaliseTheme(numberWord(significant.length))} of the ${current.length} nudge coefficients ${significant.length === 1 ? 'is' : 'are'} significant at the 5% level: ${ind.sig} of ${ind.total} for individual and ${col.sig} of ${col.total} for collective co-production. ${
      negative === 0 ? (significant.length === 1 ? 'It is positive.' : 'All of them are positive.') : positive === 0 ? (significant.length === 1 ? 'It is negative.' : 'All of them are negative.') : `${capitaliseTheme(numberWord(positive))} ${positive === 1 ? 'is' : 'are'} positive and ${numberWord(negative)} negative.`
    }`,
  ]);
  out.push(prose`The significant coefficients: ${inlineList(significant.map((r) => nudgeCell(L, r)), 'none', '; ')}.`);
  const areas = [...new Set(current.map((r) => r.area))].sort(L.compareAreas);
  const quiet = areas.filter((a) => !significant.some((r) => r.area === a));
  if (quiet.length) out.push([`No nudge coefficient is significant in ${list(quiet)}.`]);
  const more = col.sig > ind.sig ? 'collective' : ind.sig > col.sig ? 'individual' : '';
  out.push([more ? `Significant effects are more frequent for ${more} co-production (${more === 'collective' ? col.sig : ind.sig} against ${more === 'collective' ? ind.sig : col.sig}).` : `Significant effects are as frequent for individual as for collective co-production (${ind.sig} each).`]);
  return out;
}
