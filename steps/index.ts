/**
 * index: valid records → per respondent and theme scores, Table 2 and the per-item outcomes (time items).
 *
 *   valid.arrow (one per export) ── per theme a respondent carries ── scoring rules (analysis/scoring.ts)
 *        ── groups by wave, area, theme (table order) ──┬─ scores.arrow
 *                                                       ├─ table2.csv
 *                                                       └─ time-items.csv
 *
 * The individual co-production index of a respondent in a theme is the percentage of the theme's
 * activity items answered "often" or "sometimes" among the items answered at all. "Don't know" and a
 * blank are not answers: such an item counts in neither the numerator nor the denominator. A respondent
 * who answered fewer than `minActivityAnswers` items (default 2) has no index for that theme (null), so
 * one answered item cannot stand for the whole theme. Collective, willing and the other per-item outcomes:
 * a yes answer = 100, another = 0; don't know and blank are null. Which question each outcome is built from
 * and which answers count as yes is the study's (raw/study.json `outcomes`; lib/survey/scoring.ts).
 *
 * Table 2 per wave, area and theme: respondents = records carrying the theme; each percentage is the mean
 * of the non-null values (the mean of the respondents' indices for individual co-production), empty when
 * no respondent has a value (a question the area did not ask); each level has its 95% interval beside it
 * (t for the mean index, Wilson for the shares; analysis/level-intervals.ts). time-items.csv: per outcome
 * other than those three, the percentage answering yes among those who answered, and that n. Rows of both CSVs are
 * sorted by wave, area and theme in the study's order; percentages have 2 decimals.
 *
 * Inputs: `records` (validate's valid.arrow, one per export), `study` (raw/study.json: the areas, themes,
 * predictors and demographics, whose order the tables follow and which the scores table carries on).
 */
import { DataError, type StepInputs, type StepOutputs } from '../contract/step.js';
import { scoresLineage, table2Lineage, timeItemsLineage } from '../lib/table/score-lineage.js';
import { studyInput } from '../lib/survey/study.js';
import type { Theme } from '../lib/survey/vocabulary.js';
import { readRecords } from '../lib/survey/records-table.js';
import { fixed, toCsv, type Cell } from '../lib/table/csv.js';
import { allVariables, analysisVocabulary, compareGroups, itemOutcomes, type AnalysisVocabulary } from '../lib/survey/analysis-vocabulary.js';
import { isShare, SCORES_FORMAT, writeScores, type Outcome, type ScoresColumns, type ScoresGroup, type ScoresLayout } from '../lib/table/scores.js';
import { carries, scoreTheme, themeColumns, type ThemeColumns } from '../lib/survey/scoring.js';
import { LEVEL_INTERVAL_COLUMNS, levelIntervalCells } from '../lib/stats/level-intervals.js';

export interface IndexParams {
  /** Fewest answered activity items (often, sometimes or never) for a respondent to get an individual index; default 2. */
  minActivityAnswers?: number;
}

export const TABLE2_HEADER = ['wave', 'area', 'theme', 'respondents', 'individual_pct', 'collective_pct', 'willing_pct', ...LEVEL_INTERVAL_COLUMNS] as const;
export const TIME_ITEMS_HEADER = ['wave', 'area', 'theme', 'item', 'pct', 'n'] as const;

export default function index(inputs: StepInputs, params: IndexParams = {}): StepOutputs {
  const minActivityAnswers = params.minActivityAnswers ?? 2;
  if (!Number.isInteger(minActivityAnswers) || minActivityAnswers < 1) {
    throw new DataError('index parameter minActivityAnswers must be an integer of at least 1', { path: 'params.minActivityAnswers', value: minActivityAnswers });
  }
  const list = inputs.records ?? [];
  if (list.length === 0) throw new DataError('index needs at least one "records" input');
  const vocabulary = analysisVocabulary(studyInput(inputs));
  const tables = list.map((art) => readRecords(art.bytes, art.path));
  const { layout, columns } = scoresTable(groupRows(tables, vocabulary), minActivityAnswers, vocabulary);
  const table2 = table2Rows(layout, columns);
  const timeItems = timeItemRows(layout, columns);
  return {
    'scores.arrow': { content: writeScores(layout, columns), rows: columns.wave.length },
    'table2.csv': { content: toCsv(TABLE2_HEADER, table2), rows: table2.length },
    'time-items.csv': { content: toCsv(TIME_ITEMS_HEADER, timeItems), rows: timeItems.length },
    // Row lineage for explain --cell (analysis/score-lineage.ts), apart from the scoring.
    'scores.arrow.lineage.json': scoresLineage(tables, layout, columns),
    'table2.csv.lineage.json': table2Lineage(layout),
    'time-items.csv.lineage.json': timeItemsLineage(layout, columns),
  };
}

/** The respondents of one (wave, area, theme) group, in input order: runs of rows of one table each. */
interface Group {
  wave: number;
  area: string;
  theme: string;
  parts: { columns: ThemeColumns; rows: number[] }[];
}

/** Every row of every table, once per theme it carries, grouped by wave, area and theme in table order. */
function groupRows(tables: ReturnType<typeof readRecords>[], vocabulary: AnalysisVocabulary): Group[] {
  const groups = new Map<string, Group>();
  for (const table of tables) {
    for (const theme of vocabulary.themes) {
      const columns = themeColumns(table, theme as Theme, vocabulary);
      if (!columns) continue;
      for (let row = 0; row < table.rows; row++) {
        if (!carries(columns, row)) continue;
        const area = table.area[row]!;
        if (!vocabulary.areas.includes(area)) throw new DataError(`unknown area "${area}": the study (raw/study.json) has no such area`, { file: table.sourceFile[row], line: table.sourceLine[row], value: area });
        if (!table.respondentId[row]) throw new DataError('respondent_id is missing', { file: table.sourceFile[row], line: table.sourceLine[row] });
        const key = `${table.wave[row]}|${area}|${theme}`;
        let g = groups.get(key);
        if (!g) groups.set(key, (g = { wave: table.wave[row]!, area: area as Group['area'], theme, parts: [] }));
        if (g.parts.at(-1)?.columns !== columns) g.parts.push({ columns, rows: [] });
        g.parts.at(-1)!.rows.push(row);
      }
    }
  }
  return [...groups.values()].sort(compareGroups(vocabulary));
}

/**
 * The scores table (analysis/scores.ts) of the grouped rows: one row per respondent and theme, the
 * layout naming what each group asked.
 */
function scoresTable(groups: Group[], minActivityAnswers: number, vocabulary: AnalysisVocabulary): { layout: ScoresLayout; columns: ScoresColumns } {
  const order = allVariables(vocabulary).map((v) => v.column);
  const n = groups.reduce((s, g) => s + g.parts.reduce((m, p) => m + p.rows.length, 0), 0);
  const columns: ScoresColumns = {
    wave: new Int32Array(n),
    area: new Uint8Array(n),
    theme: new Uint8Array(n),
    respondentId: { bytes: new Uint8Array(0), offsets: new Int32Array(n + 1) },
    // Every outcome column starts missing: a group that was not asked one keeps it so.
    outcomes: new Map(vocabulary.outcomes.map((o) => [o.name, isShare(o) ? new Float64Array(n).fill(NaN) : new Int8Array(n).fill(-1)])),
    nudge: new Int8Array(n),
    variables: new Map(),
  };
  const ids: string[] = [];
  const layoutGroups: ScoresGroup[] = [];
  let at = 0;
  for (const g of groups) {
    const outcomes = new Set<Outcome>();
    const variables = new Set<string>();
    let nudge = false;
    const start = at;
    for (const { columns: c, rows } of g.parts) {
      const s = scoreTheme(c, Int32Array.from(rows), minActivityAnswers);
      for (const row of rows) ids.push(c.table.respondentId[row]!);
      for (const [name, values] of s.outcomes) columns.outcomes.get(name)!.set(values, at);
      columns.nudge.set(s.nudge, at);
      for (const [name, codes] of s.predictors) {
        let column = columns.variables.get(name);
        if (!column) columns.variables.set(name, (column = new Int8Array(n).fill(-1)));
        column.set(codes, at);
        variables.add(name);
      }
      for (const o of s.asked.outcomes) outcomes.add(o);
      nudge ||= s.asked.nudge;
      at += rows.length;
    }
    columns.wave.fill(g.wave, start, at);
    columns.area.fill(vocabulary.areas.indexOf(g.area), start, at);
    columns.theme.fill(vocabulary.themes.indexOf(g.theme), start, at);
    layoutGroups.push({
      wave: g.wave,
      area: g.area,
      theme: g.theme,
      start,
      rows: at - start,
      outcomes: vocabulary.outcomes.map((o) => o.name).filter((o) => outcomes.has(o)),
      nudge,
      variables: order.filter((v) => variables.has(v)),
    });
  }
  columns.respondentId = utf8Column(ids);
  const variables = order.filter((v) => columns.variables.has(v));
  return { layout: { format: SCORES_FORMAT, min_activity_answers: minActivityAnswers, groups: layoutGroups, variables, vocabulary }, columns };
}

/** Strings as an Arrow string column's UTF-8 bytes and row offsets. */
function utf8Column(strings: string[]): { bytes: Uint8Array; offsets: Int32Array } {
  const encoder = new TextEncoder();
  const parts = strings.map((s) => encoder.encode(s));
  const offsets = new Int32Array(strings.length + 1);
  parts.forEach((p, i) => (offsets[i + 1] = offsets[i]! + p.length));
  const bytes = new Uint8Array(offsets[strings.length]!);
  parts.forEach((p, i) => bytes.set(p, offsets[i]!));
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
  const column = <T extends Float64Array | Int8Array>(name: string) => c.outcomes.get(name) as T;
  const [individual, collective, willing] = [column<Float64Array>('individual'), column<Int8Array>('collective'), column<Int8Array>('willing')];
  return layout.groups.map((g) => {
    const end = g.start + g.rows;
    return [
      g.wave,
      g.area,
      g.theme,
      g.rows,
      fixed(meanOf(individual, g.start, end, isNaNValue).mean, 2),
      fixed(meanOf(collective, g.start, end, isNegative).mean, 2),
      fixed(meanOf(willing, g.start, end, isNegative).mean, 2),
      ...levelIntervalCells(individual, collective, willing, g.start, end),
    ];
  });
}

/** time-items.csv: the outcomes reported per item (all but the three of Table 2), in the study's order. */
function timeItemRows(layout: ScoresLayout, c: ScoresColumns): Cell[][] {
  const items = itemOutcomes(layout.vocabulary);
  return layout.groups.flatMap((g) =>
    items
      .filter((item) => g.outcomes.includes(item))
      .map((item) => {
        const { mean, n } = meanOf(c.outcomes.get(item)!, g.start, g.start + g.rows, isNegative);
        return [g.wave, g.area, g.theme, item, fixed(mean, 2), n];
      }),
  );
}
