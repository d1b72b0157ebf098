/**
 * The shipped replica reproduces the paper's wave-2013 tables: the raw/2013 exports go through clean,
 * validate, index, correlate and nudge-regress in-process (as the runner would run them), and every
 * published value a consistent replica must hit is compared with what the steps compute:
 *   Table 2 levels and Barnet's time items within 1 point; Tables 3-4 correlations within 0.02 wherever the
 *   transcription calls the cell consistent or borderline and does not suspect it; Table 5 coefficients
 *   (those not suspected) within 0.5.
 * Exceptions would be listed below, each with the reason the model cannot reach it; there are none.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { artifact, type Artifact } from '../../../contract/step.js';
import { analyse, type AnalysedTables, type Row } from '../../../tools/synth/analyse.js';
import { codebookFiles, exportChunks, exportPath } from '../../../tools/synth/generate.js';
import { ANSWER_SHIFT } from '../../../tools/synth/calibrate.js';
import { SHIPPED_CALIBRATION } from '../../../tools/synth/model.js';
import { SEED } from '../../../tools/synth/parameters.js';
import { AREAS } from '../../../tools/synth/study.js';

const root = new URL('../../../', import.meta.url);
const read = (path: string) => artifact(path, readFileSync(new URL(path, root)));
const list = (dir: string) => readdirSync(new URL(dir, root)).sort().map((f) => `${dir}/${f}`);

interface Published {
  table2: { rows: { area: string; theme: string; individual_pct: number | null; collective_pct: number | null; willing_pct: number | null }[] };
  correlations: { entries: { table: number; area: string; theme: string; predictor: string; item: string; target_r: number; star_check: string; suspect: boolean }[] };
  table5: { entries: { area: string; theme: string; item: string; term: string; outcome: string; coef: number; suspect: boolean }[] };
  claims: { id: string; values: { label: string; value: number }[] }[];
}
const published = read('raw/published-tables.json').json<Published>();

/**
 * Cells the replica cannot reach, by the id `check` gives them, with the reason (also in raw/README.md).
 * None at present: Barnet's crime and anti-social behaviour versions of Table 5, which once shared a single
 * nudge shift and so sat as far apart as the seed's chance imbalance of their controls put them, each have an
 * answer shift of their own now (ThemeCalibration.answers in tools/synth/model.ts). A cell listed here must be
 * out of bounds (the second test), so the list can only name real misses.
 */
const UNREACHABLE: Record<string, string> = {};

const WAVE = '2013';
// Bristol's community-safety response item is unlabelled in Table 3 and "crime & ASB" in Table 4: one question.
const SAME_ITEM: Record<string, string> = { '': 'crime & ASB', 'crime & ASB': '' };
const find = (rows: Row[], where: Record<string, string>) => rows.find((r) => Object.entries(where).every(([k, v]) => r[k] === v));

/** Every published value that must be met and is not, as `id: published vs recomputed`. */
function check(t: AnalysedTables): { id: string; detail: string }[] {
  const off: { id: string; detail: string }[] = [];
  const compare = (id: string, want: number, got: string | undefined, tolerance: number) => {
    const value = got === undefined || got === '' ? NaN : Number(got);
    if (!(Math.abs(value - want) <= tolerance)) off.push({ id, detail: `published ${want}, recomputed ${got ?? 'nothing'} (tolerance ${tolerance})` });
  };
  for (const row of published.table2.rows) {
    const r = find(t.table2, { wave: WAVE, area: row.area, theme: row.theme });
    for (const column of ['individual_pct', 'collective_pct', 'willing_pct'] as const) {
      if (row[column] !== null) compare(`table 2 ${row.area} ${row.theme} ${column}`, row[column]!, r?.[column], 1);
    }
  }
  for (const [id, item] of [['barnet-current-time', 'current_time'], ['barnet-more-time', 'more_time']] as const) {
    for (const v of published.claims.find((c) => c.id === id)!.values) {
      compare(`text Barnet ${v.label} ${item}`, v.value, find(t.timeItems, { wave: WAVE, area: 'Barnet', theme: v.label, item })?.pct, 1);
    }
  }
  for (const c of published.correlations.entries) {
    if (c.suspect || !(c.star_check === 'consistent' || c.star_check === 'borderline')) continue;
    const rows = c.table === 3 ? t.table3 : t.table4;
    const where = { wave: WAVE, area: c.area, theme: c.theme, predictor: c.predictor };
    const r = find(rows, { ...where, item: c.item }) ?? (c.item in SAME_ITEM ? find(rows, { ...where, item: SAME_ITEM[c.item]! }) : undefined);
    compare(`table ${c.table} ${c.area} ${c.theme} ${c.predictor}${c.item ? `/${c.item}` : ''}`, c.target_r, r?.r, 0.02);
  }
  for (const e of published.table5.entries) {
    if (e.suspect) continue;
    const r = find(t.table5, { wave: WAVE, area: e.area, theme: e.theme, item: e.item, outcome: e.outcome, term: e.term });
    compare(`table 5 ${e.area} ${e.theme}${e.item ? ` (${e.item})` : ''} ${e.outcome} ${e.term}`, e.coef, r?.coef, 0.5);
  }
  return off;
}

const codebooks = (): Artifact[] => list('raw/codebooks').map(read);
const shipped = await analyse(list('raw/2013').map(read), codebooks());

test('the shipped wave-2013 exports reproduce Tables 2-5 within bounds, apart from any documented unreachable cells (none at present)', () => {
  const off = check(shipped).filter((o) => !(o.id in UNREACHABLE));
  assert.equal(off.map((o) => `${o.id}: ${o.detail}`), []);
});

test('every documented exception is a real cell that is in fact out of bounds (the list cannot hide a passing cell)', () => {
  const off = new Set(check(shipped).map((o) => o.id));
  for (const id of Object.keys(UNREACHABLE)) assert.ok(off.has(id), `${id} is listed as unreachable but is within bounds`);
});

test('the check has teeth: the uncalibrated first-order replica, same seed, misses many cells', async () => {
  const uncalibrated = { ...SHIPPED_CALIBRATION, areas: {} };
  const exports = AREAS.map((area) => artifact(exportPath(area, 2013), [...exportChunks(area, 2013, { seed: SEED, calibration: uncalibrated })].join('')));
  const off = check(await analyse(exports, codebookFiles().map((f) => artifact(f.path, f.content)))).filter((o) => !(o.id in UNREACHABLE));
  assert.ok(off.length > 20, `only ${off.length} cells out of bounds`);
  assert.ok(off.some((o) => o.id.startsWith('table 2 ')) && off.some((o) => o.id.startsWith('table 3 ')) && off.some((o) => o.id.startsWith('table 5 ')));
});

test('calibration.json says how it was made, for the seed and wave the replica ships', () => {
  assert.is(SHIPPED_CALIBRATION.seed, SEED);
  assert.is(SHIPPED_CALIBRATION.wave, 2013);
  assert.is(SHIPPED_CALIBRATION.command, 'npm run calibrate');
  assert.ok(Object.keys(SHIPPED_CALIBRATION.areas).length === AREAS.length);
});

test("Barnet's answer shifts stay small (within calibration's bound) and are the only ones shipped", () => {
  const shifts = Object.entries(SHIPPED_CALIBRATION.areas).flatMap(([area, themes]) =>
    Object.entries(themes ?? {}).flatMap(([theme, cal]) =>
      Object.entries(cal?.answers ?? {}).flatMap(([item, byGroup]) => Object.entries(byGroup).map(([g, s]) => ({ at: `${area} ${theme} ${item} ${g}`, s }))),
    ),
  );
  assert.equal([...new Set(shifts.map((x) => x.at.split(' ').slice(0, 3).join(' ')))], ['Barnet community safety']);
  assert.is(shifts.length, 6);
  for (const { at, s } of shifts) assert.ok(Math.abs(s) <= ANSWER_SHIFT.max, `${at}: ${s}`);
});

test.run();
