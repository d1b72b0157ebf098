/**
 * `-S render.estimates=weighted`: the main Tables 2-4, their figures and the findings are drawn from
 * the weights step's estimates for the areas it weighted (the others keep their unweighted rows, and
 * Table S2 says why), and Section 2.6 shows the unweighted estimates beside them as the sensitivity
 * analysis. The reproduction check keeps comparing the unweighted recomputation, the estimator the
 * article used. Table 5 and the experiment stay unweighted (their weighted refits are in
 * experiment-weighted.csv).
 */
import { DataError } from '../../contract/step.js';
import { stars } from '../../lib/stats/significance.js';
import { address, type Inline, type Table } from '../../lib/report/document.js';
import type { CorrelationRow, LevelRow } from '../../lib/report/inputs.js';
import type { WeightedLevelRow, WeightingTables } from './weighting.js';

export const ESTIMATES = ['unweighted', 'weighted'] as const;
export type Estimates = (typeof ESTIMATES)[number];

/** The areas the weights step weighted in each wave, as "wave|area". */
export function weightedAreas(w: WeightingTables): Set<string> {
  return new Set(w.areas.filter((a) => a.margins !== '').map((a) => `${a.wave}|${a.area}`));
}

/** Tables 2-4's rows with the weighted estimates of the weighted areas in place of the unweighted ones. */
export function weightedPrimary(
  rows: { levels: readonly LevelRow[]; individual: readonly CorrelationRow[]; collective: readonly CorrelationRow[] },
  w: WeightingTables | undefined,
): { levels: LevelRow[]; individual: CorrelationRow[]; collective: CorrelationRow[] } {
  if (!w) throw new DataError('render.estimates = "weighted" needs the weights step\'s tables, and render was given none', { value: 'weighted' });
  const weighted = weightedAreas(w);
  const isWeighted = (r: { wave: number; area: string }) => weighted.has(`${r.wave}|${r.area}`);
  const levels = rows.levels.map((r) => (isWeighted(r) ? weightedLevel(r, w) : r));
  const correlation = (outcome: 'individual' | 'collective') => (r: CorrelationRow) => (isWeighted(r) ? weightedCorrelation(r, outcome, w) : r);
  return { levels, individual: rows.individual.map(correlation('individual')), collective: rows.collective.map(correlation('collective')) };
}

const MEASURES = ['individual', 'collective', 'willing'] as const;

function weightedLevel(r: LevelRow, w: WeightingTables): LevelRow {
  const of = (measure: string) => w.levels.find((x) => x.wave === r.wave && x.area === r.area && x.theme === r.theme && x.measure === measure);
  const found = Object.fromEntries(MEASURES.map((m) => [m, of(m)])) as Record<(typeof MEASURES)[number], WeightedLevelRow | undefined>;
  const interval = (x: WeightedLevelRow | undefined): [number, number] | null => (x && x.ciLow !== null && x.ciHigh !== null ? [x.ciLow, x.ciHigh] : null);
  const at = (x: WeightedLevelRow | undefined, column: string) => address('table2-weighted.csv', x?.at, column);
  const any = found.individual ?? found.collective ?? found.willing;
  const cells: Record<string, string | undefined> = { respondents: at(any, 'weighted') };
  for (const m of MEASURES) {
    cells[`${m}_pct`] = at(found[m], 'weighted_pct');
    cells[`${m}_ci_low`] = at(found[m], 'ci_low');
    cells[`${m}_ci_high`] = at(found[m], 'ci_high');
  }
  return {
    ...(r.at === undefined ? {} : { at: r.at }),
    wave: r.wave,
    area: r.area,
    theme: r.theme,
    respondents: any?.weightedCount ?? null,
    individual_pct: found.individual?.weighted ?? null,
    collective_pct: found.collective?.weighted ?? null,
    willing_pct: found.willing?.weighted ?? null,
    ci: { individual: interval(found.individual), collective: interval(found.collective), willing: interval(found.willing) },
    cells,
  };
}

function weightedCorrelation(r: CorrelationRow, outcome: string, w: WeightingTables): CorrelationRow {
  const x = w.correlations.find((c) => c.wave === r.wave && c.area === r.area && c.theme === r.theme && c.outcome === outcome && c.predictor === r.predictor && c.item === r.item);
  const ok = x !== undefined && x.r !== null && x.p !== null;
  return {
    ...r,
    r: ok ? x.r : null,
    n: x?.n ?? null,
    p: ok ? x.p : null,
    stars: ok ? stars(x.p!) : '',
    ci_low: ok ? x.ciLow : null,
    ci_high: ok ? x.ciHigh : null,
    // Benjamini-Hochberg is applied to the unweighted family only.
    p_bh: null,
    method: 'pearson',
    cells: { r: address('correlations-weighted.csv', x?.at, 'r_weighted') },
  };
}

/** A main table's caption and notes when its estimates are weighted: where the values and intervals come from. */
export function asWeighted(t: Table, file: 'table2' | 'table3' | 'table4'): Table {
  const weightedFile = file === 'table2' ? 'tables/table2-weighted.csv' : 'tables/correlations-weighted.csv';
  const swap = (part: Inline): Inline => (typeof part === 'object' && 'code' in part && part.code === `tables/${file}.csv` ? { code: weightedFile } : part);
  const notes = t.notes.map((note) =>
    note.map((part) =>
      typeof part === 'string'
        ? part
            .replace("Below each level, its 95% interval: the t interval of the mean index, Wilson's score interval for the shares.", 'Below each level, its 95% interval: design-based (linearised, with the raking taken into account) in the weighted areas; in the unweighted ones the t interval of the mean index and Wilson\'s score interval for the shares.')
            .replace(/; the adjustment's family is .*$/, '; in the weighted areas r is the weighted Pearson r with a design-based (delta-method) standard error and Wald p, and no adjusted p.')
            .replace("n, p, 95% interval and Benjamini-Hochberg adjusted p are in ", 'n, p and 95% interval are in ')
        : swap(part),
    ),
  );
  const weightedNote: Inline[] = [`Weighted estimates (render.estimates = weighted): the areas raked to population margins in Section 2.6 are weighted; the others are unweighted (Table S2 says why). The unweighted values are in `, { code: `tables/${file}.csv` }, file === 'table2' ? " and, for the latest wave, Section 2.6's Table S3." : " and, for the latest wave, Section 2.6's Tables S4 and S5."];
  return { ...t, caption: t.caption.replace(/\)$/, '; weighted)'), notes: [...notes, weightedNote] };
}
