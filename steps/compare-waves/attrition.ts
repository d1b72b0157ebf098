/**
 * attrition.csv: were the respondents an area's panel lost by the next wave different, at baseline,
 * from those it kept? Per area and theme for each outcome asked (individual, collective, willing), and per
 * area for each demographic asked (theme empty: they are the respondent's, not the theme's; the mean is
 * of the answer code, e.g. the share coded 1). The measure is the standardised mean difference (lost -
 * retained, over the root mean of their variances), flagged when its size exceeds `threshold` (0.1 by
 * default, the usual balance rule): with a few hundred respondents a t test misses real differences and
 * its "no difference" is no evidence of none. Welch's t test is given beside it, not instead.
 */
import { fixed, significant, type Cell } from '../../lib/table/csv.js';
import { PANEL_OUTCOMES, type WaveScores } from './panel-scores.js';
import { areasOfPair } from './retention.js';
import { welchT } from '../../lib/stats/t-tests.js';
import type { Sources } from '../../lib/table/lineage.js';
import { standardisedMeanDifference } from '../../lib/stats/panel-tests.js';

function row(from: WaveScores, to: WaveScores, area: string, theme: string, variable: string, values: Iterable<[string, number]>, kept: ReadonlySet<string>, threshold: number): Cell[] {
  const retained: number[] = [];
  const lost: number[] = [];
  // Sorted by ID: the sums, and so the printed digits, do not depend on row order.
  for (const [id, v] of [...values].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    if (Number.isNaN(v)) continue;
    (kept.has(id) ? retained : lost).push(v);
  }
  const t = welchT(retained, lost);
  const smd = standardisedMeanDifference(lost, retained);
  const flag = Number.isNaN(smd) ? null : Math.abs(smd) > threshold ? 'yes' : 'no';
  return [from.wave, to.wave, area, theme, variable, t.nA, t.nB, fixed(t.meanA, 4), fixed(t.meanB, 4), fixed(t.difference, 4), fixed(smd, 4), flag, fixed(t.t, 4), significant(t.p)];
}

/** `note` receives each row's sources (the earlier wave's scores rows compared), in row order. */
export function attritionRows(from: WaveScores, to: WaveScores, threshold = 0.1, note: (sources: Sources) => void = () => {}): Cell[][] {
  const rows: Cell[][] = [];
  for (const area of areasOfPair(from, to)) {
    const a = from.areas.find((x) => x.area === area);
    const b = to.areas.find((x) => x.area === area);
    if (!a || !b) continue;
    for (const t of a.themes)
      for (const outcome of PANEL_OUTCOMES) {
        if (!t.asked.has(outcome)) continue;
        const values = [...t.row].map(([id, r]): [string, number] => [id, t.values[outcome][r]!]);
        note([[from.file, [...t.row].filter(([, r]) => !Number.isNaN(t.values[outcome][r]!)).map(([, r]) => t.start + r + 1).sort((x, y) => x - y)]]);
        rows.push(row(from, to, area, t.theme, outcome, values, b.ids, threshold));
      }
    for (const d of to.vocabulary.demographics) {
      const codes = a.demographics.get(d.predictor);
      if (!codes) continue;
      // A respondent's demographics are read from the first theme that carries them.
      const at = [...codes.keys()].map((id) => {
        const t = a.themes.find((x) => x.row.has(id))!;
        return t.start + t.row.get(id)! + 1;
      });
      note([[from.file, at.sort((x, y) => x - y)]]);
      rows.push(row(from, to, area, '', d.predictor, codes, b.ids, threshold));
    }
  }
  return rows;
}
