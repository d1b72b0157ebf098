/**
 * paired-changes.csv: how each outcome moved for the panel members who answered in both waves, per area
 * and theme, with a paired t test and its 95% interval (t with n - 1 df). A respondent counts when the
 * outcome has a value in both waves. For the collective indicator (0/100) a paired t test is a poor fit,
 * so McNemar's test on the stayers who moved (no → yes, yes → no; continuity-corrected, as R's
 * mcnemar.test) stands beside it. An outcome built from a question that changed between the waves is
 * still computed but flagged (comparable false, with the codebook's note).
 */
import { fixed, significant, type Cell } from '../../lib/table/csv.js';
import type { CleaningLog } from '../../lib/survey/cleaning-log.js';
import type { WaveScores } from './panel-scores.js';
import { changedBetween, describeChanges, outcomeChanges } from './question-changes.js';
import { areasOfPair } from './retention.js';
import { pairedT } from '../../lib/stats/t-tests.js';
import type { Sources } from '../../lib/table/lineage.js';
import { mcnemar } from '../../lib/stats/panel-tests.js';

export const PAIRED_OUTCOMES = ['individual', 'collective'] as const;

/** Outcomes that are 0/100 indicators, tested by McNemar among stayers. */
const BINARY: ReadonlySet<string> = new Set(['collective']);

export interface WaveSide {
  scores: WaveScores;
  log: CleaningLog;
}

/** `note` receives each row's sources (the stayers' scores rows in both waves), in row order. */
export function pairedRows(from: WaveSide, to: WaveSide, note: (sources: Sources) => void = () => {}): Cell[][] {
  const rows: Cell[][] = [];
  for (const area of areasOfPair(from.scores, to.scores)) {
    const a = from.scores.areas.find((x) => x.area === area);
    const b = to.scores.areas.find((x) => x.area === area);
    if (!a || !b) continue;
    const changes = changedBetween({ wave: from.scores.wave, log: from.log }, { wave: to.scores.wave, log: to.log }, a.area);
    for (const ta of a.themes) {
      const tb = b.themes.find((t) => t.theme === ta.theme);
      if (!tb) continue;
      for (const outcome of PAIRED_OUTCOMES) {
        if (!ta.asked.has(outcome) || !tb.asked.has(outcome)) continue;
        const x: number[] = [];
        const y: number[] = [];
        const rowsFrom: number[] = [];
        const rowsTo: number[] = [];
        // IDs in sorted order: the sums, and so the printed digits, do not depend on row order.
        for (const id of [...ta.row.keys()].sort()) {
          const j = tb.row.get(id);
          if (j === undefined) continue;
          const u = ta.values[outcome][ta.row.get(id)!]!;
          const v = tb.values[outcome][j]!;
          if (Number.isNaN(u) || Number.isNaN(v)) continue;
          x.push(u);
          y.push(v);
          rowsFrom.push(ta.start + ta.row.get(id)! + 1);
          rowsTo.push(tb.start + j + 1);
        }
        const t = pairedT(x, y);
        const changed = outcomeChanges(from.scores.vocabulary, changes, ta.theme, outcome);
        const m = BINARY.has(outcome) ? mcnemar(x.filter((u, i) => u === 0 && y[i] === 100).length, x.filter((u, i) => u === 100 && y[i] === 0).length) : null;
        note([[from.scores.file, rowsFrom], [to.scores.file, rowsTo]]);
        rows.push([
          from.scores.wave, to.scores.wave, area, ta.theme, outcome, t.n,
          fixed(t.meanFrom, 4), fixed(t.meanTo, 4), fixed(t.meanChange, 4), fixed(t.ciLow, 4), fixed(t.ciHigh, 4), fixed(t.t, 4), significant(t.p),
          m?.noToYes ?? null, m?.yesToNo ?? null, fixed(m?.statistic ?? null, 4), significant(m?.p ?? null),
          changed.length ? 'false' : 'true', describeChanges(changed),
        ]);
      }
    }
  }
  return rows;
}
