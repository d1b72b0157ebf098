/**
 * The change of each correlation of Tables 3 and 4 between two waves whose respondents overlap, by a
 * seeded bootstrap over respondents: in each replicate the area-theme's stayers are drawn once and enter
 * both waves with the same draws, those in one wave only are drawn within their group
 * (stats/panel-tests.ts). The Fisher z test beside it treats the waves as independent samples, which
 * they are not; the bootstrap keeps the overlap. Every correlation of one area and theme shares one set
 * of draws, from a seed made of the step's seed and the waves, area and theme, so adding an area or a
 * predictor never changes another's draws.
 */
import { bootstrapCorrelationChange, bootstrapIndices, derivedSeed, panelResample, type CorrelationChange } from '../../lib/stats/panel-tests.js';
import { variableOf } from '../../lib/survey/analysis-vocabulary.js';
import type { ThemeScores, WaveScores } from './panel-scores.js';
import { areasOfPair } from './retention.js';

export interface BootstrapOptions {
  replicates: number;
  seed: number;
}

/** Key: `table|area|theme|predictor|item`, as correlation-changes.ts lists them. */
export const bootstrapKey = (table: 3 | 4, area: string, theme: string, predictor: string, item: string) => `${table}|${area}|${theme}|${predictor}|${item}`;

const TABLES = [
  { table: 3, outcome: 'individual' },
  { table: 4, outcome: 'collective' },
] as const;

export function bootstrapChanges(from: WaveScores, to: WaveScores, options: BootstrapOptions): Map<string, CorrelationChange> {
  const out = new Map<string, CorrelationChange>();
  if (options.replicates < 2) return out;
  for (const area of areasOfPair(from, to)) {
    const a = from.areas.find((x) => x.area === area);
    const b = to.areas.find((x) => x.area === area);
    if (!a || !b) continue;
    for (const ta of a.themes) {
      const tb = b.themes.find((t) => t.theme === ta.theme);
      if (!tb) continue;
      // IDs sorted, so the draws do not depend on row order.
      const stayers = [...ta.row.keys()].filter((id) => tb.row.has(id)).sort();
      const leavers = [...ta.row.keys()].filter((id) => !tb.row.has(id)).sort();
      const joiners = [...tb.row.keys()].filter((id) => !ta.row.has(id)).sort();
      const seed = derivedSeed(options.seed, `${from.wave}|${to.wave}|${area}|${ta.theme}`);
      const draws = panelResample(bootstrapIndices([stayers.length, leavers.length, joiners.length], options.replicates, seed));
      const column = (t: ThemeScores, values: Float64Array, ids: string[]) => Float64Array.from(ids, (id) => values[t.row.get(id)!]!);
      for (const { table, outcome } of TABLES) {
        if (!ta.asked.has(outcome) || !tb.asked.has(outcome)) continue;
        for (const [name, xa] of ta.predictors) {
          const xb = tb.predictors.get(name);
          const v = variableOf(name);
          if (!xb || !v) continue;
          try {
            const change = bootstrapCorrelationChange(
              {
                stayersBefore: { x: column(ta, xa, stayers), y: column(ta, ta.values[outcome], stayers) },
                stayersAfter: { x: column(tb, xb, stayers), y: column(tb, tb.values[outcome], stayers) },
                leavers: { x: column(ta, xa, leavers), y: column(ta, ta.values[outcome], leavers) },
                joiners: { x: column(tb, xb, joiners), y: column(tb, tb.values[outcome], joiners) },
              },
              draws,
            );
            if (Number.isFinite(change.se) && Number.isFinite(change.change)) out.set(bootstrapKey(table, area, ta.theme, v.predictor, v.item), change);
          } catch {
            // Too few pairs, or no variation, in the data or in a replicate: no bootstrap for this correlation.
          }
        }
      }
    }
  }
  return out;
}
