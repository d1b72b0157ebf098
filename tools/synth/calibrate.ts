/**
 * Calibration of the replica against its own realised sample. With a few hundred respondents per area,
 * sampling noise alone moves a correlation by about ±0.04 and a level by a couple of points, so tuning the
 * model in expectation is not enough. Instead, with common random numbers (the fixed seed: every trial
 * draws the same latents and noise), each trial generates wave 2013 in memory under trial values, runs the
 * pipeline's own steps on it (analyse.ts) and compares every statistic with its published target; see
 * `calibrate` for how the values move between trials. The result is calibration.json's content.
 *
 * Pure apart from the work: no files (calibrate-cli.ts writes the result).
 */
import { artifact } from '../../contract/step.js';
import { type Area, type Theme } from '../../lib/survey/vocabulary.js';
import { AREAS } from './study.js';
import { analyse, type AnalysedTables, type Row } from './analyse.js';
import { codebookFiles, exportChunks, exportPath } from './generate.js';
import { compileArea, firstOrder, type CalibrationFile, type NudgeGroup, type Sensitivity, type ThemeCalibration } from './model.js';
import { TARGETS } from './parameters.js';
import { stream } from './random.js';

/** The paper's tables as raw/published-tables.json holds them (only the fields calibration reads). */
export interface Published {
  table2: { rows: { area: Area; theme: Theme; individual_pct: number | null; collective_pct: number | null; willing_pct: number | null }[] };
  correlations: {
    entries: { table: 3 | 4; area: Area; theme: Theme; predictor: string; item: string; r: number; target_r: number; star_check: string; suspect: boolean }[];
  };
  table5: { entries: { area: Area; theme: Theme; item: string; term: string; outcome: 'individual' | 'collective'; coef: number; suspect: boolean }[] };
  claims: { id: string; values: { label: string; value: number }[] }[];
}

export const TOLERANCE = { level: 1, r: 0.02, coef: 0.5 } as const;
/**
 * Answer shifts of item versions (ThemeCalibration.answers) are kept small: never beyond `max` latent units,
 * and each adds (shift / scale)² / 4 to a trial's loss, so among equally good trials the smaller shifts win.
 */
export const ANSWER_SHIFT = { max: 0.3, scale: 0.1 } as const;
export const CALIBRATION_WAVE = 2013;

/** One calibrated statistic: its target, where the realised value is read, and the model value that moves it. */
export interface Target {
  table: '2' | 'text' | '3' | '4' | '5';
  label: string;
  target: number;
  tolerance: number;
  /** Whether the published value is one the replica must hit (a consistent, unsuspected cell). */
  required: boolean;
  read(t: AnalysedTables): number | null;
  /** Adds `error × damping / sensitivity` to the driving model value. */
  nudge(cal: ThemeCalibration, error: number, damping: number, area: Area, theme: Theme): void;
  area: Area;
  theme: Theme;
  /** Table 5 only: the model term and the published coefficients a mean target stands for (each checked on its own). */
  nudgeTerm?: { outcome: string; term: string };
  entries?: { item: string; coef: number }[];
  /** One item version's entry of a shared Table 5 target: the shared target (which sets the level of both). */
  level?: Target;
}

const num = (v: string | undefined) => (v === undefined || v === '' ? null : Number(v));
const find = (rows: Row[], where: Record<string, string>) => rows.find((r) => Object.entries(where).every(([k, v]) => r[k] === v));
// First-order sensitivities depend on the targets only, not on the values being tuned.
const sensitivities = new Map<string, Sensitivity>();
const sensitivity = (area: Area, theme: Theme, _cal?: ThemeCalibration): Sensitivity => {
  const key = `${area}|${theme}`;
  if (!sensitivities.has(key)) sensitivities.set(key, compileArea(area, null).themes.find((t) => t.theme === theme)!.sensitivity);
  return sensitivities.get(key)!;
};

const SAME_ITEM: Record<string, string> = { '': 'crime & ASB', 'crime & ASB': '' };

/** The model key of a published correlation cell (`age` is the age_band answer). */
export const modelKey = (predictor: string, item: string) => (predictor === 'age' ? 'age_band' : predictor) + (item ? `/${item}` : '');

/** Every statistic calibration aims at, read from the published tables. */
export function targetsOf(published: Published): Target[] {
  const out: Target[] = [];
  const wave = String(CALIBRATION_WAVE);
  for (const row of published.table2.rows) {
    const { area, theme } = row;
    const where = { wave, area, theme };
    const level = (column: 'individual_pct' | 'collective_pct', pick: 'individual' | 'collective', value: number | null) => {
      if (value === null) return;
      out.push({
        table: '2', label: `${area} ${theme} ${column}`, target: value, tolerance: TOLERANCE.level, required: true, area, theme,
        read: (t) => num(find(t.table2, where)?.[column]),
        nudge: (cal, e, d) => (cal.offset[pick] += (d * e) / sensitivity(area, theme, cal)[pick]),
      });
    };
    level('individual_pct', 'individual', row.individual_pct);
    level('collective_pct', 'collective', row.collective_pct);
    if (row.willing_pct !== null) {
      out.push({
        table: '2', label: `${area} ${theme} willing_pct`, target: row.willing_pct, tolerance: TOLERANCE.level, required: true, area, theme,
        read: (t) => num(find(t.table2, where)?.willing_pct),
        nudge: (cal, e, d) => (cal.time.willing_time! += (d * e) / sensitivity(area, theme, cal).time.willing_time!),
      });
    }
  }
  // Barnet's time items are quoted in the text, per theme.
  for (const [id, item] of [['barnet-current-time', 'current_time'], ['barnet-more-time', 'more_time']] as const) {
    for (const v of published.claims.find((c) => c.id === id)?.values ?? []) {
      const area: Area = 'Barnet';
      const theme = v.label as Theme;
      out.push({
        table: 'text', label: `${area} ${theme} ${item}`, target: v.value, tolerance: TOLERANCE.level, required: true, area, theme,
        read: (t) => num(find(t.timeItems, { wave, area, theme, item })?.pct),
        nudge: (cal, e, d) => (cal.time[item]! += (d * e) / sensitivity(area, theme, cal).time[item]!),
      });
    }
  }
  const seen = new Set<string>();
  for (const c of published.correlations.entries) {
    const { area, theme } = c;
    const pick = c.table === 3 ? 'individual' : 'collective';
    // Bristol's community-safety response item is unlabelled in Table 3 and "crime & ASB" in Table 4: one question.
    const items = [c.item, ...(SAME_ITEM[c.item] !== undefined ? [SAME_ITEM[c.item]!] : [])];
    const item = items.find((i) => modelKey(c.predictor, i) in sensitivity(area, theme).rho[pick]) ?? c.item;
    const key = modelKey(c.predictor, item);
    seen.add(`${c.table}|${area}|${theme}|${key}`);
    out.push({
      table: String(c.table) as '3' | '4', label: `${area} ${theme} ${key}`, target: c.target_r, tolerance: TOLERANCE.r, area, theme,
      required: (c.star_check === 'consistent' || c.star_check === 'borderline') && !c.suspect,
      read: (t) => num(find(c.table === 3 ? t.table3 : t.table4, { wave, area, theme, predictor: c.predictor, item })?.r),
      nudge: (cal, e, d) => {
        const next = cal.rho[pick][key]! + (d * e) / sensitivity(area, theme, cal).rho[pick][key]!;
        cal.rho[pick][key] = Math.max(-0.98, Math.min(0.98, next));
      },
    });
  }
  // Cells the paper does not print but the model asks (Barnet wellbeing, people needing help, Table 4): aim at the assumed value.
  for (const area of AREAS) {
    for (const [theme, t] of Object.entries(TARGETS[area]!) as [Theme, NonNullable<NonNullable<(typeof TARGETS)[Area]>[Theme]>][]) {
      for (const [key, r] of Object.entries(t.r)) {
        for (const [table, pick] of [['3', 'individual'], ['4', 'collective']] as const) {
          if (seen.has(`${table}|${area}|${theme}|${key}`)) continue;
          const [field, ...sub] = key.split('/');
          const predictor = field === 'age_band' ? 'age' : field!;
          out.push({
            table, label: `${area} ${theme} ${key} (not printed)`, target: r[pick], tolerance: TOLERANCE.r, required: false, area, theme,
            read: (x) => num(find(table === '3' ? x.table3 : x.table4, { wave, area, theme, predictor, item: sub.join('/') })?.r),
            nudge: (cal, e, d) => (cal.rho[pick][key] = cal.rho[pick][key]! + (d * e) / sensitivity(area, theme, cal).rho[pick][key]!),
          });
        }
      }
    }
  }
  // Table 5: one model shift per area, theme, outcome and nudge group; Barnet's two item versions share it, so it aims at
  // their mean, and each version's answer shift (below) aims at that version's distance from the mean.
  const groups = new Map<string, Published['table5']['entries']>();
  for (const e of published.table5.entries) {
    if (e.suspect) continue;
    const k = `${e.area}|${e.theme}|${e.outcome}|${e.term}`;
    groups.set(k, [...(groups.get(k) ?? []), e]);
  }
  const groupOf: Record<string, NudgeGroup> = { nudge_a: 'A', nudge_b: 'B', both: 'both' };
  for (const list of groups.values()) {
    const { area, theme, outcome, term } = list[0]!;
    const group = groupOf[term]!;
    const level: Target = {
      table: '5', label: `${area} ${theme} ${outcome} ${term}`, target: list.reduce((s, e) => s + e.coef, 0) / list.length,
      tolerance: TOLERANCE.coef, required: true, area, theme, nudgeTerm: { outcome, term }, entries: list.map((e) => ({ item: e.item, coef: e.coef })),
      read: (t) => {
        const got = list.map((e) => num(find(t.table5, { wave, area, theme, item: e.item, outcome, term })?.coef));
        return got.some((g) => g === null) ? null : got.reduce((sum: number, g) => sum + g!, 0) / got.length;
      },
      // The offset takes back a quarter of the move (each nudge group is about a quarter of the panel), so the
      // theme's Table 2 level stays put: otherwise a level near its bound blocks every move of the shift.
      nudge: (cal, e, d) => {
        const delta = (d * e) / sensitivity(area, theme, cal)[outcome];
        cal.nudge[outcome][group] += delta;
        cal.offset[outcome] -= delta / 4;
      },
    };
    out.push(level);
    // Where the theme's item versions each have an answer shift, each version's distance from the shared level
    // drives its own shift (the level is the nudge shift's; the shared target above counts the entries).
    const versions = TARGETS[area]?.[theme]?.versions;
    if (!versions || outcome !== 'collective') continue;
    for (const e of list) {
      if (!versions.items.includes(e.item)) continue;
      out.push({
        level,
        table: '5', label: `${area} ${theme} ${outcome} ${term} (${e.item} minus level)`, target: e.coef - level.target, tolerance: TOLERANCE.coef,
        required: false, area, theme,
        read: (t) => {
          const [entry, mean] = [num(find(t.table5, { wave, area, theme, item: e.item, outcome, term })?.coef), level.read(t)];
          return entry === null || mean === null ? null : entry - mean;
        },
        nudge: (cal, err, d) => {
          const s = ((cal.answers ??= {})[e.item] ??= { A: 0, B: 0, both: 0 });
          const next = s[group] + (d * err) / sensitivity(area, theme, cal).versions![e.item]!;
          s[group] = Math.max(-ANSWER_SHIFT.max, Math.min(ANSWER_SHIFT.max, next));
        },
      });
    }
  }
  return out;
}

/** How a calibration run ended. */
export interface Outcome {
  trials: number;
  /** Required cells out of bounds (each Table 5 entry counted on its own). */
  total: number;
  /** Sum over all targets of (error / tolerance)², lighter for cells not required. */
  loss: number;
}

/** Cells out of bounds for one trial; each Table 5 entry of Barnet's two item versions counts on its own. */
export function misses(targets: readonly Target[], tables: AnalysedTables, isException: (t: Target) => boolean = () => false): { target: Target; got: number | null }[] {
  const wave = String(CALIBRATION_WAVE);
  const out: { target: Target; got: number | null }[] = [];
  for (const t of targets) {
    if (!t.required || isException(t)) continue;
    if (t.entries) {
      for (const e of t.entries) {
        const got = num(find(tables.table5, { wave, area: t.area, theme: t.theme, item: e.item, ...t.nudgeTerm! })?.coef);
        if (got === null || Math.abs(got - e.coef) > t.tolerance) out.push({ target: { ...t, label: `${t.label}${e.item ? ` (${e.item})` : ''}`, target: e.coef }, got });
      }
      continue;
    }
    const got = t.read(tables);
    if (got === null || Math.abs(got - t.target) > t.tolerance) out.push({ target: t, got });
  }
  return out;
}

/** target − realised for each published entry a shared Table 5 target stands for. */
function entryErrors(t: Target, tables: AnalysedTables): number[] {
  const wave = String(CALIBRATION_WAVE);
  return t.entries!.map((e) => {
    const got = num(find(tables.table5, { wave, area: t.area, theme: t.theme, item: e.item, ...t.nudgeTerm! })?.coef);
    return got === null ? 0 : e.coef - got;
  });
}

export interface CalibrateOptions {
  seed: number;
  /** Phase 1: damped fixed-point steps. */
  fixedPointIterations: number;
  damping: number;
  /** Phase 2: local-search trials (stops early once every required cell is in bounds). */
  searchIterations: number;
  /** Cells known to be out of reach (skipped when counting misses, still aimed at). */
  isException?: (t: Target) => boolean;
  log?: (line: string) => void;
}

/** Wave 2013 under trial values, generated in memory and analysed by the pipeline's steps. */
export async function trialTables(cal: CalibrationFile, seed: number, areas: readonly Area[] = AREAS): Promise<AnalysedTables> {
  const exports = areas.map((area) =>
    artifact(exportPath(area, CALIBRATION_WAVE), [...exportChunks(area, CALIBRATION_WAVE, { seed, calibration: cal })].join('')),
  );
  return analyse(exports, codebookFiles().map((f) => artifact(f.path, f.content)));
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
function rounded(cal: ThemeCalibration): ThemeCalibration {
  const map = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, round(v)]));
  return {
    offset: { individual: round(cal.offset.individual), collective: round(cal.offset.collective) },
    time: map(cal.time),
    rho: { individual: map(cal.rho.individual), collective: map(cal.rho.collective) },
    nudge: { individual: map(cal.nudge.individual) as Record<NudgeGroup, number>, collective: map(cal.nudge.collective) as Record<NudgeGroup, number> },
    ...(cal.answers
      ? { answers: Object.fromEntries(Object.entries(cal.answers).map(([item, s]) => [item, map(s) as Record<NudgeGroup, number>])) }
      : {}),
  };
}

export const ABOUT =
  'Model values tuned by `npm run calibrate` (tools/synth/calibrate.ts) so that wave 2013 drawn with this seed, run through ' +
  'clean, validate, index, correlate and nudge-regress, reproduces the published Tables 2-5. Common random numbers (same seed, ' +
  'same draws in every trial); damped fixed-point steps from the first-order values of model.ts, then a seeded local search per ' +
  'area and theme. `iterations` counts the trials. Latent units throughout; see ThemeCalibration in model.ts.';

/** Trials without a new best after which a block's search hops away from its best (phase 2). */
const STALL = 150;

interface BlockState {
  cal: ThemeCalibration;
  primary: number;
  misses: number;
  loss: number;
  /** target − realised, per target of the block, from the trial that produced `cal`. */
  errors: number[];
}

/**
 * Which of two trials of a block is better: fewer levels and correlations out of bounds first (each has a
 * value of its own to move), then fewer Table 5 entries (a nudge coefficient jumps by a point or more when one
 * joiner crosses the threshold), then the smaller squared error (answer shifts included, see ANSWER_SHIFT).
 */
const better = (a: Score, b: Score) =>
  a.primary < b.primary || (a.primary === b.primary && (a.misses < b.misses || (a.misses === b.misses && a.loss < b.loss - 1e-12)));

interface Score {
  /** Required cells out of bounds outside Table 5. */
  primary: number;
  misses: number;
  loss: number;
}

/**
 * Runs the calibration and returns the best values found. Each area and theme is a block of its own: its
 * values move only its own statistics (predictor answers and missingness never depend on them), so one
 * trial of all areas tests a proposal for every block at once and each block keeps or rejects its own.
 *
 * Phase 1, fixed point: every value takes a damped step toward its target. It gets most cells in bounds
 * but then stalls: near the threshold of a low base rate, one respondent crossing moves a collective
 * correlation by about 0.01 and a nudge coefficient by over a point, so the realised statistics are a
 * rugged function of the values. Phase 2, local search from each block's best trial: per block, a proposal
 * (one value moved by up to a tolerance, a small jitter of all, an occasional long jump, a damped step on
 * all targets, a step of random length on some of the cells still out, or, for an item version's Table 5
 * entry out of bounds, its answer shift aimed at the whole error, which it can meet smoothly since it flips
 * no joiner) replaces the block's current trial when it is `better`, and its best when better than that.
 * A block that finds no new best in STALL trials hops: a long jump from its best becomes its current trial.
 * Areas whose blocks are all in bounds drop out, so late trials generate only the areas still open.
 * Proposals draw from a seeded stream: the run is deterministic.
 */
export async function calibrate(published: Published, options: CalibrateOptions): Promise<{ file: CalibrationFile; outcome: Outcome }> {
  const targets = targetsOf(published);
  const blockKeys = [...new Set(targets.map((t) => `${t.area}|${t.theme}`))];
  const members = new Map(blockKeys.map((k) => [k, targets.flatMap((t, i) => (`${t.area}|${t.theme}` === k ? [i] : []))]));
  const isException = options.isException ?? (() => false);
  const rng = stream(options.seed, 'calibrate');

  const assemble = (values: Map<string, ThemeCalibration>, iterations: number): CalibrationFile => {
    const areas: CalibrationFile['areas'] = {};
    for (const area of AREAS) {
      areas[area] = {};
      for (const theme of Object.keys(TARGETS[area]!) as Theme[]) areas[area]![theme] = rounded(values.get(`${area}|${theme}`) ?? firstOrder(area, theme));
    }
    return { about: ABOUT, seed: options.seed, wave: CALIBRATION_WAVE, command: 'npm run calibrate', iterations, areas };
  };
  /** Scores every block of one trial. */
  const score = async (file: CalibrationFile, areas: readonly Area[] = AREAS): Promise<Map<string, Omit<BlockState, 'cal'>>> => {
    const tables = await trialTables(file, options.seed, areas);
    const missCount = new Map<string, number>();
    const primaryCount = new Map<string, number>();
    for (const m of misses(targets, tables, isException)) {
      const k = `${m.target.area}|${m.target.theme}`;
      missCount.set(k, (missCount.get(k) ?? 0) + 1);
      if (m.target.table !== '5') primaryCount.set(k, (primaryCount.get(k) ?? 0) + 1);
    }
    const out = new Map<string, Omit<BlockState, 'cal'>>();
    for (const [k, idx] of members) {
      if (!areas.includes(k.split('|')[0] as Area)) continue;
      let loss = 0;
      const errors = idx.map((i) => {
        const t = targets[i]!;
        const got = t.read(tables);
        const e = got === null ? 0 : t.target - got;
        // A shared Table 5 value is judged by each published entry it stands for (Barnet's item versions differ).
        const parts = t.entries ? entryErrors(t, tables) : [e];
        for (const part of parts) loss += (part / t.tolerance) ** 2 * (t.required ? 1 : 0.25);
        return e;
      });
      const [area, theme] = k.split('|') as [Area, Theme];
      for (const shifts of Object.values(file.areas[area]?.[theme]?.answers ?? {})) {
        for (const s of Object.values(shifts)) loss += (s / ANSWER_SHIFT.scale) ** 2 / 4;
      }
      out.set(k, { primary: primaryCount.get(k) ?? 0, misses: missCount.get(k) ?? 0, loss, errors });
    }
    return out;
  };
  /** A proposal: each target's driving value moves as if its error were `amount(i, error)` (target units). */
  const step = (k: string, from: BlockState, amount: (i: number, e: number) => number): ThemeCalibration => {
    const cal = structuredClone(from.cal);
    members.get(k)!.forEach((i, j) => {
      const t = targets[i]!;
      const a = amount(i, from.errors[j]!);
      if (a !== 0) t.nudge(cal, a, 1, t.area, t.theme);
    });
    return rounded(cal);
  };
  const report = (it: number, state: Map<string, BlockState>, phase: string) => {
    const total = [...state.values()].reduce((s, b) => s + b.misses, 0);
    const loss = [...state.values()].reduce((s, b) => s + b.loss, 0);
    options.log?.(`${phase} ${it}: ${total} required cells out of bounds, loss ${loss.toFixed(1)}`);
    return total;
  };

  // Phase 1: fixed point, keeping each block's best trial.
  let values = new Map(blockKeys.map((k) => { const [area, theme] = k.split('|') as [Area, Theme]; return [k, rounded(firstOrder(area, theme))]; }));
  const best = new Map<string, BlockState>();
  let iterations = 0;
  for (let it = 0; it < options.fixedPointIterations; it++, iterations++) {
    const scored = await score(assemble(values, iterations));
    const current = new Map(blockKeys.map((k) => [k, { cal: values.get(k)!, ...scored.get(k)! }]));
    for (const [k, b] of current) if (!best.has(k) || better(b, best.get(k)!)) best.set(k, b);
    report(it, current, 'fixed point');
    values = new Map(blockKeys.map((k) => [k, step(k, current.get(k)!, (_, e) => options.damping * e)]));
  }
  // Phase 2: local search per block from the best values so far. Each block searches from its `current` trial;
  // after STALL trials without a new best, it hops: a long jump from its best is taken as current, better or not.
  const current = new Map(best);
  const stalled = new Map(blockKeys.map((k) => [k, 0]));
  for (let it = 0; it < options.searchIterations; it++, iterations++) {
    const total = report(it, best, 'search');
    if (total === 0) break;
    // Once an area's blocks are all in bounds it is left alone: trials then generate only the areas still out.
    const open = AREAS.filter((a) => blockKeys.some((k) => k.startsWith(`${a}|`) && best.get(k)!.misses > 0));
    const proposals = new Map<string, ThemeCalibration>();
    const hops = new Set<string>();
    for (const k of blockKeys) {
      if (!open.includes(k.split('|')[0] as Area)) {
        proposals.set(k, best.get(k)!.cal);
        continue;
      }
      if (stalled.get(k)! >= STALL) {
        const scale = 0.5 + rng.uniform();
        proposals.set(k, step(k, best.get(k)!, (i) => targets[i]!.tolerance * scale * (2 * rng.uniform() - 1)));
        hops.add(k);
        continue;
      }
      const b = current.get(k)!;
      const idx = members.get(k)!;
      const out = idx.flatMap((i, j) => (targets[i]!.required && Math.abs(b.errors[j]!) > targets[i]!.tolerance ? [i] : []));
      // An item version's entry out of bounds (its error: the level's plus its distance's) puts its own value
      // and the shared level out too.
      const entryOut = new Map<number, number>();
      idx.forEach((i, j) => {
        const level = targets[i]!.level;
        if (!level) return;
        const li = targets.indexOf(level);
        const e = b.errors[idx.indexOf(li)]! + b.errors[j]!;
        if (Math.abs(e) > level.tolerance) {
          out.push(...[li, i].filter((x) => !out.includes(x)));
          entryOut.set(i, e);
        }
      });
      const u = rng.uniform();
      if (entryOut.size && rng.uniform() < 0.2) {
        // An answer shift flips no joiner, so it moves its version's entry smoothly: aim it at the whole entry error.
        const [i, e] = [...entryOut][Math.floor(rng.uniform() * entryOut.size)]!;
        const a = (0.5 + rng.uniform()) * e;
        proposals.set(k, step(k, b, (m) => (m === i ? a : 0)));
      } else if (u < 0.1) {
        // A long jump: every value moved by up to one and a half tolerances, to leave a local optimum.
        const scale = 0.5 + rng.uniform();
        proposals.set(k, step(k, b, (i) => targets[i]!.tolerance * scale * (2 * rng.uniform() - 1)));
      } else if (u < 0.5) {
        // One value, moved by up to a tolerance's worth: flips a respondent or two at a threshold.
        const i = idx[Math.floor(rng.uniform() * idx.length)]!;
        const a = targets[i]!.tolerance * (2 * rng.uniform() - 1);
        proposals.set(k, step(k, b, (m) => (m === i ? a : 0)));
      } else if (u < 0.7) {
        // Every value jittered a little: reshuffles who sits at the thresholds.
        const scale = 0.05 + 0.3 * rng.uniform();
        proposals.set(k, step(k, b, (i) => targets[i]!.tolerance * scale * (2 * rng.uniform() - 1)));
      } else if (u < 0.85 || out.length === 0) {
        const d = 0.1 + 0.5 * rng.uniform();
        proposals.set(k, step(k, b, (_, e) => d * e));
      } else {
        const chosen = new Set(out.filter(() => rng.uniform() < 0.5));
        if (chosen.size === 0) chosen.add(out[Math.floor(rng.uniform() * out.length)]!);
        // A version's value moves with the shared level: together they can reach both entries of the pair.
        for (const i of [...chosen]) if (targets[i]!.level) chosen.add(targets.indexOf(targets[i]!.level!));
        proposals.set(k, step(k, b, (i, e) => (chosen.has(i) ? (0.3 + 1.2 * rng.uniform()) * e : 0)));
      }
    }
    const scored = await score(assemble(proposals, iterations), open);
    for (const k of blockKeys) {
      const s = scored.get(k);
      if (!s) continue;
      const trial = { cal: proposals.get(k)!, ...s };
      if (hops.has(k) || better(s, current.get(k)!)) current.set(k, trial);
      if (better(s, best.get(k)!)) {
        best.set(k, trial);
        stalled.set(k, 0);
      } else stalled.set(k, hops.has(k) ? 0 : stalled.get(k)! + 1);
    }
  }
  const final = new Map([...best].map(([k, b]) => [k, b.cal]));
  const file = assemble(final, iterations);
  const total = [...best.values()].reduce((s, b) => s + b.misses, 0);
  return { file, outcome: { trials: iterations, total, loss: [...best.values()].reduce((s, b) => s + b.loss, 0) } };
}
