/**
 * The scoring rules, record by record: what index turns each canonical record into, one scores row per
 * theme the record carries.
 *
 * - Individual co-production index: of the theme's activity items the respondent answered (often,
 *   sometimes or never), the percentage answered often or sometimes. Don't know and blank are not
 *   answers: they leave the item out of both counts. A respondent with fewer than `minActivityAnswers`
 *   answered items gets no index (null) rather than a share of one or two items.
 * - Collective indicator: joins in groups often or sometimes → 100, never → 0, don't know or blank → null.
 * - Willing, current time, MORE time: a time code of 3 (a few hours a month) or more → 100, 1-2 → 0,
 *   don't know or blank → null.
 * - Predictors keep their answer codes; don't know and blank become null.
 */
import { DataError } from '../../runner/step.js';
import type { CanonicalRecord, ThemeRecord } from '../survey/record.js';
import * as vocabulary from '../survey/vocabulary.js';
import { AREAS, NUDGES, SUB_ITEMS, THEMES } from '../survey/vocabulary.js';
import { DEMOGRAPHICS, PREDICTORS, THEME_PREDICTORS, VARIABLES, variableColumn, type PredictorName } from './layout.js';
import { OUTCOMES, type Outcome } from './scores.js';
import { DEMOGRAPHIC_IDS, SCAN_INDICATORS, SCAN_PREDICTORS, type RecordScan } from './record-scan.js';

// Local copies of the constants read per value: some loaders turn imported bindings into getters.
const DONT_KNOW = vocabulary.DONT_KNOW;
const TIME_AT_LEAST_MONTHLY = vocabulary.TIME_AT_LEAST_MONTHLY;
const THEME_COUNT = THEMES.length;

const AREA_INDEX = new Map<string, number>(AREAS.map((a, i) => [a, i]));
const THEME_INDEX = new Map<string, number>(THEMES.map((t, i) => [t, i]));
const NUDGE_INDEX = new Map<string, number>(NUDGES.map((k, i) => [k, i]));

/** Where a record came from, for errors: the NDJSON file and 1-based line. */
export interface RecordSource {
  file: string;
  line: number;
}

/** Per (wave, area, theme) group: its rows (input order) and which questions were asked. */
export interface GroupAccumulator {
  wave: number;
  area: number;
  theme: number;
  rows: GrowableInt32;
  /** Outcomes asked, by their index in OUTCOMES. */
  outcomes: Uint8Array;
  nudge: boolean;
  /** Predictor columns asked, by their index in VARIABLES. */
  variables: Uint8Array;
}

/** The names of what a group asked, in table order. */
export function askedIn(group: { outcomes: Uint8Array; variables: Uint8Array }): { outcomes: Outcome[]; variables: string[] } {
  return {
    outcomes: OUTCOMES.filter((_, i) => group.outcomes[i]),
    variables: VARIABLES.filter((_, i) => group.variables[i]).map((v) => v.column),
  };
}

/**
 * A growable typed column: no boxed numbers, no copy when finished (the chunk keeps a view). Made once
 * per element type, so that each class's push sees a single kind of array (pushes are the hot loop).
 */
function growable<A extends Int8Array | Int32Array | Float64Array>(make: new (length: number) => A) {
  return class {
    data: A = new make(1024);
    length = 0;
    push(v: number): void {
      if (this.length === this.data.length) {
        const next = new make(this.data.length * 2);
        next.set(this.data);
        this.data = next;
      }
      this.data[this.length++] = v;
    }
    view(): A {
      return this.data.subarray(0, this.length) as A;
    }
  };
}

class GrowableInt8 extends growable(Int8Array) {
  /** Pads with -1 (missing) up to `length`: a column first seen after some rows. */
  padTo(length: number): void {
    while (this.length < length) this.push(-1);
  }
}
const GrowableInt32 = growable(Int32Array);
type GrowableInt32 = InstanceType<typeof GrowableInt32>;
const GrowableFloat64 = growable(Float64Array);

/** A group's part of one chunk of records: its rows (chunk-local, input order) and what it asked. */
export interface ChunkGroup {
  wave: number;
  area: number;
  theme: number;
  rows: Int32Array;
  outcomes: Uint8Array;
  nudge: boolean;
  variables: Uint8Array;
}

/**
 * Scores rows of a run of consecutive records, in input order, as typed arrays (so a worker can hand them
 * over without copying). Missing: NaN in `individual`, -1 in the int8 columns. Respondent IDs are UTF-8
 * bytes with row offsets, the layout of an Arrow string column.
 */
export interface ScoresChunk {
  rows: number;
  /** Records read. */
  records: number;
  idBytes: Uint8Array;
  idOffsets: Int32Array;
  individual: Float64Array;
  collective: Int8Array;
  willing: Int8Array;
  current_time: Int8Array;
  more_time: Int8Array;
  nudge: Int8Array;
  /** By index in VARIABLES; null where no record of the chunk carries the column. */
  variables: (Int8Array | null)[];
  groups: ChunkGroup[];
}

class GrowableBytes {
  data = new Uint8Array(1 << 16);
  length = 0;
  private reserve(extra: number): void {
    if (this.length + extra <= this.data.length) return;
    let size = this.data.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  /** Appends `s` as UTF-8: a byte loop for ASCII (IDs almost always are), the encoder otherwise. */
  pushString(s: string): void {
    this.reserve(s.length * 3);
    let ascii = true;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) {
        ascii = false;
        break;
      }
      this.data[this.length + i] = c;
    }
    if (ascii) this.length += s.length;
    else this.length += encoder.encodeInto(s, this.data.subarray(this.length)).written;
  }

  /** Appends bytes[start, end). */
  pushBytes(bytes: Uint8Array, start: number, end: number): void {
    this.reserve(end - start);
    for (let i = start; i < end; i++) this.data[this.length++] = bytes[i]!;
  }
}

const encoder = new TextEncoder();

/** Turns records into scores rows in input order; `finish()` hands them over as a ScoresChunk. */
export class ScoresBuilder {
  readonly groups = new Map<string, GroupAccumulator>();
  private rows = 0;
  records = 0;
  private ids = new GrowableBytes();
  private idOffsets = new GrowableInt32();
  private individual = new GrowableFloat64();
  private collective = new GrowableInt8();
  private willing = new GrowableInt8();
  private current_time = new GrowableInt8();
  private more_time = new GrowableInt8();
  private nudge = new GrowableInt8();
  /** Predictor columns by their index in VARIABLES; undefined until first seen. */
  private readonly variables: (GrowableInt8 | undefined)[] = [];
  private readonly groupsByWave = new Map<number, GroupAccumulator[]>();

  constructor(readonly minActivityAnswers: number) {
    this.idOffsets.push(0);
  }

  get length(): number {
    return this.rows;
  }

  finish(): ScoresChunk {
    const n = this.rows;
    // Views, not copies: a copy would double the chunk's memory for a moment.
    const int8 = (g: GrowableInt8) => g.data.subarray(0, n);
    return {
      rows: n,
      records: this.records,
      idBytes: this.ids.data.subarray(0, this.ids.length),
      idOffsets: this.idOffsets.view(),
      individual: this.individual.view(),
      collective: int8(this.collective),
      willing: int8(this.willing),
      current_time: int8(this.current_time),
      more_time: int8(this.more_time),
      nudge: int8(this.nudge),
      variables: VARIABLES.map((_, id) => {
        const col = this.variables[id];
        if (!col) return null;
        col.padTo(n);
        return int8(col);
      }),
      groups: [...this.groups.values()].map((g) => ({ ...g, rows: g.rows.view() })),
    };
  }

  add(record: CanonicalRecord, at: RecordSource): void {
    this.records++;
    // Error context is built only when something is wrong (no closures either): this runs a million times.
    const areaIndex = AREA_INDEX.get(record.area);
    if (areaIndex === undefined) failAt(at, `unknown area "${record.area}"`, '/area', record.area);
    if (!Number.isInteger(record.wave)) failAt(at, 'wave is not an integer', '/wave', record.wave);
    if (typeof record.respondent_id !== 'string' || record.respondent_id === '') failAt(at, 'respondent_id is missing', '/respondent_id', record.respondent_id);
    let nudgeIndex = -1;
    if (record.nudge !== undefined && record.nudge !== null) {
      nudgeIndex = NUDGE_INDEX.get(record.nudge) ?? -2;
      if (nudgeIndex === -2) failAt(at, `unknown nudge group "${record.nudge}"`, '/nudge', record.nudge);
    }
    const themes = (record.themes ?? {}) as Record<string, ThemeRecord>;
    for (const themeName in themes) {
      const themeIndex = THEME_INDEX.get(themeName);
      if (themeIndex === undefined) failAt(at, `unknown theme "${themeName}"`, '/themes', themeName);
      const t = themes[themeName]!;
      const group = this.groupOf(record.wave, areaIndex!, themeIndex!);
      const row = this.rows++;
      group.rows.push(row);
      this.ids.pushString(record.respondent_id!);
      this.idOffsets.push(this.ids.length);

      let individual = NaN;
      if (t.activities !== undefined) {
        group.outcomes[INDIVIDUAL] = 1;
        let answered = 0;
        let positive = 0;
        const items = t.activities as Record<string, unknown>;
        for (const item in items) {
          const c = codeOf(items[item], 1, 3);
          if (c === INVALID) failAt(at, invalid(1, 3), `/themes/${themeName}/activities/${item}`, items[item]);
          if (c === MISSING) continue;
          answered++;
          if (c <= 2) positive++;
        }
        if (answered >= this.minActivityAnswers) individual = (100 * positive) / answered;
      }
      this.individual.push(individual);

      this.collective.push(this.indicator(t.join_groups, FREQUENCY, group, COLLECTIVE, themeName, 'join_groups', at));
      this.willing.push(this.indicator(t.willing_time, TIME, group, WILLING, themeName, 'willing_time', at));
      this.current_time.push(this.indicator(t.current_time, TIME, group, CURRENT_TIME, themeName, 'current_time', at));
      this.more_time.push(this.indicator(t.more_time, TIME, group, MORE_TIME, themeName, 'more_time', at));
      if (record.nudge !== undefined) group.nudge = true;
      this.nudge.push(nudgeIndex);

      for (const field of THEME_PREDICTORS) {
        const value = t[field] as unknown;
        if (value === undefined) continue;
        if (value !== null && typeof value === 'object') {
          const subs = value as Record<string, unknown>;
          for (const item in subs) {
            const id = SUB_ITEM_IDS[field].get(item);
            if (id === undefined) failAt(at, `unknown sub-item "${item}"`, `/themes/${themeName}/${field}`, item);
            if (!this.setVariable(group, id!, subs[item], row)) failAt(at, invalid(0, 100), `/themes/${themeName}/${field}/${item}`, subs[item]);
          }
        } else if (!this.setVariable(group, PLAIN_IDS[field], value, row)) {
          failAt(at, invalid(0, 100), `/themes/${themeName}/${field}`, value);
        }
      }
      for (const { predictor, field } of DEMOGRAPHICS) {
        const value = record[field];
        if (value === undefined) continue;
        if (!this.setVariable(group, PLAIN_IDS[predictor], value, row)) failAt(at, invalid(0, 100), `/${field}`, value);
      }
    }
  }

  /**
   * The rows of a record read by RecordScan (record-scan.ts), which has already checked every value:
   * the same rows, in the same order, as `add` gives for the parsed line.
   */
  addScan(scan: RecordScan, bytes: Uint8Array): void {
    this.records++;
    for (let slot = 0; slot < scan.themes; slot++) {
      const group = this.groupOf(scan.wave, scan.area, scan.theme[slot]!);
      const row = this.rows++;
      group.rows.push(row);
      this.ids.pushBytes(bytes, scan.idStart, scan.idEnd);
      this.idOffsets.push(this.ids.length);

      let individual = NaN;
      const answered = scan.answered[slot]!;
      if (answered >= 0) {
        group.outcomes[INDIVIDUAL] = 1;
        if (answered >= this.minActivityAnswers) individual = (100 * scan.positive[slot]!) / answered;
      }
      this.individual.push(individual);

      const at = slot * SCAN_INDICATORS;
      this.collective.push(this.scannedIndicator(scan.indicators[at]!, FREQUENCY, group, COLLECTIVE));
      this.willing.push(this.scannedIndicator(scan.indicators[at + 1]!, TIME, group, WILLING));
      this.current_time.push(this.scannedIndicator(scan.indicators[at + 2]!, TIME, group, CURRENT_TIME));
      this.more_time.push(this.scannedIndicator(scan.indicators[at + 3]!, TIME, group, MORE_TIME));
      if (scan.nudgePresent) group.nudge = true;
      this.nudge.push(scan.nudge);

      const base = slot * SCAN_PREDICTORS;
      for (let k = 0; k < scan.predictors[slot]!; k++) this.setCode(group, scan.predictorIds[base + k]!, scan.predictorCodes[base + k]!, row);
      for (let d = 0; d < DEMOGRAPHIC_IDS.length; d++) {
        const code = scan.demographics[d]!;
        if (code !== ABSENT) this.setCode(group, DEMOGRAPHIC_IDS[d]!, code, row);
      }
    }
  }

  /** `indicator` for a code already checked (ABSENT when the key is missing). */
  private scannedIndicator(c: number, scale: IndicatorScale, group: GroupAccumulator, outcome: number): number {
    if (c === ABSENT) return -1;
    group.outcomes[outcome] = 1;
    return c === MISSING ? -1 : c >= scale.yesFrom && c <= scale.yesTo ? 100 : 0;
  }

  /** Stores a checked predictor code (MISSING stores -1). */
  private setCode(group: GroupAccumulator, id: number, code: number, row: number): void {
    group.variables[id] = 1;
    let col = this.variables[id];
    if (!col) {
      col = new GrowableInt8();
      this.variables[id] = col;
    }
    col.padTo(row);
    col.push(code);
  }

  private groupOf(wave: number, area: number, theme: number): GroupAccumulator {
    let byCell = this.groupsByWave.get(wave);
    if (!byCell) {
      byCell = [];
      this.groupsByWave.set(wave, byCell);
    }
    const cell = area * THEME_COUNT + theme;
    let group = byCell[cell];
    if (!group) {
      group = { wave, area, theme, rows: new GrowableInt32(), outcomes: new Uint8Array(OUTCOMES.length), nudge: false, variables: new Uint8Array(VARIABLES.length) };
      byCell[cell] = group;
      this.groups.set(`${wave}|${area}|${theme}`, group);
    }
    return group;
  }

  /** 100 for a "yes" code, 0 for another code, -1 for don't know or blank; marks the outcome asked when the key is present. */
  private indicator(value: unknown, scale: IndicatorScale, group: GroupAccumulator, outcome: number, themeName: string, field: string, at: RecordSource): number {
    if (value === undefined) return -1;
    group.outcomes[outcome] = 1;
    const c = codeOf(value, scale.min, scale.max);
    if (c === INVALID) {
      throw new DataError(invalid(scale.min, scale.max), { file: at.file, line: at.line, path: `/themes/${themeName}/${field}`, value });
    }
    return c === MISSING ? -1 : c >= scale.yesFrom && c <= scale.yesTo ? 100 : 0;
  }

  /** Stores a predictor code (-1 when missing); false when the value is not a code. */
  private setVariable(group: GroupAccumulator, id: number, value: unknown, row: number): boolean {
    // Predictor ranges were checked by validate against the schema; here a code only has to fit the column.
    const c = codeOf(value, 0, 100);
    if (c === INVALID) return false;
    this.setCode(group, id, c, row);
    return true;
  }
}

interface IndicatorScale {
  min: number;
  max: number;
  /** Codes counted as "yes" (100). */
  yesFrom: number;
  yesTo: number;
}
/** Often (1) or sometimes (2) on the frequency scale. */
const FREQUENCY: IndicatorScale = { min: 1, max: 3, yesFrom: 1, yesTo: 2 };
/** At least a few hours a month on the time scale. */
const TIME: IndicatorScale = { min: 1, max: 4, yesFrom: TIME_AT_LEAST_MONTHLY, yesTo: 4 };

const [INDIVIDUAL, COLLECTIVE, WILLING, CURRENT_TIME, MORE_TIME] = OUTCOMES.map((_, i) => i) as [number, number, number, number, number];

function failAt(at: RecordSource, message: string, path: string, value: unknown): never {
  throw new DataError(message, { file: at.file, line: at.line, path, value });
}

const MISSING = -1;
const INVALID = -2;
/** RecordScan's mark for a key the line does not have. */
const ABSENT = -3;

const VARIABLE_IDS = new Map(VARIABLES.map((v, i) => [v.column, i]));
/** Index in VARIABLES of each predictor asked once, and of each predictor's sub-items: looked up, not built per value. */
const PLAIN_IDS = Object.fromEntries(PREDICTORS.map((p) => [p, VARIABLE_IDS.get(p)!])) as Record<PredictorName, number>;
const SUB_ITEM_IDS = Object.fromEntries(
  THEME_PREDICTORS.map((field) => [field, new Map(SUB_ITEMS.map((item) => [item as string, VARIABLE_IDS.get(variableColumn(field, item))!]))]),
) as Record<(typeof THEME_PREDICTORS)[number], Map<string, number>>;

const invalid = (min: number, max: number) => `expected a code ${min}-${max}, "${DONT_KNOW}" or null`;

/** An answer code, MISSING for don't know and blank, INVALID for anything else. */
function codeOf(value: unknown, min: number, max: number): number {
  if (value === null || value === DONT_KNOW) return MISSING;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  return INVALID;
}
