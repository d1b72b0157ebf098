/**
 * panel.csv: who stayed in each area's panel from one wave to the next, by persistent respondent ID.
 * A respondent belongs to an area's wave when they have a valid record there (a row in any theme).
 */
import { fixed, type Cell } from '../../lib/table/csv.js';
import { rankIn } from '../../lib/survey/analysis-vocabulary.js';
import type { AreaScores, WaveScores } from './panel-scores.js';
import type { Sources } from '../../lib/table/lineage.js';

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
/** The areas both waves have, in table order: the ones compared. */
export function areasOfPair(from: WaveScores, to: WaveScores): string[] {
  return allAreas(from, to).filter((area) => from.areas.some((a) => a.area === area) && to.areas.some((a) => a.area === area));
}

function allAreas(from: WaveScores, to: WaveScores): string[] {
  const order = to.vocabulary.areas;
  return [...new Set([...from.areas, ...to.areas].map((a) => a.area))].sort((x, y) => rankIn(order, x) - rankIn(order, y));
}

/**
 * Retention per area; an area that one of the two waves lacks (no export, and not required by the study)
 * gets a row with its counts empty: it is not compared, and the row says which wave lacks it.
 */
export function panelRows(from: WaveScores, to: WaveScores, note: (sources: Sources) => void = () => {}): Cell[][] {
  // An area's respondents in a wave: every scores row of its themes.
  const rowsOf = (w: WaveScores, area: string) => (w.areas.find((a) => a.area === area)?.themes ?? []).flatMap((t) => [...t.row.values()].map((r) => t.start + r + 1)).sort((x, y) => x - y);
  return allAreas(from, to).map((area) => {
    note([[from.file, rowsOf(from, area)], [to.file, rowsOf(to, area)]]);
    if (!from.areas.some((a) => a.area === area) || !to.areas.some((a) => a.area === area)) return [from.wave, to.wave, area, null, null, null, null];
    const r = retention(from.areas.find((a) => a.area === area), to.areas.find((a) => a.area === area));
    const base = r.retained.length + r.lost.length;
    return [from.wave, to.wave, area, r.retained.length, r.lost.length, r.recruited.length, base ? fixed((100 * r.retained.length) / base, 2) : null];
  });
}
