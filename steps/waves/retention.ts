/**
 * panel.csv: who stayed in each area's panel from one wave to the next, by persistent respondent ID.
 * A respondent belongs to an area's wave when they have a valid record there (a row in any theme).
 */
import { fixed, type Cell } from '../analysis/csv.js';
import { rankIn } from '../analysis/layout.js';
import type { AreaScores, WaveScores } from './panel-scores.js';

export const PANEL_HEADER = ['wave_from', 'wave_to', 'area', 'retained', 'lost', 'recruited', 'retention_pct'] as const;

export interface Retention {
  retained: string[];
  lost: string[];
  recruited: string[];
}

/** IDs (sorted) kept, lost and newly recruited between an area's two waves; either side may be absent. */
export function retention(from: AreaScores | undefined, to: AreaScores | undefined): Retention {
  const a = from?.ids ?? new Set<string>();
  const b = to?.ids ?? new Set<string>();
  return {
    retained: [...a].filter((id) => b.has(id)).sort(),
    lost: [...a].filter((id) => !b.has(id)).sort(),
    recruited: [...b].filter((id) => !a.has(id)).sort(),
  };
}

/** Areas of either wave, in table order. */
export function areasOfPair(from: WaveScores, to: WaveScores): string[] {
  const order = to.vocabulary.areas;
  return [...new Set([...from.areas, ...to.areas].map((a) => a.area))].sort((x, y) => rankIn(order, x) - rankIn(order, y));
}

export function panelRows(from: WaveScores, to: WaveScores): Cell[][] {
  return areasOfPair(from, to).map((area) => {
    const r = retention(from.areas.find((a) => a.area === area), to.areas.find((a) => a.area === area));
    const base = r.retained.length + r.lost.length;
    return [from.wave, to.wave, area, r.retained.length, r.lost.length, r.recruited.length, base ? fixed((100 * r.retained.length) / base, 2) : null];
  });
}
