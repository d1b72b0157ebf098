/**
 * index: valid records → per respondent and theme scores, Table 2 and Barnet's time items.
 *
 *   valid.ndjson ── one record per line ── scoring rules (analysis/scoring.ts) ──┬─ scores.arrow
 *                                                                                 ├─ table2.csv
 *                                                                                 └─ time-items.csv
 *
 * The individual co-production index of a respondent in a theme is the percentage of the theme's
 * activity items answered "often" or "sometimes" among the items answered at all. "Don't know" and a
 * blank are not answers: such an item counts in neither the numerator nor the denominator. A respondent
 * who answered fewer than `minActivityAnswers` items (default 2) has no index for that theme (null), so
 * one answered item cannot stand for the whole theme. Collective: joins groups often/sometimes = 100,
 * never = 0; willing (and Barnet's current and MORE time): a few hours a month or more = 100, less = 0;
 * don't know and blank are null.
 *
 * Table 2 per wave, area and theme: respondents = records carrying the theme; each percentage is the mean
 * of the non-null values (the mean of the respondents' indices for individual co-production), empty when
 * no respondent has a value (a question the area did not ask); each level has its 95% interval beside it
 * (t for the mean index, Wilson for the shares; analysis/level-intervals.ts). time-items.csv: per item, the percentage
 * answering at least a few hours a month among those who answered, and that n. Rows of both CSVs are
 * sorted by wave, area (vocabulary order) and theme (the paper's order); percentages have 2 decimals.
 *
 * Parsing the records is most of the work. Lines in validate's compact form are read straight from the
 * bytes (analysis/record-scan.ts); any other line goes through JSON.parse, with the same result. The
 * input is read a piece of `chunkBytes` at a time and never held whole; with `workers: 1` (the default)
 * a helper thread parses every piece the step's thread does not get to first (analysis/parse-records.ts).
 * `workers` and `chunkBytes` change only the speed; the outputs are the same bytes for any value (a test
 * pins this). A fixed number, never the machine's core count, so that the step reads nothing from its
 * environment.
 */
import { DataError, type Artifact, type StepInputs, type StepOutputs } from '../runner/step.js';
import { scoresLineage, table2Lineage, timeItemsLineage } from './analysis/score-lineage.js';
import { AREAS, THEMES } from './survey/vocabulary.js';
import { fixed, toCsv, type Cell } from './analysis/csv.js';
import { compareGroups, VARIABLES } from './analysis/layout.js';
import { SCORES_FORMAT, writeScores, type ScoresColumns, type ScoresGroup, type ScoresLayout } from './analysis/scores.js';
import { askedIn, type ScoresChunk } from './analysis/scoring.js';
import { scoreRecordPieces } from './analysis/parse-records.js';
import { LEVEL_INTERVAL_COLUMNS, levelIntervalCells } from './analysis/level-intervals.js';

export interface IndexParams {
  /** Fewest answered activity items (often, sometimes or never) for a respondent to get an individual index; default 2. */
  minActivityAnswers?: number;
  /** Helper threads parsing pieces of the records beside the step's own: 0 or 1 (default 1). Never changes the outputs. */
  workers?: number;
  /** Bytes of NDJSON read and parsed at a time (and per worker task); default 8 MB. Never changes the outputs. */
  chunkBytes?: number;
}

export const TABLE2_HEADER = ['wave', 'area', 'theme', 'respondents', 'individual_pct', 'collective_pct', 'willing_pct', ...LEVEL_INTERVAL_COLUMNS] as const;
export const TIME_ITEMS_HEADER = ['wave', 'area', 'theme', 'item', 'pct', 'n'] as const;

export default async function index(inputs: StepInputs, params: IndexParams = {}): Promise<StepOutputs> {
  const minActivityAnswers = params.minActivityAnswers ?? 2;
  const workers = params.workers ?? 1;
  const chunkBytes = params.chunkBytes ?? 8 * 1024 * 1024;
  for (const [name, value, min, max] of [['minActivityAnswers', minActivityAnswers, 1, Infinity], ['workers', workers, 0, 1], ['chunkBytes', chunkBytes, 1, Infinity]] as const) {
    if (!Number.isInteger(value) || value < min || value > max) {
      const range = max === Infinity ? `of at least ${min}` : `from ${min} to ${max}`;
      throw new DataError(`index parameter ${name} must be an integer ${range}`, { path: `params.${name}`, value });
    }
  }
  const list = inputs.records ?? [];
  if (list.length === 0) throw new DataError('index needs at least one "records" input');
  // Several inputs (one per export of the wave) have their groups put together by wave, area and theme.
  const chunks = list.flatMap((input) => scoreRecordPieces(input.chunks(chunkBytes), input.path, { minActivityAnswers, helper: workers > 0 }));
  return outputs(chunks, minActivityAnswers, list);
}

function outputs(chunks: ScoresChunk[], minActivityAnswers: number, records: readonly Artifact[]): StepOutputs {
  const { layout, columns } = assemble(chunks.splice(0), minActivityAnswers);
  const scores = writeScores(layout, columns);
  const table2 = table2Rows(layout, columns);
  const timeItems = timeItemRows(layout, columns);
  return {
    'scores.arrow': { content: scores, rows: columns.wave.length },
    'table2.csv': { content: toCsv(TABLE2_HEADER, table2), rows: table2.length },
    'time-items.csv': { content: toCsv(TIME_ITEMS_HEADER, timeItems), rows: timeItems.length },
    // Row lineage for explain --cell (analysis/score-lineage.ts), apart from the scoring.
    'scores.arrow.lineage.json': scoresLineage(records, layout, columns),
    'table2.csv.lineage.json': table2Lineage(layout),
    'time-items.csv.lineage.json': timeItemsLineage(layout, columns),
  };
}

/** One group across the chunks: its parts in input order and the union of what it asked. */
interface MergedGroup {
  wave: number;
  area: number;
  theme: number;
  parts: { chunk: ScoresChunk; rows: Int32Array }[];
  outcomes: Uint8Array;
  nudge: boolean;
  variables: Uint8Array;
}

/** Puts the chunks' rows into group order (input order within a group) and describes the groups. */
function assemble(chunks: readonly ScoresChunk[], minActivityAnswers: number): { layout: ScoresLayout; columns: ScoresColumns } {
  const merged = new Map<string, MergedGroup>();
  for (const chunk of chunks) {
    for (const g of chunk.groups) {
      const key = `${g.wave}|${g.area}|${g.theme}`;
      let m = merged.get(key);
      if (!m) {
        m = { wave: g.wave, area: g.area, theme: g.theme, parts: [], outcomes: new Uint8Array(g.outcomes.length), nudge: false, variables: new Uint8Array(g.variables.length) };
        merged.set(key, m);
      }
      m.parts.push({ chunk, rows: g.rows });
      g.outcomes.forEach((v, i) => (m!.outcomes[i]! |= v));
      g.variables.forEach((v, i) => (m!.variables[i]! |= v));
      m.nudge ||= g.nudge;
    }
  }
  const sorted = [...merged.values()]
    .map((g) => ({ g, key: { wave: g.wave, area: AREAS[g.area]!, theme: THEMES[g.theme]! } }))
    .sort((x, y) => compareGroups(x.key, y.key));

  const n = chunks.reduce((s, c) => s + c.rows, 0);
  const groups: ScoresGroup[] = [];
  const wave = new Int32Array(n);
  const area = new Uint8Array(n);
  const theme = new Uint8Array(n);
  let at = 0;
  for (const { g, key } of sorted) {
    const rows = g.parts.reduce((s, p) => s + p.rows.length, 0);
    groups.push({ ...key, start: at, rows, ...askedIn(g), nudge: g.nudge });
    wave.fill(g.wave, at, at + rows);
    area.fill(g.area, at, at + rows);
    theme.fill(g.theme, at, at + rows);
    at += rows;
  }
  const parts = sorted.flatMap(({ g }) => g.parts);
  // One copy loop per element type: a single generic loop over both would be slow (megamorphic) here.
  function gatherInt8(column: (c: ScoresChunk) => Int8Array | null): Int8Array {
    const out = new Int8Array(n);
    let i = 0;
    for (const { chunk, rows } of parts) {
      const src = column(chunk);
      if (src === null) out.fill(-1, i, i + rows.length);
      else for (let k = 0; k < rows.length; k++) out[i + k] = src[rows[k]!]!;
      i += rows.length;
    }
    return out;
  }
  function gatherFloat64(column: (c: ScoresChunk) => Float64Array): Float64Array {
    const out = new Float64Array(n);
    let i = 0;
    for (const { chunk, rows } of parts) {
      const src = column(chunk);
      for (let k = 0; k < rows.length; k++) out[i + k] = src[rows[k]!]!;
      i += rows.length;
    }
    return out;
  }
  const variables = VARIABLES.flatMap((v, id) => (chunks.some((c) => c.variables[id]) ? [{ name: v.column, id }] : []));
  const columns: ScoresColumns = {
    wave,
    area,
    theme,
    respondentId: gatherIds(parts, n),
    individual: gatherFloat64((c) => c.individual),
    collective: gatherInt8((c) => c.collective),
    willing: gatherInt8((c) => c.willing),
    current_time: gatherInt8((c) => c.current_time),
    more_time: gatherInt8((c) => c.more_time),
    nudge: gatherInt8((c) => c.nudge),
    variables: new Map(variables.map(({ name, id }) => [name, gatherInt8((c) => c.variables[id] ?? null)])),
  };
  const layout: ScoresLayout = { format: SCORES_FORMAT, min_activity_answers: minActivityAnswers, groups, variables: variables.map((v) => v.name) };
  return { layout, columns };
}

/** The respondent IDs in group order, as UTF-8 bytes and offsets. */
function gatherIds(parts: readonly { chunk: ScoresChunk; rows: Int32Array }[], n: number): { bytes: Uint8Array; offsets: Int32Array } {
  const offsets = new Int32Array(n + 1);
  let i = 0;
  let size = 0;
  for (const { chunk, rows } of parts) {
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k]!;
      size += chunk.idOffsets[r + 1]! - chunk.idOffsets[r]!;
      offsets[++i] = size;
    }
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const { chunk, rows } of parts) {
    const src = chunk.idBytes;
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k]!;
      for (let b = chunk.idOffsets[r]!, e = chunk.idOffsets[r + 1]!; b < e; b++) bytes[at++] = src[b]!;
    }
  }
  return { bytes, offsets };
}

/** Mean of the non-missing values in [start, end), or null when there are none. */
function meanOf(values: ArrayLike<number>, start: number, end: number, missing: (v: number) => boolean): { mean: number | null; n: number } {
  let sum = 0;
  let count = 0;
  for (let i = start; i < end; i++) {
    const v = values[i]!;
    if (missing(v)) continue;
    sum += v;
    count++;
  }
  return { mean: count ? sum / count : null, n: count };
}

const isNaNValue = (v: number) => Number.isNaN(v);
const isNegative = (v: number) => v < 0;

function table2Rows(layout: ScoresLayout, c: ScoresColumns): Cell[][] {
  return layout.groups.map((g) => {
    const end = g.start + g.rows;
    return [
      g.wave,
      g.area,
      g.theme,
      g.rows,
      fixed(meanOf(c.individual, g.start, end, isNaNValue).mean, 2),
      fixed(meanOf(c.collective, g.start, end, isNegative).mean, 2),
      fixed(meanOf(c.willing, g.start, end, isNegative).mean, 2),
      ...levelIntervalCells(c.individual, c.collective, c.willing, g.start, end),
    ];
  });
}

function timeItemRows(layout: ScoresLayout, c: ScoresColumns): Cell[][] {
  return layout.groups.flatMap((g) =>
    (['current_time', 'more_time'] as const)
      .filter((item) => g.outcomes.includes(item))
      .map((item) => {
        const { mean, n } = meanOf(c[item], g.start, g.start + g.rows, isNegative);
        return [g.wave, g.area, g.theme, item, fixed(mean, 2), n];
      }),
  );
}
