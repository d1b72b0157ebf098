/**
 * Every published value beside the one recomputed from the data, for the wave the paper reports.
 *
 * Verdicts: "match" when the recomputed value, rounded as the paper printed its value, equals it;
 * "within tolerance" when the difference is no larger than the tolerance; "differs" otherwise; "not
 * computed" when the data hold no such cell. Cells the transcription marks suspect are compared with its
 * target reading (e.g. -0.065 for a printed -0.65) and keep the suspect flag, so readers can weigh them.
 */
import type { CorrelationRow, LevelRow, NudgeRow, TimeItemRow } from './inputs.js';
import type { PublishedTables } from './published.js';
import { respondentsFor, type AreaCount } from './respondents.js';
import { fixed } from './words.js';

export interface Tolerances {
  /** Percentage points, Table 2 and the percentages quoted in the text. */
  table2: number;
  /** Correlation units, Tables 3 and 4. */
  correlation: number;
  /** Coefficient units (percentage points), Table 5. */
  table5: number;
}

export const DEFAULT_TOLERANCES: Tolerances = { table2: 1, correlation: 0.02, table5: 0.5 };

export type Verdict = 'match' | 'within tolerance' | 'differs' | 'not computed';
export const VERDICTS: readonly Verdict[] = ['match', 'within tolerance', 'differs', 'not computed'];

export interface Comparison {
  table: string;
  area: string;
  theme: string;
  predictor: string;
  item: string;
  outcome: string;
  term: string;
  /** The value as the paper prints it. */
  published: number;
  /** What it is compared with: the printed value, or the transcription's corrected reading. */
  target: number;
  recomputed: number | null;
  difference: number | null;
  tolerance: number;
  /** Decimals the comparison rounds to (those the paper printed). */
  decimals: number;
  verdict: Verdict;
  stars_published: string;
  stars_recomputed: string;
  suspect: boolean;
  note_ids: string[];
}

const decimalsOf = (printed: string) => /\.(\d+)/.exec(printed.replace(/\*+$/, ''))?.[1]?.length ?? 0;

function judge(target: number, recomputed: number | null, tolerance: number, decimals: number): { verdict: Verdict; difference: number | null } {
  if (recomputed === null) return { verdict: 'not computed', difference: null };
  const difference = recomputed - target;
  if (fixed(recomputed, decimals) === fixed(target, decimals)) return { verdict: 'match', difference };
  // A hair of slack so a difference of exactly the tolerance is not lost to binary fractions.
  if (Math.abs(difference) <= tolerance + 1e-9) return { verdict: 'within tolerance', difference };
  return { verdict: 'differs', difference };
}

const blank = { predictor: '', item: '', outcome: '', term: '', stars_published: '', stars_recomputed: '' };

/** Bristol community safety's response item is unlabelled in Table 3 and "crime & ASB" in Table 4: one measure. */
const SAME_ITEM: Record<string, string> = { '': 'crime & ASB', 'crime & ASB': '' };

export interface ReproductionInputs {
  published: PublishedTables;
  wave: number;
  levels: readonly LevelRow[];
  timeItems: readonly TimeItemRow[];
  individual: readonly CorrelationRow[];
  collective: readonly CorrelationRow[];
  nudges: readonly NudgeRow[];
  counts: readonly AreaCount[];
  tolerances: Tolerances;
}

export function reproduce(x: ReproductionInputs): Comparison[] {
  const out: Comparison[] = [];
  const { published: pub, wave, tolerances: tol } = x;

  for (const a of pub.table1.rows) {
    const n = respondentsFor(x.counts, wave, a.area);
    out.push({ ...blank, table: '1', area: a.area, theme: '', predictor: 'respondents', published: a.respondents, target: a.respondents, recomputed: n, tolerance: 0, decimals: 0, ...judge(a.respondents, n, 0, 0), suspect: false, note_ids: a.note_ids });
  }

  const levels = x.levels.filter((r) => r.wave === wave);
  for (const p of pub.table2.rows) {
    const row = levels.find((r) => r.area === p.area && r.theme === p.theme);
    for (const column of ['individual_pct', 'collective_pct', 'willing_pct'] as const) {
      const value = p[column];
      if (value === null) continue;
      const recomputed = row?.[column] ?? null;
      out.push({ ...blank, table: '2', area: p.area, theme: p.theme, predictor: column, published: value, target: value, recomputed, tolerance: tol.table2, decimals: 0, ...judge(value, recomputed, tol.table2, 0), suspect: false, note_ids: p.note_ids });
    }
  }

  // Percentages the text quotes for the time items (no table prints them).
  for (const claim of pub.claims) {
    const item = claim.id === 'barnet-current-time' ? 'current_time' : claim.id === 'barnet-more-time' ? 'more_time' : '';
    if (!item) continue;
    for (const v of claim.values) {
      const recomputed = x.timeItems.find((r) => r.wave === wave && r.area === 'Barnet' && r.theme === v.label && r.item === item)?.pct ?? null;
      out.push({ ...blank, table: 'text', area: 'Barnet', theme: v.label, predictor: item, published: v.value, target: v.value, recomputed, tolerance: tol.table2, decimals: 0, ...judge(v.value, recomputed, tol.table2, 0), suspect: false, note_ids: claim.note_ids });
    }
  }

  for (const e of pub.correlations.entries) {
    const rows = (e.table === 3 ? x.individual : x.collective).filter((r) => r.wave === wave && r.area === e.area && r.theme === e.theme && r.predictor === e.predictor);
    const row = rows.find((r) => r.item === e.item) ?? (e.item in SAME_ITEM ? rows.find((r) => r.item === SAME_ITEM[e.item]) : undefined);
    const recomputed = row?.r ?? null;
    const corrected = e.target_r !== e.r;
    const decimals = corrected ? 3 : Math.max(1, decimalsOf(e.printed));
    out.push({
      table: String(e.table),
      area: e.area,
      theme: e.theme,
      predictor: e.predictor,
      item: e.item,
      outcome: '',
      term: '',
      published: e.r,
      target: e.target_r,
      recomputed,
      tolerance: tol.correlation,
      decimals,
      ...judge(e.target_r, recomputed, tol.correlation, decimals),
      stars_published: e.stars,
      stars_recomputed: row && row.r !== null ? row.stars : '',
      // Stars the transcription's own check calls inconsistent mark a doubtful cell even if not flagged.
      suspect: e.suspect || e.star_check === 'inconsistent',
      note_ids: e.note_ids,
    });
  }

  for (const e of pub.table5.entries) {
    const row = x.nudges.find((r) => r.wave === wave && r.area === e.area && r.theme === e.theme && r.item === e.item && r.term === e.term && r.outcome === e.outcome);
    const recomputed = row?.coef ?? null;
    out.push({
      table: '5',
      area: e.area,
      theme: e.theme,
      predictor: '',
      item: e.item,
      outcome: e.outcome,
      term: e.term,
      published: e.coef,
      target: e.coef,
      recomputed,
      tolerance: tol.table5,
      decimals: 1,
      ...judge(e.coef, recomputed, tol.table5, 1),
      stars_published: e.stars,
      stars_recomputed: row && row.coef !== null ? row.stars : '',
      suspect: e.suspect,
      note_ids: e.note_ids,
    });
  }
  return out;
}

export function tally(rows: readonly Comparison[]): Record<Verdict, number> {
  const t: Record<Verdict, number> = { match: 0, 'within tolerance': 0, differs: 0, 'not computed': 0 };
  for (const r of rows) t[r.verdict]++;
  return t;
}

export const REPRODUCTION_COLUMNS = [
  'table', 'area', 'theme', 'predictor', 'item', 'outcome', 'term', 'published', 'target', 'recomputed', 'difference', 'tolerance', 'verdict', 'stars_published', 'stars_recomputed', 'suspect', 'note_ids',
] as const;

/** One CSV row; numbers at one more decimal than the paper printed, so the rounding can be seen. */
export function comparisonCells(c: Comparison): Array<string | number> {
  const d = c.table === '1' ? 0 : c.decimals + 2;
  return [
    c.table, c.area, c.theme, c.predictor, c.item, c.outcome, c.term,
    fixed(c.published, c.decimals === 0 ? 0 : Math.max(c.decimals, 1)), fixed(c.target, c.decimals),
    c.recomputed === null ? '' : fixed(c.recomputed, d), c.difference === null ? '' : fixed(c.difference, d),
    String(c.tolerance), c.verdict, c.stars_published, c.stars_recomputed, c.suspect ? 'yes' : '', c.note_ids.join(' '),
  ];
}
