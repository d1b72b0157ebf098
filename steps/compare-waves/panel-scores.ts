/**
 * One wave's scores table read for the panel comparison: per area, who answered (by persistent
 * respondent ID) and, per theme, each respondent's outcomes; per respondent, the demographics.
 *
 * readScores gives the layout and the numeric columns; the IDs are read from the same Arrow file
 * here, since they matter only when waves are compared.
 */
import { createHash } from 'node:crypto';
import { tableFromIPC } from '@uwdata/flechette';
import { DataError, type Artifact } from '../../contract/step.js';
import type { AnalysisVocabulary, PredictorName } from '../../lib/survey/analysis-vocabulary.js';
import { orderedGroups, readScores, type Outcome, type Scores } from '../../lib/table/scores.js';

/** The outcomes the panel comparison follows (the time items are Barnet's alone and not followed). */
export const PANEL_OUTCOMES = ['individual', 'collective', 'willing'] as const satisfies readonly Outcome[];
export type PanelOutcome = (typeof PANEL_OUTCOMES)[number];

export interface ThemeScores {
  theme: string;
  /** The group's first row in the scores table (0-based), for row lineage. */
  start: number;
  /** Outcomes asked in this area and theme. */
  asked: ReadonlySet<Outcome>;
  /** Respondent ID → row of the value arrays. */
  row: ReadonlyMap<string, number>;
  values: Record<PanelOutcome, Float64Array>;
  /** Each predictor column asked in this area and theme (e.g. `self_efficacy/crime`), by row. */
  predictors: ReadonlyMap<string, Float64Array>;
}

export interface AreaScores {
  area: string;
  /** Everyone with a row in any theme. */
  ids: ReadonlySet<string>;
  /** In theme order. */
  themes: ThemeScores[];
  /** Per demographic asked in the area: respondent ID → code (the first theme that carries one). */
  demographics: Map<PredictorName, Map<string, number>>;
  /** sha256 over every row, ID and value, in a fixed order: equal only when the area's data are the same. */
  fingerprint: string;
}

export interface WaveScores {
  wave: number;
  file: string;
  /** In table order. */
  areas: AreaScores[];
  /** The study's names in table order, as the scores table carries them. */
  vocabulary: AnalysisVocabulary;
}

/**
 * Adds the rows to the hash in ID order: each ID (length-prefixed, so no ID can run into the next) and
 * its values as 64-bit floats, handed over some thousands of rows at a time. Written as text, a million
 * rows of twenty values cost seconds of number formatting; only equality of fingerprints matters.
 */
function hashRows(hash: ReturnType<typeof createHash>, order: string[], row: ReadonlyMap<string, number>, read: Float64Array[]): void {
  const BATCH = 4096;
  const values = new Float64Array(BATCH * read.length);
  let ids = '';
  let n = 0;
  const flush = () => {
    hash.update(ids);
    hash.update(new Uint8Array(values.buffer, 0, n * read.length * 8));
    ids = '';
    n = 0;
  };
  for (const id of order) {
    const r = row.get(id)!;
    ids += `${id.length}:${id}`;
    for (let k = 0; k < read.length; k++) values[n * read.length + k] = read[k]![r]!;
    if (++n === BATCH) flush();
  }
  flush();
}

/** The wave a gathered artifact belongs to, from the runner's branch name (`index[2014]:scores.arrow`), if it has one. */
export function branchWave(path: string): number | null {
  const m = /\[(\d+)\]:/.exec(path);
  return m ? Number(m[1]) : null;
}

/** The wave a scores table holds (from its layout, without reading its rows), or else its branch's. */
export function scoresWave(scores: Scores, art: Artifact): number {
  const waves = [...new Set(scores.layout.groups.filter((g) => g.rows > 0).map((g) => g.wave))];
  if (waves.length > 1) throw new DataError(`a scores table per wave was expected, but this one holds waves ${waves.join(', ')}`, { file: art.path, value: waves });
  const wave = waves[0] ?? branchWave(art.path);
  if (wave === null) throw new DataError('the scores table has no rows and its path names no wave', { file: art.path });
  return wave;
}

/** `scores`: the table `art` holds, when it was read before. */
export function readPanelScores(art: Artifact, scores: Scores = readScores(art.bytes, art.path)): WaveScores {
  const groups = orderedGroups(scores.layout).filter((g) => g.rows > 0);
  const wave = scoresWave(scores, art);
  const ids = scores.length ? (tableFromIPC(art.bytes).getChild('respondent_id').toArray() as (string | null)[]) : [];

  const areas = new Map<string, AreaScores & { hash: ReturnType<typeof createHash>; all: Set<string> }>();
  for (const g of groups) {
    let a = areas.get(g.area);
    if (!a) {
      const all = new Set<string>();
      a = { area: g.area, ids: all, all, themes: [], demographics: new Map(), fingerprint: '', hash: createHash('sha256') };
      areas.set(g.area, a);
    }
    const end = g.start + g.rows;
    const row = new Map<string, number>();
    for (let i = g.start; i < end; i++) {
      const id = ids[i];
      if (id === null || id === undefined || id === '') throw new DataError(`${g.area}, ${g.theme}: a respondent has no ID, so the panel cannot follow them`, { file: art.path, column: 'respondent_id', line: i + 1 });
      if (row.has(id)) throw new DataError(`${g.area}, ${g.theme}: respondent ID appears twice in one wave`, { file: art.path, column: 'respondent_id', value: id });
      row.set(id, i - g.start);
      a.all.add(id);
    }
    const values = Object.fromEntries(PANEL_OUTCOMES.map((o) => [o, scores.numeric(o, g.start, end)])) as Record<PanelOutcome, Float64Array>;
    const predictors = new Map(g.variables.map((c) => [c, scores.numeric(c, g.start, end)]));
    a.themes.push({ theme: g.theme, start: g.start, asked: new Set(g.outcomes), row, values, predictors });
    for (const d of scores.layout.vocabulary.demographics) {
      if (!g.variables.includes(d.predictor)) continue;
      const codes = scores.numeric(d.predictor, g.start, end);
      let byId = a.demographics.get(d.predictor);
      if (!byId) a.demographics.set(d.predictor, (byId = new Map()));
      for (const [id, r] of row) if (!byId.has(id) && !Number.isNaN(codes[r]!)) byId.set(id, codes[r]!);
    }
    // Every column of the group, so that a repeated export is recognised whatever it asked.
    const columns = [...scores.layout.variables.filter((v) => g.variables.includes(v)), ...g.outcomes];
    a.hash.update(`${g.theme}\u0000${columns.join('\u0001')}\u0000`);
    const read = columns.map((c) => scores.numeric(c, g.start, end));
    hashRows(a.hash, [...row.keys()].sort(), row, read);
  }
  return {
    wave,
    file: art.path,
    vocabulary: scores.layout.vocabulary,
    areas: [...areas.values()].map(({ hash, all: _all, ...a }) => ({ ...a, fingerprint: hash.digest('hex') })),
  };
}
