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
 */
import cdf from '@stdlib/stats-base-dists-normal-cdf';
import quantile from '@stdlib/stats-base-dists-normal-quantile';
import { designOf, predictorVariables, type AreaDesign } from '../survey/design.js';
import type { Area, Code, Nudge, Theme } from '../survey/vocabulary.js';
import { MODEL, TARGETS, WAVE_2014, type ThemeTargets } from './parameters.js';
import type { Stream } from './random.js';

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

interface Loading {
  latent: number;
  weight: number;
}

interface AnswerSlot {
  variable: string;
  kind: 'activity' | 'join' | 'time' | 'predictor' | 'demographic' | 'nudge';
}

interface CompiledTheme {
  theme: Theme;
  items: { tau: number; tauOften: number; slot: number }[];
  predictors: { latent: number; cuts: number[]; slot: number }[];
  a: Loading[];
  b: Loading[];
  residualI: number;
  residualC: number;
  latentUI: number;
  latentUC: number;
  tauC: number;
  tauCOften: number;
  joinSlot: number;
  times: { latent: number; cuts: number[]; slot: number }[];
  nudgeI: Record<Nudge, number>;
  nudgeC: Record<Nudge, number>;
  changeI: number;
  changeC: number;
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

function scaleLoadings(loadings: Loading[]): { loadings: Loading[]; residual: number } {
  const explained = loadings.reduce((s, l) => s + l.weight * l.weight, 0);
  const scale = explained > MODEL.maxExplained ? Math.sqrt(MODEL.maxExplained / explained) : 1;
  const scaled = loadings.map((l) => ({ latent: l.latent, weight: l.weight * scale }));
  return { loadings: scaled, residual: Math.sqrt(1 - explained * scale * scale) };
}

/** Builds the per-area model once: slots, latent layout, loadings, thresholds. */
export function compileArea(area: Area): CompiledArea {
  const design = designOf(area);
  const slots: AnswerSlot[] = [];
  const slot = (variable: string, kind: AnswerSlot['kind']) => slots.push({ variable, kind }) - 1;
  let latents = 4;

  const demographics: CompiledArea['demographics'] = [];
  const demoAtt: Record<string, number> = {};
  for (const d of design.demographics) {
    if (d === 'gender') {
      const shares = [1 - MODEL.maleShare, MODEL.maleShare];
      demographics.push({ slot: slot('gender', 'demographic'), latent: LATENT_GENDER, cuts: cutPoints(shares), lowest: 0 });
      demoAtt.gender = ordinalAttenuation(shares);
    } else if (d === 'age_band') {
      demographics.push({ slot: slot('age_band', 'demographic'), latent: LATENT_AGE, cuts: cutPoints(MODEL.ageShares), lowest: 1 });
      demoAtt.age_band = ordinalAttenuation(MODEL.ageShares);
    } else {
      const m = MODEL.minorityShare[area] ?? 0.1;
      demographics.push({ slot: slot('ethnicity', 'demographic'), latent: LATENT_ETHNICITY, cuts: cutPoints([1 - m, m]), lowest: 0 });
      demoAtt.ethnicity = ordinalAttenuation([1 - m, m]);
    }
  }
  const nudgeSlot = design.nudge ? slot('nudge', 'nudge') : -1;
  const demoLatent: Record<string, number> = { gender: LATENT_GENDER, age_band: LATENT_AGE, ethnicity: LATENT_ETHNICITY };

  const themes = design.themes.map((t): CompiledTheme => {
    const targets: ThemeTargets = TARGETS[area][t.theme]!;
    const p = targets.individual / 100;
    const spread = targets.items.map((_, j, all) => (all.length === 1 ? 0 : MODEL.itemSpread * (2 * j / (all.length - 1) - 1)));
    const items = targets.items.map((item, j) => {
      const pj = Math.min(0.97, Math.max(0.03, p + spread[j]!));
      return { tau: upper(pj), tauOften: upper(pj * MODEL.itemOftenShare), slot: slot(`${t.theme}/activities/${item}`, 'activity') };
    });
    const joinSlot = slot(`${t.theme}/join_groups`, 'join');
    const c = targets.collective / 100;
    const tauC = upper(c);
    const tauCOften = upper(c * targets.collectiveOftenShare);

    const times: CompiledTheme['times'] = [];
    const timeCuts = (w: number) =>
      cutPoints([(1 - w) * MODEL.timeNoneShare, (1 - w) * (1 - MODEL.timeNoneShare), w * (1 - MODEL.timeWeeklyShare), w * MODEL.timeWeeklyShare]);
    const timeShares: [string, number | undefined][] =
      t.time === 'willing' ? [['willing_time', targets.willing]] : [['current_time', targets.current], ['more_time', targets.more]];
    for (const [field, pct] of timeShares) times.push({ latent: latents++, cuts: timeCuts((pct ?? 30) / 100), slot: slot(`${t.theme}/${field}`, 'time') });

    const attIndex = indexAttenuation(items.map((i) => i.tau), MODEL.itemLoading);
    const attJoin = pdf(tauC) / Math.sqrt(c * (1 - c));
    const a: Loading[] = [];
    const b: Loading[] = [];
    const predictors: CompiledTheme['predictors'] = [];
    for (const variable of predictorVariables(t)) {
      const key = variable.slice(t.theme.length + 1);
      const field = key.split('/')[0]!;
      const shares = field === 'conditions' ? MODEL.conditionsShares : field === 'self_efficacy' ? MODEL.efficacyShares : MODEL.satisfactionShares;
      const latent = latents++;
      predictors.push({ latent, cuts: cutPoints(shares), slot: slot(variable, 'predictor') });
      const r = targets.r[key] ?? { individual: 0, collective: 0 };
      const att = ordinalAttenuation(shares);
      a.push({ latent, weight: r.individual / (attIndex * att) });
      b.push({ latent, weight: r.collective / (attJoin * att) });
    }
    for (const d of design.demographics) {
      const r = targets.r[d] ?? { individual: 0, collective: 0 };
      a.push({ latent: demoLatent[d]!, weight: r.individual / (attIndex * demoAtt[d]!) });
      b.push({ latent: demoLatent[d]!, weight: r.collective / (attJoin * demoAtt[d]!) });
    }
    const sa = scaleLoadings(a);
    const sb = scaleLoadings(b);

    // Table 5 coefficients are differences from "no nudge"; centre them so the panel's overall level stays on Table 2.
    const slopeI = MODEL.itemLoading * (items.reduce((s, i) => s + pdf(i.tau), 0) / items.length);
    const slopeC = pdf(tauC);
    const shift = (pick: 'individual' | 'collective', slope: number): Record<Nudge, number> => {
      const n = targets.nudge;
      const raw = { none: 0, A: (n?.A[pick] ?? 0) / 100 / slope, B: (n?.B[pick] ?? 0) / 100 / slope, both: (n?.both[pick] ?? 0) / 100 / slope };
      const mean = design.nudge ? (raw.A + raw.B + raw.both) / 4 : 0;
      return { none: -mean, A: raw.A - mean, B: raw.B - mean, both: raw.both - mean };
    };
    return {
      theme: t.theme,
      items,
      predictors,
      a: sa.loadings,
      b: sb.loadings,
      residualI: sa.residual,
      residualC: sb.residual,
      latentUI: latents++,
      latentUC: latents++,
      tauC,
      tauCOften,
      joinSlot,
      times,
      nudgeI: shift('individual', slopeI),
      nudgeC: shift('collective', slopeC),
      changeI: targets.change2014.individual / 100 / slopeI,
      changeC: targets.change2014.collective / 100 / slopeC,
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
  const missing = (kind: keyof typeof MODEL.dontKnow, code: number): Code => {
    const u = rng.uniform();
    if (u < MODEL.dontKnow[kind]) return 'dont_know';
    if (u < MODEL.dontKnow[kind] + MODEL.blank[kind]) return null;
    return code;
  };
  for (const d of model.demographics) out[d.slot] = missing('demographic', codeFrom(z[d.latent]!, d.cuts, d.lowest));
  if (model.nudgeSlot !== -1) out[model.nudgeSlot] = person.nudge;
  const shared = Math.sqrt(MODEL.sharedPropensity);
  const own = Math.sqrt(1 - MODEL.sharedPropensity);
  const rIC = MODEL.individualCollective;
  for (const t of model.themes) {
    let I = 0;
    for (const l of t.a) I += l.weight * z[l.latent]!;
    let C = 0;
    for (const l of t.b) C += l.weight * z[l.latent]!;
    const uI = z[t.latentUI]!;
    const uC = rIC * uI + Math.sqrt(1 - rIC * rIC) * z[t.latentUC]!;
    I += t.residualI * (shared * z[LATENT_SHARED]! + own * uI) + t.nudgeI[person.nudge] + (wave > 2013 ? t.changeI : 0);
    C += t.residualC * (shared * z[LATENT_SHARED]! + own * uC) + t.nudgeC[person.nudge] + (wave > 2013 ? t.changeC : 0);

    const lambda = MODEL.itemLoading;
    const noise = Math.sqrt(1 - lambda * lambda);
    for (const item of t.items) {
      const y = lambda * I + noise * rng.normal();
      out[item.slot] = missing('activity', y > item.tauOften ? 1 : y > item.tau ? 2 : 3);
    }
    out[t.joinSlot] = missing('join', C > t.tauCOften ? 1 : C > t.tauC ? 2 : 3);
    const tl = MODEL.timeLoading;
    for (const time of t.times) {
      const w = tl * C + Math.sqrt(1 - tl * tl) * z[time.latent]!;
      out[time.slot] = missing('time', codeFrom(w, time.cuts, 1));
    }
    for (const p of t.predictors) out[p.slot] = missing('predictor', codeFrom(z[p.latent]!, p.cuts, 1));
  }
  return out;
}
