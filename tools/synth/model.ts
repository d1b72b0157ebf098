/**
 * The latent model behind the synthetic replica (a Gaussian latent-factor model, thresholded to answers).
 *
 * Per respondent: standard-normal latents for gender, age and ethnicity, one per attitude predictor
 * (conditions, satisfaction, self-efficacy, and each sub-item), and per theme an individual propensity I
 * and a collective propensity C:
 *
 *   I = Σ a_k z_k + nudge_I + s_I (√ρs G + √(1-ρs) u_I)       C = Σ b_k z_k + nudge_C + s_C (…)
 *
 * a_k and b_k are the paper's correlations (Tables 3, 4) divided by how much thresholding shrinks a
 * correlation (items → index, latent → join yes/no, latent → ordinal predictor). Activity items load on I,
 * joining in groups is C above a threshold, time willing loads on C. Thresholds reproduce Table 2's levels;
 * nudge shifts reproduce Table 5's coefficients through the slope of the normal CDF at the threshold.
 * Wave 2014 keeps each stayer's latents with correlation `persistence` and moves levels by `change2014`.
 *
 * Those formulas give the first-order values (`firstOrder`). The shipped replica uses calibration.json
 * instead: the same kinds of values, tuned by calibrate.ts until the seeded sample reproduces the tables.
 * A theme may give its predictors a shared attitude factor (`attitude` in parameters.ts); the loadings are
 * then solved from the latent correlations and the predictors' own correlations.
 *
 * Answer shifts (`versions` in parameters.ts, `answers` in calibration.json; Barnet community safety only):
 * Table 5 fits that theme twice, with the crime and with the anti-social behaviour sub-items as controls.
 * The survey was answered after the nudge letters went out, so a nudge group may answer the two versions'
 * self-efficacy questions a little differently: per nudge group and version, a small shift is added to the
 * answer's latent before it is cut into a code. C and I do not see it, so it changes how much of the nudge
 * each version's controls take up, and with it that version's coefficient, while nudge_C sets the level of
 * both. Without it the two versions would sit as far apart as the seed's chance imbalance of the controls
 * puts them (several points), not the 1.1-1.2 points Table 5 prints. The shipped shifts are under 0.2 latent
 * units (a fifth of a standard deviation).
 */
import cdf from '@stdlib/stats-base-dists-normal-cdf';
import quantile from '@stdlib/stats-base-dists-normal-quantile';
import { Matrix, solve } from 'ml-matrix';
import { designOf, predictorVariables, targetsOf, type AreaDesign } from './design.js';
import type { Area, Code, Nudge, Theme } from '../../lib/survey/vocabulary.js';
import { MODEL, WAVE_2014, type ThemeTargets } from './parameters.js';
import type { Stream } from './random.js';
import shipped from './calibration.json' with { type: 'json' };

/**
 * The tunable values of one theme, in latent units. Without calibration they follow from the targets by
 * first-order formulas (`firstOrder`); `npm run calibrate` tunes them until the seeded wave-2013 sample
 * reproduces the published tables, and stores them in calibration.json, which the generator reads.
 */
export interface ThemeCalibration {
  /** Added to the individual and collective propensities (moves Table 2's levels). */
  offset: { individual: number; collective: number };
  /** Added to each time item's latent, by field (`willing_time`, `current_time`, `more_time`). */
  time: Record<string, number>;
  /**
   * Latent correlation of each propensity with each predictor (key `field`, `field/sub-item`, or a
   * demographic). The loadings are solved from these and the predictors' own correlations.
   */
  rho: { individual: Record<string, number>; collective: Record<string, number> };
  /** Shift of each nudge group against "none", per propensity. */
  nudge: { individual: Record<NudgeGroup, number>; collective: Record<NudgeGroup, number> };
  /**
   * Themes whose Table 5 is fitted once per sub-item version (`versions` in parameters.ts) only: by version
   * (sub-item) and nudge group, the shift of that version's answers to the listed questions, in latent units.
   * It moves the answers only, not the propensities, so it moves that version's Table 5 coefficients.
   */
  answers?: Record<string, Record<NudgeGroup, number>>;
}

export type NudgeGroup = 'A' | 'B' | 'both';
export const NUDGE_GROUPS: readonly NudgeGroup[] = ['A', 'B', 'both'];

/** calibration.json: how it was made, and the tuned values by area and theme. */
export interface CalibrationFile {
  about: string;
  seed: number;
  wave: number;
  command: string;
  iterations: number;
  areas: Partial<Record<Area, Partial<Record<Theme, ThemeCalibration>>>>;
}

/** The calibration shipped with the generator (what `npm run synth` uses). */
export const SHIPPED_CALIBRATION = shipped as unknown as CalibrationFile;

const pdf = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
const upper = (p: number) => quantile(1 - p, 0, 1);

/** Cut points on a standard normal giving these shares of codes (lowest code first). */
function cutPoints(shares: readonly number[]): number[] {
  const cuts: number[] = [];
  let cum = 0;
  for (let k = 0; k < shares.length - 1; k++) {
    cum += shares[k]!;
    cuts.push(quantile(cum, 0, 1));
  }
  return cuts;
}

/** corr(ordinal code, its latent) for codes cut at these points: Σ φ(τ_k) / sd(code). */
function ordinalAttenuation(shares: readonly number[]): number {
  const cuts = cutPoints(shares);
  const mean = shares.reduce((s, p, k) => s + p * k, 0);
  const variance = shares.reduce((s, p, k) => s + p * (k - mean) ** 2, 0);
  return cuts.reduce((s, t) => s + pdf(t), 0) / Math.sqrt(variance);
}

function codeFrom(z: number, cuts: readonly number[], lowest: number): number {
  let code = lowest;
  for (const c of cuts) if (z > c) code++;
  return code;
}

/** A term of a propensity: a predictor (possibly sharing a theme's attitude factor) or a demographic latent. */
interface Loading {
  latent: number;
  weight: number;
  /** Loading on the theme's attitude factor (0: none); the answer's latent is g F + √(1-g²) own. */
  factor: number;
}

interface AnswerSlot {
  variable: string;
  kind: 'activity' | 'join' | 'time' | 'predictor' | 'demographic' | 'nudge';
}

/** How far one unit of each tunable value moves its statistic, to first order (calibrate's step sizes). */
export interface Sensitivity {
  /** Points of Table 2 per latent unit. */
  individual: number;
  collective: number;
  time: Record<string, number>;
  /** Pearson r per unit of latent correlation, by predictor key. */
  rho: { individual: Record<string, number>; collective: Record<string, number> };
  /**
   * Themes with `versions` only, by version: points of that version's collective coefficient per latent unit
   * of its answer shift (its controls take up part of the nudge: Δcoef ≈ −β Δcode, β ≈ 100 r sd(join) / sd(code)).
   */
  versions?: Record<string, number>;
}

interface CompiledTheme {
  theme: Theme;
  items: { tau: number; tauOften: number; slot: number }[];
  /** `field` is the question a sub-item belongs to (`satisfaction_response` of `satisfaction_response/crime`). */
  predictors: { latent: number; factor: number; cuts: number[]; slot: number; field: string; shift: Record<Nudge, number> }[];
  /** The theme's attitude factor latent (-1: predictors independent). */
  factorLatent: number;
  a: Loading[];
  b: Loading[];
  /** Share of each propensity's variance the loadings explain (after any scaling down). */
  explainedI: number;
  explainedC: number;
  residualI: number;
  residualC: number;
  latentUI: number;
  latentUC: number;
  tauC: number;
  tauCOften: number;
  joinSlot: number;
  times: { latent: number; cuts: number[]; slot: number; offset: number }[];
  offsetI: number;
  offsetC: number;
  nudgeI: Record<Nudge, number>;
  nudgeC: Record<Nudge, number>;
  changeI: number;
  changeC: number;
  sensitivity: Sensitivity;
}

export interface CompiledArea {
  area: Area;
  design: AreaDesign;
  /** Canonical variables in answer order; answers are arrays aligned with this. */
  slots: AnswerSlot[];
  latents: number;
  themes: CompiledTheme[];
  demographics: { slot: number; latent: number; cuts: number[]; lowest: number }[];
  nudgeSlot: number;
}

/** A panel member: persistent latents and nudge group. */
export interface Person {
  latents: Float64Array;
  nudge: Nudge;
}

const NUDGE_ORDER: readonly Nudge[] = ['none', 'A', 'B', 'both'];
const LATENT_GENDER = 0;
const LATENT_AGE = 1;
const LATENT_ETHNICITY = 2;
const LATENT_SHARED = 3;
const DEMOGRAPHIC_LATENT: Record<string, number> = { gender: LATENT_GENDER, age_band: LATENT_AGE, ethnicity: LATENT_ETHNICITY };

/** Index (0-100) items: how strongly the share of positive items tracks I (first terms of the tetrachoric series). */
function indexAttenuation(taus: number[], lambda: number): number {
  const rho = lambda * lambda;
  let cov = 0;
  let variance = 0;
  taus.forEach((tj, j) => {
    const pj = 1 - cdf(tj, 0, 1);
    cov += lambda * pdf(tj);
    variance += pj * (1 - pj);
    taus.forEach((tk, k) => {
      if (j === k) return;
      variance += pdf(tj) * pdf(tk) * (rho + (rho * rho * tj * tk) / 2 + (rho ** 3 * (tj * tj - 1) * (tk * tk - 1)) / 6);
    });
  });
  return cov / Math.sqrt(variance);
}

/**
 * Loadings from latent correlations: w = R⁻¹ρ, where R holds the terms' own correlations (g_j g_k through
 * the attitude factor). Where they would explain more than MODEL.maxExplained, ρ is scaled down.
 */
function solveLoadings(terms: { key: string; latent: number; factor: number }[], rho: Record<string, number>): { loadings: Loading[]; explained: number } {
  const r = terms.map((t) => rho[t.key] ?? 0);
  const R = new Matrix(terms.map((tj, j) => terms.map((tk, k) => (j === k ? 1 : tj.factor * tk.factor))));
  let w = solve(R, Matrix.columnVector(r)).getColumn(0);
  let explained = w.reduce((s, x, j) => s + x * r[j]!, 0);
  if (explained > MODEL.maxExplained) {
    const scale = Math.sqrt(MODEL.maxExplained / explained);
    w = w.map((x) => x * scale);
    explained = MODEL.maxExplained;
  }
  return { loadings: terms.map((t, j) => ({ latent: t.latent, weight: w[j]!, factor: t.factor })), explained };
}

/** What an area's design asks, in the order the model lays it out (shared by compileArea and firstOrder). */
function themePlan(area: Area, theme: Theme) {
  const design = designOf(area);
  const t = design.themes.find((x) => x.theme === theme)!;
  const targets: ThemeTargets = targetsOf(area, theme);
  const p = targets.individual / 100;
  const spread = targets.items.map((_, j, all) => (all.length === 1 ? 0 : MODEL.itemSpread * (2 * j / (all.length - 1) - 1)));
  const taus = targets.items.map((_, j) => {
    const pj = Math.min(0.97, Math.max(0.03, p + spread[j]!));
    return { tau: upper(pj), tauOften: upper(pj * MODEL.itemOftenShare) };
  });
  const c = targets.collective / 100;
  const tauC = upper(c);
  const asked: [string, number | undefined][] =
    t.time === 'willing' ? [['willing_time', targets.willing]] : [['current_time', targets.current], ['more_time', targets.more]];
  const timeFields = asked.map(([f, pct]): [string, number] => [f, (pct ?? 30) / 100]);
  const attIndex = indexAttenuation(taus.map((i) => i.tau), MODEL.itemLoading);
  const attJoin = pdf(tauC) / Math.sqrt(c * (1 - c));
  const predictorKeys = predictorVariables(t).map((v) => v.slice(theme.length + 1));
  const attOf = (key: string): number => {
    if (key in DEMOGRAPHIC_LATENT) {
      const shares =
        key === 'gender' ? [1 - MODEL.maleShare, MODEL.maleShare] : key === 'age_band' ? MODEL.ageShares : [1 - (MODEL.minorityShare[area] ?? 0.1), MODEL.minorityShare[area] ?? 0.1];
      return ordinalAttenuation(shares);
    }
    return ordinalAttenuation(sharesOf(key));
  };
  const keys = [...predictorKeys, ...design.demographics];
  const slopeI = MODEL.itemLoading * (taus.reduce((s, i) => s + pdf(i.tau), 0) / taus.length);
  const slopeC = pdf(tauC);
  const sensitivity: Sensitivity = {
    individual: 100 * slopeI,
    collective: 100 * slopeC,
    time: Object.fromEntries(timeFields.map(([f, w]) => [f, 100 * MODEL.timeLoading * pdf(upper(w))])),
    rho: {
      individual: Object.fromEntries(keys.map((k) => [k, attIndex * attOf(k)])),
      collective: Object.fromEntries(keys.map((k) => [k, attJoin * attOf(k)])),
    },
  };
  const versions = targets.versions;
  if (versions && design.nudge) {
    const joinSd = Math.sqrt(c * (1 - c));
    const gain = (item: string) =>
      -versions.fields.reduce((sum, field) => sum + 100 * joinSd * attOf(`${field}/${item}`) * (targets.r[`${field}/${item}`]?.collective ?? 0), 0);
    // A near-zero first-order gain would make calibration's steps explode; a point per unit is a safe floor.
    const floored = (g: number) => (Math.abs(g) < 1 ? (g < 0 ? -1 : 1) : g);
    sensitivity.versions = Object.fromEntries(versions.items.map((item) => [item, floored(gain(item))]));
  }
  return { design, t, targets, taus, c, tauC, timeFields, predictorKeys, slopeI, slopeC, sensitivity };
}

function sharesOf(key: string): readonly number[] {
  const field = key.split('/')[0]!;
  return field === 'conditions' ? MODEL.conditionsShares : field === 'self_efficacy' ? MODEL.efficacyShares : MODEL.satisfactionShares;
}

/**
 * The uncalibrated values: latent correlations are the published r divided by how much cutting latents into
 * answers shrinks them; nudge shifts turn Table 5's differences into latent units through the slope of the
 * normal CDF at the threshold, centred so the panel's overall level stays on Table 2.
 */
export function firstOrder(area: Area, theme: Theme): ThemeCalibration {
  const plan = themePlan(area, theme);
  const rho = (pick: 'individual' | 'collective') =>
    Object.fromEntries(Object.entries(plan.sensitivity.rho[pick]).map(([k, att]) => [k, (plan.targets.r[k]?.[pick] ?? 0) / att]));
  const shifts = (pick: 'individual' | 'collective', slope: number) =>
    Object.fromEntries(NUDGE_GROUPS.map((g) => [g, (plan.targets.nudge?.[g][pick] ?? 0) / 100 / slope])) as Record<NudgeGroup, number>;
  const nudge = { individual: shifts('individual', plan.slopeI), collective: shifts('collective', plan.slopeC) };
  const centre = (s: Record<NudgeGroup, number>) => (plan.design.nudge ? -(s.A + s.B + s.both) / 4 : 0);
  // Each version takes half the published gap between them (the first down, the second up).
  const v = plan.targets.versions;
  const gain = plan.sensitivity.versions;
  const answers =
    v && gain
      ? Object.fromEntries(
          v.items.map((item, k) => [item, Object.fromEntries(NUDGE_GROUPS.map((g) => [g, ((k === 0 ? -1 : 1) * v.gap[g]) / 2 / gain[item]!]))]),
        )
      : undefined;
  return {
    offset: { individual: centre(nudge.individual), collective: centre(nudge.collective) },
    time: Object.fromEntries(plan.timeFields.map(([f]) => [f, 0])),
    rho: { individual: rho('individual'), collective: rho('collective') },
    nudge,
    ...(answers ? { answers: answers as Record<string, Record<NudgeGroup, number>> } : {}),
  };
}

/** Builds the per-area model once: slots, latent layout, loadings, thresholds. */
export function compileArea(area: Area, calibration: CalibrationFile | null = SHIPPED_CALIBRATION): CompiledArea {
  const design = designOf(area);
  const slots: AnswerSlot[] = [];
  const slot = (variable: string, kind: AnswerSlot['kind']) => slots.push({ variable, kind }) - 1;
  let latents = 4;

  const demographics: CompiledArea['demographics'] = [];
  for (const d of design.demographics) {
    if (d === 'gender') {
      demographics.push({ slot: slot('gender', 'demographic'), latent: LATENT_GENDER, cuts: cutPoints([1 - MODEL.maleShare, MODEL.maleShare]), lowest: 0 });
    } else if (d === 'age_band') {
      demographics.push({ slot: slot('age_band', 'demographic'), latent: LATENT_AGE, cuts: cutPoints(MODEL.ageShares), lowest: 1 });
    } else {
      const m = MODEL.minorityShare[area] ?? 0.1;
      demographics.push({ slot: slot('ethnicity', 'demographic'), latent: LATENT_ETHNICITY, cuts: cutPoints([1 - m, m]), lowest: 0 });
    }
  }
  const nudgeSlot = design.nudge ? slot('nudge', 'nudge') : -1;

  const themes = design.themes.map((t): CompiledTheme => {
    const plan = themePlan(area, t.theme);
    const cal = calibration?.areas[area]?.[t.theme] ?? firstOrder(area, t.theme);
    const items = plan.targets.items.map((item, j) => ({ ...plan.taus[j]!, slot: slot(`${t.theme}/activities/${item}`, 'activity') }));
    const joinSlot = slot(`${t.theme}/join_groups`, 'join');
    const tauCOften = upper(plan.c * plan.targets.collectiveOftenShare);

    const times: CompiledTheme['times'] = [];
    const timeCuts = (w: number) =>
      cutPoints([(1 - w) * MODEL.timeNoneShare, (1 - w) * (1 - MODEL.timeNoneShare), w * (1 - MODEL.timeWeeklyShare), w * MODEL.timeWeeklyShare]);
    for (const [field, w] of plan.timeFields) {
      times.push({ latent: latents++, cuts: timeCuts(w), slot: slot(`${t.theme}/${field}`, 'time'), offset: cal.time[field] ?? 0 });
    }

    const attitude = plan.targets.attitude ?? {};
    const factorLatent = Object.keys(attitude).length ? latents++ : -1;
    const terms: { key: string; latent: number; factor: number }[] = [];
    const predictors: CompiledTheme['predictors'] = [];
    const versions = plan.targets.versions;
    const answerShift = (key: string): Record<Nudge, number> => {
      const [field, item] = key.split('/');
      const asked = versions && design.nudge && versions.fields.includes(field!) && versions.items.includes(item!);
      const s = (asked && cal.answers?.[item!]) || { A: 0, B: 0, both: 0 };
      return { none: 0, A: s.A, B: s.B, both: s.both };
    };
    for (const key of plan.predictorKeys) {
      const latent = latents++;
      const factor = attitude[key] ?? 0;
      predictors.push({ latent, factor, cuts: cutPoints(sharesOf(key)), slot: slot(`${t.theme}/${key}`, 'predictor'), field: key.split('/')[0]!, shift: answerShift(key) });
      terms.push({ key, latent, factor });
    }
    for (const d of design.demographics) terms.push({ key: d, latent: DEMOGRAPHIC_LATENT[d]!, factor: 0 });
    const sa = solveLoadings(terms, cal.rho.individual);
    const sb = solveLoadings(terms, cal.rho.collective);
    const groupShift = (s: Record<NudgeGroup, number>): Record<Nudge, number> => ({ none: 0, A: s.A, B: s.B, both: s.both });

    return {
      theme: t.theme,
      items,
      predictors,
      factorLatent,
      a: sa.loadings,
      b: sb.loadings,
      explainedI: sa.explained,
      explainedC: sb.explained,
      residualI: Math.sqrt(1 - sa.explained),
      residualC: Math.sqrt(1 - sb.explained),
      latentUI: latents++,
      latentUC: latents++,
      tauC: plan.tauC,
      tauCOften,
      joinSlot,
      times,
      offsetI: cal.offset.individual,
      offsetC: cal.offset.collective,
      nudgeI: design.nudge ? groupShift(cal.nudge.individual) : { none: 0, A: 0, B: 0, both: 0 },
      nudgeC: design.nudge ? groupShift(cal.nudge.collective) : { none: 0, A: 0, B: 0, both: 0 },
      changeI: plan.targets.change2014.individual / 100 / plan.slopeI,
      changeC: plan.targets.change2014.collective / 100 / plan.slopeC,
      sensitivity: plan.sensitivity,
    };
  });
  return { area, design, slots, latents, themes, demographics, nudgeSlot };
}

/** Draws a new panel member. */
export function drawPerson(model: CompiledArea, rng: Stream): Person {
  const latents = new Float64Array(model.latents);
  for (let i = 0; i < latents.length; i++) latents[i] = rng.normal();
  const nudge = model.design.nudge ? NUDGE_ORDER[Math.min(3, Math.floor(rng.uniform() * 4))]! : 'none';
  return { latents, nudge };
}

/** The same person a year on: demographics and nudge group kept, everything else persists with correlation ρ. */
export function agePerson(model: CompiledArea, person: Person, rng: Stream): Person {
  const rho = WAVE_2014.persistence;
  const keep = Math.sqrt(1 - rho * rho);
  const latents = new Float64Array(model.latents);
  for (let i = 0; i < latents.length; i++) {
    const fixed = i === LATENT_GENDER || i === LATENT_AGE || i === LATENT_ETHNICITY;
    latents[i] = fixed ? person.latents[i]! : rho * person.latents[i]! + keep * rng.normal();
  }
  return { latents, nudge: person.nudge };
}

export type Answer = Code | Nudge;

/** A person's answers in one wave, aligned with `model.slots`. */
export function answer(model: CompiledArea, person: Person, wave: number, rng: Stream): Answer[] {
  const out: Answer[] = new Array(model.slots.length);
  const z = person.latents;
  const missingAt = (u: number, kind: keyof typeof MODEL.dontKnow, code: number): Code => {
    if (u < MODEL.dontKnow[kind]) return 'dont_know';
    if (u < MODEL.dontKnow[kind] + MODEL.blank[kind]) return null;
    return code;
  };
  const missing = (kind: keyof typeof MODEL.dontKnow, code: number): Code => missingAt(rng.uniform(), kind, code);
  for (const d of model.demographics) out[d.slot] = missing('demographic', codeFrom(z[d.latent]!, d.cuts, d.lowest));
  if (model.nudgeSlot !== -1) out[model.nudgeSlot] = person.nudge;
  const shared = Math.sqrt(MODEL.sharedPropensity);
  const own = Math.sqrt(1 - MODEL.sharedPropensity);
  const rIC = MODEL.individualCollective;
  for (const t of model.themes) {
    const F = t.factorLatent === -1 ? 0 : z[t.factorLatent]!;
    const term = (l: { latent: number; factor: number }) => (l.factor === 0 ? z[l.latent]! : l.factor * F + Math.sqrt(1 - l.factor * l.factor) * z[l.latent]!);
    let I = t.offsetI;
    for (const l of t.a) I += l.weight * term(l);
    let C = t.offsetC;
    for (const l of t.b) C += l.weight * term(l);
    const uI = z[t.latentUI]!;
    const uC = rIC * uI + Math.sqrt(1 - rIC * rIC) * z[t.latentUC]!;
    I += t.residualI * (shared * z[LATENT_SHARED]! + own * uI) + t.nudgeI[person.nudge]! + (wave > 2013 ? t.changeI : 0);
    C += t.residualC * (shared * z[LATENT_SHARED]! + own * uC) + t.nudgeC[person.nudge]! + (wave > 2013 ? t.changeC : 0);

    const lambda = MODEL.itemLoading;
    const noise = Math.sqrt(1 - lambda * lambda);
    for (const item of t.items) {
      const y = lambda * I + noise * rng.normal();
      out[item.slot] = missing('activity', y > item.tauOften ? 1 : y > item.tau ? 2 : 3);
    }
    out[t.joinSlot] = missing('join', C > t.tauCOften ? 1 : C > t.tauC ? 2 : 3);
    const tl = MODEL.timeLoading;
    for (const time of t.times) {
      const w = tl * C + Math.sqrt(1 - tl * tl) * z[time.latent]! + time.offset;
      out[time.slot] = missing('time', codeFrom(w, time.cuts, 1));
    }
    // Not knowing is a trait of the respondent and the question: sub-items of one question mostly share the
    // draw that decides whether they are answered (MODEL.subItemMissingShared), so the rates stay as set.
    let field = '';
    let sharedDraw = 0;
    for (const p of t.predictors) {
      const own = rng.uniform();
      const copy = rng.uniform() < MODEL.subItemMissingShared;
      if (p.field !== field) [field, sharedDraw] = [p.field, own];
      out[p.slot] = missingAt(copy ? sharedDraw : own, 'predictor', codeFrom(term(p) + p.shift[person.nudge]!, p.cuts, 1));
    }
  }
  return out;
}
