/**
 * A byte-level reader for the plain shape of a canonical record line: what index needs from it, read
 * straight from the UTF-8 bytes without decoding the line or building objects.
 *
 * JSON.parse plus the walk over the objects it builds was most of index's time (about 2 s of decoding
 * and parsing per million records). Lines written by validate are compact JSON.stringify output of a
 * fixed shape, so this reader accepts exactly that shape: no whitespace, no escapes in strings, integer
 * codes, no repeated keys, known areas, themes, nudge groups and sub-items, codes in range. For anything
 * else — a line that is not JSON, an unusual but valid spelling (`2.0`, `"\u0041"`, spaces), or a value
 * the scoring rules reject — `scan` returns false having changed nothing outside itself, and the caller
 * parses that line with JSON.parse and ScoresBuilder.add as before. Those give the same rows for valid
 * lines and the exact error for bad ones, so the reader changes speed only; test/steps/analysis pins
 * that both routes give the same scores. Only pure-ASCII input comes here (the caller checks), so a
 * byte is a character and decoding could not have failed.
 */
import * as vocabulary from '../survey/vocabulary.js';
import { AREAS, NUDGES, SUB_ITEMS, THEMES } from '../survey/vocabulary.js';
import { DEMOGRAPHICS, THEME_PREDICTORS, VARIABLES, variableColumn } from './layout.js';

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** Names to recognise, and by first byte the indices of those starting with it. */
interface KeyTable {
  names: Uint8Array[];
  byFirst: Int32Array[];
}

function keys(list: readonly string[]): KeyTable {
  const names = list.map(ascii);
  const byFirst = Array.from({ length: 128 }, (_, b) => Int32Array.from(names.flatMap((n, i) => (n[0] === b ? [i] : []))));
  return { names, byFirst };
}

const TOP_KEYS = keys(['wave', 'area', 'respondent_id', 'source', 'nudge', 'themes', ...DEMOGRAPHICS.map((d) => d.field)]);
const [WAVE, AREA, ID, SOURCE, NUDGE, THEMES_KEY] = [0, 1, 2, 3, 4, 5];
const DEMOGRAPHIC_KEY0 = 6;
const INDICATOR_FIELDS = ['join_groups', 'willing_time', 'current_time', 'more_time'] as const;
const THEME_KEYS = keys(['activities', ...INDICATOR_FIELDS, ...THEME_PREDICTORS]);
const INDICATOR_KEY0 = 1;
const PREDICTOR_KEY0 = 1 + INDICATOR_FIELDS.length;
/**
 * Highest code of each indicator's scale, as scoring.ts's FREQUENCY and TIME scales (join_groups 1-3,
 * the time items 1-4); the tests feed both routes out-of-range codes, so a mismatch would show there.
 */
const INDICATOR_MAX = [3, 4, 4, 4];
const AREA_KEYS = keys(AREAS);
const THEME_NAMES = keys(THEMES);
const NUDGE_KEYS = keys(NUDGES);
const SUB_ITEM_KEYS = keys(SUB_ITEMS);
const DONT_KNOW = ascii(vocabulary.DONT_KNOW);

const VARIABLE_IDS = new Map(VARIABLES.map((v, i) => [v.column, i]));
/** VARIABLES index of each theme predictor asked once (by THEME_PREDICTORS position) and of its sub-items. */
const PLAIN_ID = Int32Array.from(THEME_PREDICTORS, (p) => VARIABLE_IDS.get(p)!);
const SUB_ID = THEME_PREDICTORS.map((p) => Int32Array.from(SUB_ITEMS, (s) => VARIABLE_IDS.get(variableColumn(p, s))!));
export const DEMOGRAPHIC_IDS = Int32Array.from(DEMOGRAPHICS, (d) => VARIABLE_IDS.get(d.predictor)!);

/** A code that is not one (the line goes to JSON.parse). */
const BAD = -2;
/** A key the line does not have. */
const ABSENT = -3;
const MISSING = -1;
const MAX_THEMES = THEMES.length;
const MAX_PREDICTORS = THEME_PREDICTORS.length * SUB_ITEMS.length;
const MAX_ACTIVITIES = 64;

const QUOTE = 34;
const COMMA = 44;
const COLON = 58;
const OPEN = 123;
const CLOSE = 125;

/** What `scan` read from the last line it accepted. Theme slots are in the order the line lists them. */
export class RecordScan {
  wave = 0;
  area = 0;
  idStart = 0;
  idEnd = 0;
  /** Index into NUDGES; -1 when absent or null. */
  nudge = -1;
  /** The key is present (even as null): the group carries nudge assignments. */
  nudgePresent = false;
  /** Per DEMOGRAPHICS entry: -3 absent, -1 missing, else the code. */
  readonly demographics = new Int32Array(DEMOGRAPHICS.length);
  themes = 0;
  readonly theme = new Int32Array(MAX_THEMES);
  /** Per theme slot: -1 when the activities key is absent, else how many items were answered. */
  readonly answered = new Int32Array(MAX_THEMES);
  readonly positive = new Int32Array(MAX_THEMES);
  /** Per theme slot and indicator: -3 absent, -1 missing, else the code. */
  readonly indicators = new Int32Array(MAX_THEMES * INDICATOR_FIELDS.length);
  /** Per theme slot: predictor values as (VARIABLES index, code or -1) pairs. */
  readonly predictors = new Int32Array(MAX_THEMES);
  readonly predictorIds = new Int32Array(MAX_THEMES * MAX_PREDICTORS);
  readonly predictorCodes = new Int32Array(MAX_THEMES * MAX_PREDICTORS);

  private bytes: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private end = 0;
  private readonly activityKeys = new Int32Array(MAX_ACTIVITIES * 2);

  /** Reads bytes[start, end) (one line, no newline); false when the line is not in the plain shape. */
  scan(bytes: Uint8Array, start: number, end: number): boolean {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
    this.nudge = -1;
    this.nudgePresent = false;
    for (let d = 0; d < this.demographics.length; d++) this.demographics[d] = ABSENT;
    this.themes = 0;
    let seen = 0;
    if (this.peek() !== OPEN) return false;
    this.pos++;
    if (this.peek() === CLOSE) return false; // no wave, area or ID: an error for add to report
    for (;;) {
      const key = this.key(TOP_KEYS);
      if (key === BAD) return false;
      if (key >= 0) {
        if (seen & (1 << key)) return false;
        seen |= 1 << key;
      }
      if (key === WAVE) {
        const w = this.integer();
        if (w < 0) return false;
        this.wave = w;
      } else if (key === AREA) {
        const a = this.stringOf(AREA_KEYS);
        if (a < 0) return false;
        this.area = a;
      } else if (key === ID) {
        if (this.peek() !== QUOTE) return false;
        this.idStart = this.pos + 1;
        if (!this.string()) return false;
        this.idEnd = this.pos - 1;
        if (this.idEnd === this.idStart) return false;
      } else if (key === NUDGE) {
        this.nudgePresent = true;
        if (this.peek() === QUOTE) {
          const n = this.stringOf(NUDGE_KEYS);
          if (n < 0) return false;
          this.nudge = n;
        } else if (!this.literal('null')) return false;
      } else if (key === THEMES_KEY) {
        if (this.peek() === OPEN) {
          if (!this.themesObject()) return false;
        } else if (!this.literal('null')) return false;
      } else if (key >= DEMOGRAPHIC_KEY0) {
        const c = this.code(0, 100);
        if (c === BAD) return false;
        this.demographics[key - DEMOGRAPHIC_KEY0] = c;
      } else if (!this.skipValue(0)) return false; // source and keys index does not read
      const next = this.next();
      if (next === CLOSE) break;
      if (next !== COMMA) return false;
    }
    const required = (1 << WAVE) | (1 << AREA) | (1 << ID);
    return (seen & required) === required && this.pos === this.end;
  }

  private themesObject(): boolean {
    this.pos++;
    if (this.peek() === CLOSE) {
      this.pos++;
      return true;
    }
    let seen = 0;
    for (;;) {
      const t = this.key(THEME_NAMES);
      if (t < 0 || seen & (1 << t) || this.peek() !== OPEN) return false;
      seen |= 1 << t;
      const slot = this.themes++;
      this.theme[slot] = t;
      if (!this.themeObject(slot)) return false;
      const next = this.next();
      if (next === CLOSE) return true;
      if (next !== COMMA) return false;
    }
  }

  private themeObject(slot: number): boolean {
    this.pos++;
    this.answered[slot] = -1;
    for (let k = slot * INDICATOR_FIELDS.length; k < (slot + 1) * INDICATOR_FIELDS.length; k++) this.indicators[k] = ABSENT;
    this.predictors[slot] = 0;
    if (this.peek() === CLOSE) {
      this.pos++;
      return true;
    }
    let seen = 0;
    for (;;) {
      const key = this.key(THEME_KEYS);
      if (key === BAD) return false;
      if (key >= 0) {
        if (seen & (1 << key)) return false;
        seen |= 1 << key;
      }
      if (key === 0) {
        if (!this.activities(slot)) return false;
      } else if (key >= PREDICTOR_KEY0) {
        if (!this.predictor(slot, key - PREDICTOR_KEY0)) return false;
      } else if (key >= INDICATOR_KEY0) {
        const c = this.code(1, INDICATOR_MAX[key - INDICATOR_KEY0]!);
        if (c === BAD) return false;
        this.indicators[slot * INDICATOR_FIELDS.length + key - INDICATOR_KEY0] = c;
      } else if (!this.skipValue(0)) return false;
      const next = this.next();
      if (next === CLOSE) return true;
      if (next !== COMMA) return false;
    }
  }

  /** Activity items: counted here; a repeated item name sends the line to JSON.parse (last one wins there). */
  private activities(slot: number): boolean {
    let answered = 0;
    let positive = 0;
    if (this.peek() !== OPEN) {
      if (!this.literal('null')) return false;
    } else {
      this.pos++;
      if (this.peek() === CLOSE) this.pos++;
      else {
        const names = this.activityKeys;
        for (let count = 0; ; count++) {
          if (count === MAX_ACTIVITIES || this.peek() !== QUOTE) return false;
          const s = this.pos + 1;
          if (!this.string()) return false;
          const e = this.pos - 1;
          for (let k = 0; k < count; k++) if (this.sameBytes(names[2 * k]!, names[2 * k + 1]!, s, e)) return false;
          names[2 * count] = s;
          names[2 * count + 1] = e;
          if (this.next() !== COLON) return false;
          const c = this.code(1, 3);
          if (c === BAD) return false;
          if (c !== MISSING) {
            answered++;
            if (c <= 2) positive++;
          }
          const next = this.next();
          if (next === CLOSE) break;
          if (next !== COMMA) return false;
        }
      }
    }
    this.answered[slot] = answered;
    this.positive[slot] = positive;
    return true;
  }

  /** A theme predictor: one code, or sub-items with a code each. */
  private predictor(slot: number, field: number): boolean {
    const base = slot * MAX_PREDICTORS;
    if (this.peek() !== OPEN) {
      const c = this.code(0, 100);
      if (c === BAD) return false;
      this.push(base, slot, PLAIN_ID[field]!, c);
      return true;
    }
    this.pos++;
    if (this.peek() === CLOSE) {
      this.pos++;
      return true;
    }
    let seen = 0;
    for (;;) {
      const item = this.key(SUB_ITEM_KEYS);
      if (item < 0 || seen & (1 << item)) return false;
      seen |= 1 << item;
      const c = this.code(0, 100);
      if (c === BAD) return false;
      this.push(base, slot, SUB_ID[field]![item]!, c);
      const next = this.next();
      if (next === CLOSE) return true;
      if (next !== COMMA) return false;
    }
  }

  private push(base: number, slot: number, id: number, code: number): void {
    const k = base + this.predictors[slot]!++;
    this.predictorIds[k] = id;
    this.predictorCodes[k] = code;
  }

  // ---- tokens ----------------------------------------------------------------------------------

  private peek(): number {
    return this.pos < this.end ? this.bytes[this.pos]! : -1;
  }

  private next(): number {
    return this.pos < this.end ? this.bytes[this.pos++]! : -1;
  }

  /** `"name":` → index of name in `table`, -1 for another name, BAD when not a plain key. */
  private key(table: KeyTable): number {
    if (this.peek() !== QUOTE) return BAD;
    const t = this.known(table);
    if (t >= 0) {
      if (this.next() !== COLON) return BAD;
      return t;
    }
    if (!this.string()) return BAD;
    if (this.next() !== COLON) return BAD;
    return -1;
  }

  /** A string value that must be one of `table`: its index, or -1. */
  private stringOf(table: KeyTable): number {
    if (this.peek() !== QUOTE) return -1;
    return this.known(table);
  }

  /**
   * The string at pos (on its opening quote) when it is one of `table`'s names: its index, with pos
   * moved past the closing quote; otherwise -1 and pos unchanged. A name holds no quote or backslash,
   * so a name followed by a quote is the whole string.
   */
  private known(table: KeyTable): number {
    const bytes = this.bytes;
    const s = this.pos + 1;
    if (s >= this.end) return -1;
    const first = bytes[s]!;
    if (first >= 128) return -1;
    const candidates = table.byFirst[first]!;
    outer: for (let c = 0; c < candidates.length; c++) {
      const t = candidates[c]!;
      const name = table.names[t]!;
      const close = s + name.length;
      if (close >= this.end || bytes[close] !== QUOTE) continue;
      for (let i = 1; i < name.length; i++) if (bytes[s + i] !== name[i]) continue outer;
      this.pos = close + 1;
      return t;
    }
    return -1;
  }

  private sameBytes(s1: number, e1: number, s2: number, e2: number): boolean {
    if (e1 - s1 !== e2 - s2) return false;
    const bytes = this.bytes;
    for (let i = e1 - s1 - 1; i >= 0; i--) if (bytes[s1 + i] !== bytes[s2 + i]) return false;
    return true;
  }

  /** Skips a string at pos (on its opening quote); false for an escape, a control character or no closing quote. */
  private string(): boolean {
    const bytes = this.bytes;
    const end = this.end;
    for (let i = this.pos + 1; i < end; i++) {
      const b = bytes[i]!;
      if (b === QUOTE) {
        this.pos = i + 1;
        return true;
      }
      if (b === 92 || b < 32) return false;
    }
    return false;
  }

  /** A non-negative integer written plainly (no sign, fraction, exponent or leading zero); -1 otherwise. */
  private integer(): number {
    const bytes = this.bytes;
    const end = this.end;
    let i = this.pos;
    let v = 0;
    while (i < end && bytes[i]! >= 48 && bytes[i]! <= 57) {
      v = v * 10 + (bytes[i]! - 48);
      i++;
    }
    const digits = i - this.pos;
    if (digits === 0 || digits > 15 || (digits > 1 && bytes[this.pos] === 48)) return -1;
    const after = i < this.end ? bytes[i]! : -1;
    if (after === 46 || after === 101 || after === 69) return -1;
    this.pos = i;
    return v;
  }

  /** An answer code in [min, max], MISSING for null and don't know, BAD for anything else. */
  private code(min: number, max: number): number {
    // Almost every code is one digit followed by the end of its member.
    const at = this.pos;
    const digit = this.bytes[at]! - 48;
    if (digit >= 0 && digit <= 9 && at + 1 < this.end) {
      const after = this.bytes[at + 1]!;
      if (after === COMMA || after === CLOSE) {
        this.pos = at + 1;
        return digit >= min && digit <= max ? digit : BAD;
      }
    }
    const b = this.peek();
    if (b === 110) return this.literal('null') ? MISSING : BAD;
    if (b === QUOTE) {
      const s = this.pos + 1;
      if (!this.string()) return BAD;
      return this.sameAs(DONT_KNOW, s, this.pos - 1) ? MISSING : BAD;
    }
    const v = this.integer();
    return v >= min && v <= max ? v : BAD;
  }

  private sameAs(name: Uint8Array, s: number, e: number): boolean {
    if (e - s !== name.length) return false;
    for (let i = 0; i < name.length; i++) if (this.bytes[s + i] !== name[i]) return false;
    return true;
  }

  private literal(word: 'null' | 'true' | 'false'): boolean {
    if (this.pos + word.length > this.end) return false;
    for (let i = 0; i < word.length; i++) if (this.bytes[this.pos + i] !== word.charCodeAt(i)) return false;
    this.pos += word.length;
    return true;
  }

  /** Skips any JSON value (strings without escapes); false when it is not one. */
  private skipValue(depth: number): boolean {
    if (depth > 32) return false;
    const b = this.peek();
    if (b === QUOTE) return this.string();
    if (b === 110) return this.literal('null');
    if (b === 116) return this.literal('true');
    if (b === 102) return this.literal('false');
    if (b === OPEN || b === 91) {
      const close = b === OPEN ? CLOSE : 93;
      this.pos++;
      if (this.peek() === close) {
        this.pos++;
        return true;
      }
      for (;;) {
        if (b === OPEN && this.key(TOP_KEYS) === BAD) return false;
        if (!this.skipValue(depth + 1)) return false;
        const next = this.next();
        if (next === close) return true;
        if (next !== COMMA) return false;
      }
    }
    return this.number();
  }

  /** Skips a JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
  private number(): boolean {
    const bytes = this.bytes;
    let i = this.pos;
    if (i < this.end && bytes[i] === 45) i++;
    if (!this.isDigit(i)) return false;
    if (bytes[i] === 48) i++;
    else while (this.isDigit(i)) i++;
    if (i < this.end && bytes[i] === 46) {
      i++;
      if (!this.isDigit(i)) return false;
      while (this.isDigit(i)) i++;
    }
    if (i < this.end && (bytes[i] === 101 || bytes[i] === 69)) {
      i++;
      if (i < this.end && (bytes[i] === 43 || bytes[i] === 45)) i++;
      if (!this.isDigit(i)) return false;
      while (this.isDigit(i)) i++;
    }
    this.pos = i;
    return true;
  }

  private isDigit(i: number): boolean {
    return i < this.end && this.bytes[i]! >= 48 && this.bytes[i]! <= 57;
  }
}

export const SCAN_INDICATORS = INDICATOR_FIELDS.length;
export const SCAN_PREDICTORS = MAX_PREDICTORS;
