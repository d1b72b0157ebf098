/**
 * An area's population margins (raw/population-margins.json, schemas/population-margins.schema.json)
 * as raking margins for its respondents. A margin is one demographic variable (`"gender"`: a total per
 * code) or the cross-classification of several, named with R's interaction colon (`"age_band:gender"`:
 * a total per cell `"1:0"`, codes in the name's order), as survey::rake takes a joint formula
 * (~age_band + gender) with a population table of its cells.
 */
import type { Margin } from '../stats/raking.js';

export interface MarginSpec {
  /** As in the file: "gender", "age_band:gender". */
  name: string;
  variables: string[];
  /** Population total per cell key ("1", "1:0"). */
  totals: Record<string, number>;
}

/** A cell key whose number of codes does not match its margin's variables. */
export interface MalformedCell {
  margin: string;
  cell: string;
}

export function marginSpecs(margins: Record<string, Record<string, number>>): { specs: MarginSpec[]; malformed: MalformedCell[] } {
  const specs: MarginSpec[] = [];
  const malformed: MalformedCell[] = [];
  for (const [name, totals] of Object.entries(margins)) {
    const variables = name.split(':');
    for (const cell of Object.keys(totals)) if (cell.split(':').length !== variables.length) malformed.push({ margin: name, cell });
    specs.push({ name, variables, totals });
  }
  return { specs, malformed };
}

/**
 * The margins an area's respondents can be raked to: those whose variables were all asked, and a joint
 * margin with only some of its variables asked summed over the others (age x sex becomes age where sex
 * was not asked), unless another margin already covers those variables. Margins with none asked drop out.
 */
export function usableMargins(specs: readonly MarginSpec[], asked: readonly string[]): MarginSpec[] {
  const full = specs.filter((s) => s.variables.every((v) => asked.includes(v)));
  const covered = new Set(full.map((s) => [...s.variables].sort().join(':')));
  const collapsed: MarginSpec[] = [];
  for (const s of specs) {
    const kept = s.variables.map((v, k) => ({ v, k })).filter(({ v }) => asked.includes(v));
    if (kept.length === 0 || kept.length === s.variables.length) continue;
    const key = kept.map(({ v }) => v).sort().join(':');
    if (covered.has(key)) continue;
    covered.add(key);
    const totals: Record<string, number> = {};
    for (const [cell, total] of Object.entries(s.totals)) {
      const codes = cell.split(':');
      const sub = kept.map(({ k }) => codes[k]).join(':');
      totals[sub] = (totals[sub] ?? 0) + total;
    }
    collapsed.push({ name: kept.map(({ v }) => v).join(':'), variables: kept.map(({ v }) => v), totals });
  }
  return [...full, ...collapsed];
}

/** The cell keys in order of their codes (numerically, first variable first). */
function orderedCells(totals: Record<string, number>): string[] {
  const parts = (key: string) => key.split(':').map(Number);
  return Object.keys(totals).sort((a, b) => {
    const x = parts(a);
    const y = parts(b);
    for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) return x[k]! - y[k]!;
    return 0;
  });
}

/**
 * The margin over `rows` (positions in `codes`' columns): each row's cell and the cells' population
 * totals. `unknown` names the first row whose cell the margin has no total for.
 */
export function marginOf(spec: MarginSpec, codes: (variable: string) => ArrayLike<number | null>, rows: readonly number[]): { margin: Margin; unknown?: { row: number; cell: string } } {
  const cells = orderedCells(spec.totals);
  const index = new Map(cells.map((c, k) => [c, k]));
  const columns = spec.variables.map(codes);
  const at: number[] = [];
  for (const row of rows) {
    const cell = columns.map((c) => c[row]).join(':');
    const k = index.get(cell);
    if (k === undefined) return { margin: { name: spec.name, cells: at, population: [] }, unknown: { row, cell } };
    at.push(k);
  }
  return { margin: { name: spec.name, cells: at, population: cells.map((c) => spec.totals[c]!) } };
}
