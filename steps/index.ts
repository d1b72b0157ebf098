/**
 * index: valid records → per respondent and theme scores, Table 2 and the per-item outcomes (time items).
 *
 *   valid.arrow (one per export) ── filter: rows carrying the theme ── derive: scoring rules (survey/scoring.ts)
 *        ── per wave, area, theme (table order), rollup: what was asked ──┬─ scores.arrow
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
import { escape, fromArrow, op, table, type ColumnTable } from 'arquero';
import { DataError, type StepInputs, type StepOutputs } from '../contract/step.js';
import { scoresLineage, table2Lineage, timeItemsLineage } from '../lib/table/score-lineage.js';
import { studyInput } from '../lib/survey/study.js';
import type { Theme } from '../lib/survey/vocabulary.js';
import { arrowTypeName, recordsArrow } from '../lib/survey/records-table.js';
import { fixed, toCsv, type Cell } from '../lib/table/csv.js';
import { allVariables, analysisVocabulary, compareGroups, itemOutcomes, type AnalysisVocabulary, type GroupKey } from '../lib/survey/analysis-vocabulary.js';
import { isShare, SCORES_FORMAT, writeScores, type Outcome, type ScoresColumns, type ScoresGroup, type ScoresLayout } from '../lib/table/scores.js';
import { firstInvalid, themeScoring, type ThemeScoring } from '../lib/survey/scoring.js';
import { levelIntervalCells } from '../lib/stats/level-intervals.js';
import { TABLE2_HEADER, TIME_ITEMS_HEADER } from '../lib/table/level-tables.js';

export interface IndexParams {
  /** Fewest answered activity items (often, sometimes or never) for a respondent to get an individual index; default 2. */
  minActivityAnswers?: number;
}

export default function index(inputs: StepInputs, params: IndexParams = {}): StepOutputs {
  const minActivityAnswers = params.minActivityAnswers ?? 2;
  if (!Number.isInteger(minActivityAnswers) || minActivityAnswers < 1) {
    throw new DataError('index parameter minActivityAnswers must be an integer of at least 1', { path: 'params.minActivityAnswers', value: minActivityAnswers });
  }
  const list = inputs.records ?? [];
  if (list.length === 0) throw new DataError('index needs at least one "records" input');
  const vocabulary = analysisVocabulary(studyInput(inputs));
  // One records table at a time: each is scored, its parts kept, and the table let go.
  const parts: Part[] = [];
  const files = new Set<string>();
  for (const art of list) {
    const records = recordsFrame(recordsArrow(art.bytes, art.path));
    for (const file of records.rollup({ files: op.array_agg_distinct('source_file') }).get('files', 0) as string[]) files.add(file);
    for (const theme of vocabulary.themes) {
      const scoring = themeScoring(records.columnNames(), theme as Theme, vocabulary, minActivityAnswers);
      if (scoring) parts.push(...scoreParts(records, scoring, vocabulary));
    }
  }
  const { layout, columns, sources } = scoresTable(parts, minActivityAnswers, vocabulary);
  const table2 = table2Rows(layout, columns);
  const timeItems = timeItemRows(layout, columns);
  return {
    'scores.arrow': { content: writeScores(layout, columns), rows: columns.wave.length },
    'table2.csv': { content: toCsv(TABLE2_HEADER, table2), rows: table2.length },
    'time-items.csv': { content: toCsv(TIME_ITEMS_HEADER, timeItems), rows: timeItems.length },
    // Row lineage for explain --cell (lib/table/score-lineage.ts), apart from the scoring.
    'scores.arrow.lineage.json': scoresLineage([...files].sort(), sources),
    'table2.csv.lineage.json': table2Lineage(layout),
    'time-items.csv.lineage.json': timeItemsLineage(layout, columns),
  };
}

/**
 * A records table for arquero: its text columns through `fromArrow`, its int32 code columns as the
 * arrays they are stored in (no copy), which arquero's expressions index directly rather than through
 * an Arrow column's `at()`: a third of index's time at a million respondents.
 */
function recordsFrame(arrow: ReturnType<typeof recordsArrow>): ColumnTable {
  const names = arrow.schema.fields.map((f) => f.name);
  const text = names.filter((n) => arrowTypeName(arrow.getChild(n)!.type) !== 'int32');
  const codes = Object.fromEntries(names.filter((n) => !text.includes(n)).map((n) => [n, arrow.getChild(n)!.toArray() as Int32Array]));
  // flechette types its metadata as possibly null where arquero expects undefined; the table is the same.
  return fromArrow(arrow as unknown as Parameters<typeof fromArrow>[0], { columns: text }).assign(table(codes));
}

/** The scored rows of one records table in one (wave, area, theme) group, as arrays, and what the group was asked. */
interface Part extends GroupKey {
  rows: number;
  ids: string[];
  sourceFile: string[];
  sourceLine: Int32Array;
  /** Every outcome of the study: shares (NaN: missing) and indicators (-1: missing). */
  outcomes: Map<Outcome, Float64Array | Int8Array>;
  nudge: Int8Array;
  predictors: Map<string, Int8Array>;
  asked: { outcomes: Set<Outcome>; nudge: boolean };
}

/**
 * One theme of one records table: the rows carrying it, checked, scored (survey/scoring.ts) and split
 * by wave and area.
 */
function scoreParts(records: ColumnTable, scoring: ThemeScoring, vocabulary: AnalysisVocabulary): Part[] {
  const outcomes = vocabulary.outcomes.map((o) => o.name);
  const carried = records.filter(scoring.carried);
  if (carried.numRows() === 0) return [];
  check(carried, scoring, vocabulary);
  const keys = carried.select('wave', 'area').dedupe().objects() as { wave: number; area: string }[];
  return keys.map(({ wave, area }) => {
    const records = keys.length === 1 ? carried : carried.filter(escape((d: { wave: number; area: string }) => d.wave === wave && d.area === area));
    const asked = records.rollup(scoring.asked).object() as Record<string, number>;
    // The scores replace the codes they are read from (nudge, gender): what was asked is read first.
    const part = records.derive(scoring.counts).derive(scoring.scores);
    const int8 = (name: string) => part.array(name, Int8Array) as Int8Array;
    return {
      wave,
      area,
      theme: scoring.theme,
      rows: part.numRows(),
      ids: part.array('respondent_id') as string[],
      sourceFile: part.array('source_file') as string[],
      sourceLine: part.array('source_line', Int32Array) as Int32Array,
      outcomes: new Map(vocabulary.outcomes.map((o) => [o.name, isShare(o) ? (part.array(o.name, Float64Array) as Float64Array) : int8(o.name)])),
      nudge: int8('nudge'),
      predictors: new Map(
        Object.keys(asked)
          .filter((k) => k.startsWith('variable:') && asked[k])
          .map((k) => [k.slice('variable:'.length), int8(k.slice('variable:'.length))]),
      ),
      asked: { outcomes: new Set(outcomes.filter((o) => asked[`outcome:${o}`])), nudge: asked.nudge === 1 },
    };
  });
}

/** Rows carrying a theme must name a study area and a respondent, and hold codes within their scales. */
function check(carried: ColumnTable, scoring: ThemeScoring, vocabulary: AnalysisVocabulary): void {
  const areas = new Set(vocabulary.areas);
  const stray = carried.filter(escape((d: { area: string; respondent_id: string | null }) => !areas.has(d.area) || !d.respondent_id));
  if (stray.numRows() > 0) {
    const row = stray.object(0) as { area: string; respondent_id: string | null; source_file: string; source_line: number };
    if (!areas.has(row.area)) throw new DataError(`unknown area "${row.area}": the study (raw/study.json) has no such area`, { file: row.source_file, line: row.source_line, value: row.area });
    throw new DataError('respondent_id is missing', { file: row.source_file, line: row.source_line });
  }
  const invalid = carried.filter(scoring.invalid);
  if (invalid.numRows() > 0) {
    const row = invalid.object(0) as Record<string, number> & { source_file: string; source_line: number };
    const bad = firstInvalid(scoring, (name) => row[name]!)!;
    throw new DataError(bad.message, { file: row.source_file, line: row.source_line, column: bad.column, value: bad.value });
  }
}

/**
 * The scores table (lib/table/scores.ts) of the parts, grouped by wave, area and theme in table order
 * (parts of one group in input order): one row per respondent and theme, the layout naming what each
 * group asked; and each row's raw file and line, for the lineage.
 */
function scoresTable(parts: Part[], minActivityAnswers: number, vocabulary: AnalysisVocabulary) {
  const groups = new Map<string, Part[]>();
  for (const p of parts) {
    const key = `${p.wave}|${p.area}|${p.theme}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const ordered = [...groups.values()].sort((a, b) => compareGroups(vocabulary)(a[0]!, b[0]!));
  const order = allVariables(vocabulary).map((v) => v.column);
  const n = parts.reduce((s, p) => s + p.rows, 0);
  const columns: ScoresColumns = {
    wave: new Int32Array(n),
    area: new Uint8Array(n),
    theme: new Uint8Array(n),
    respondentId: { bytes: new Uint8Array(0), offsets: new Int32Array(n + 1) },
    outcomes: new Map(vocabulary.outcomes.map((o) => [o.name, isShare(o) ? new Float64Array(n) : new Int8Array(n)])),
    nudge: new Int8Array(n),
    variables: new Map(),
  };
  const ids: string[] = [];
  const sources = { files: [] as string[], lines: [] as number[] };
  const layoutGroups: ScoresGroup[] = [];
  let at = 0;
  for (const group of ordered) {
    const { wave, area, theme } = group[0]!;
    const outcomes = new Set<Outcome>();
    const variables = new Set<string>();
    let nudge = false;
    const start = at;
    for (const p of group) {
      for (let i = 0; i < p.rows; i++) {
        ids.push(p.ids[i]!);
        sources.files.push(p.sourceFile[i]!);
        sources.lines.push(p.sourceLine[i]!);
      }
      for (const [name, values] of p.outcomes) columns.outcomes.get(name)!.set(values, at);
      columns.nudge.set(p.nudge, at);
      for (const [name, codes] of p.predictors) {
        let column = columns.variables.get(name);
        if (!column) columns.variables.set(name, (column = new Int8Array(n).fill(-1)));
        column.set(codes, at);
        variables.add(name);
      }
      for (const o of p.asked.outcomes) outcomes.add(o);
      nudge ||= p.asked.nudge;
      at += p.rows;
    }
    columns.wave.fill(wave, start, at);
    columns.area.fill(vocabulary.areas.indexOf(area), start, at);
    columns.theme.fill(vocabulary.themes.indexOf(theme), start, at);
    layoutGroups.push({
      wave,
      area,
      theme,
      start,
      rows: at - start,
      outcomes: vocabulary.outcomes.map((o) => o.name).filter((o) => outcomes.has(o)),
      nudge,
      variables: order.filter((v) => variables.has(v)),
    });
  }
  columns.respondentId = utf8Column(ids);
  const variables = order.filter((v) => columns.variables.has(v));
  const layout: ScoresLayout = { format: SCORES_FORMAT, min_activity_answers: minActivityAnswers, groups: layoutGroups, variables, vocabulary };
  return { layout, columns, sources: { ...sources, ids } };
}

/**
 * Strings as an Arrow string column's UTF-8 bytes and row offsets, encoded into one buffer: an array
 * per string cost 400 MB at a million respondents.
 */
function utf8Column(strings: string[]): { bytes: Uint8Array; offsets: Int32Array } {
  const offsets = new Int32Array(strings.length + 1);
  strings.forEach((s, i) => (offsets[i + 1] = offsets[i]! + Buffer.byteLength(s, 'utf8')));
  const bytes = new Uint8Array(offsets[strings.length]!);
  const encoder = new TextEncoder();
  strings.forEach((s, i) => encoder.encodeInto(s, bytes.subarray(offsets[i]!, offsets[i + 1]!)));
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
