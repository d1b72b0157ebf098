/**
 * Every number the synthetic replica is drawn from, each tied to the table cell it comes from.
 *
 * Targets are the paper's published figures; the model (model.ts) turns them into latent loadings and
 * thresholds with first-order formulas, which land near each target in expectation. `npm run calibrate`
 * then tunes the loadings, offsets and nudge shifts against the seeded sample itself and stores them in
 * calibration.json, which `npm run synth` reads. After changing anything here: `npm run calibrate && npm run synth`.
 */
import type { Area, Theme } from '../../lib/survey/vocabulary.js';

/** The seed of the shipped replica (`npm run synth`). */
export const SEED = 20131101;

/** Targets for one area and theme. Percentages are 0-100; correlations are Pearson r. */
export interface ThemeTargets {
  /** Table 2, "Index of individual co-production (%)": mean share of activity items answered often/sometimes. */
  individual: number;
  /** Table 2, "participation in groups (%)": share answering often/sometimes to joining in groups. */
  collective: number;
  /** Share of group joiners who say "often" (the paper gives 72 of 90 for Bristol environment; elsewhere assumed). */
  collectiveOftenShare: number;
  /** Table 2, "Willing to spend at least a few hrs a month (%)"; absent where the table prints '-'. */
  willing?: number;
  /** Barnet text under Table 2: spend at least a few hours a month now / willing to spend that much MORE. */
  current?: number;
  more?: number;
  /** Activity items asked (3-6), by item ID; wording lives in the layouts. */
  items: readonly string[];
  /** Table 3 (individual index) and Table 4 (collective) correlations, keyed by predictor (`field` or `field/sub-item`) or demographic. */
  r: Record<string, { individual: number; collective: number }>;
  /** Table 5: nudge effects vs no nudge, index on 0-100 and collective x100 (percentage points). */
  nudge?: Record<'A' | 'B' | 'both', { individual: number; collective: number }>;
  /**
   * Loadings of predictors (by key) on a theme-wide attitude factor, making them correlate with each other
   * (g_j g_k); absent: the theme's predictors are independent.
   */
  attitude?: Record<string, number>;
  /**
   * Table 5 fits this theme's models once per sub-item version (`items`: the first version's controls, then
   * the second's). The survey was answered after the nudge letters went out, so a nudge group may answer each
   * version's sub-items of `fields` a little differently: per nudge group and version, a shift of those
   * answers (`answers` in calibration.json; answers only, the propensities do not move) lets that version's
   * controls take up a little more or less of the nudge, while the nudge shift sets the level of both.
   * `gap`: Table 5's collective coefficient of the second version minus the first's, per nudge group (the
   * first-order values split it evenly; calibration aims at the published cells themselves).
   */
  versions?: { fields: readonly string[]; items: readonly [string, string]; gap: Record<'A' | 'B' | 'both', number> };
  /** Real change between waves, in percentage points (not from the paper: the replica's own assumption). */
  change2014: { individual: number; collective: number };
}

const r = (individual: number, collective: number) => ({ individual, collective });

/**
 * Targets of an area and theme the paper does not report (an area or theme added to raw/study.json): middling
 * levels, no correlations or nudge effects, the study's own activity items. Its replica is plausible noise to
 * run the pipeline on, not a model of anything published.
 */
export function defaultTargets(items: readonly string[]): ThemeTargets {
  return { individual: 50, collective: 20, collectiveOftenShare: 0.4, willing: 30, current: 20, more: 20, items, r: {}, change2014: { individual: 0, collective: 0 } };
}

/**
 * Table cells read as typos (documented in raw/README.md): Table 4 Wolverhampton community safety
 * conditions "-0.65" read as -0.065 and ethnicity "0.29" as 0.029 (neither is starred); Derbyshire Dales
 * environment self-efficacy "0.30" read as 0.030 (unstarred, and n = 496 would make 0.30 significant).
 * Table 4 omits Barnet wellbeing "people needing help": taken as 0.
 */
export const TARGETS: Record<Area, Partial<Record<Theme, ThemeTargets>>> = {
  Barnet: {
    'community safety': {
      individual: 44,
      collective: 13,
      collectiveOftenShare: 0.35,
      current: 8,
      more: 20,
      items: ['report_crime', 'suspicious', 'lock_up', 'report_asb', 'watch_homes', 'stop_nuisance'],
      r: {
        conditions: r(0.162, -0.13),
        'satisfaction_response/crime': r(0.16, -0.044),
        'satisfaction_response/anti-social behaviour': r(0.168, -0.052),
        'satisfaction_information/crime': r(0.029, -0.065),
        'satisfaction_information/anti-social behaviour': r(0.061, -0.006),
        'satisfaction_consultation/crime': r(0.054, -0.01),
        'satisfaction_consultation/anti-social behaviour': r(0.066, 0.032),
        'self_efficacy/crime': r(0.168, 0.348),
        'self_efficacy/anti-social behaviour': r(0.139, 0.327),
        gender: r(-0.05, -0.056),
        age_band: r(0.025, 0.079),
        ethnicity: r(-0.041, -0.106),
      },
      // Self-efficacy asked twice (crime, anti-social behaviour): one attitude, so the two answers correlate
      // (about 0.6). Independent, they would need more variance of joining groups than there is to reach
      // 0.35 and 0.33 on a 13% base rate.
      attitude: { 'self_efficacy/crime': 0.8, 'self_efficacy/anti-social behaviour': 0.8 },
      // Table 5 reports Barnet per crime and per ASB (controls of the crime or the ASB sub-items): the nudge shift
      // aims at the mean of the two versions, each version's self-efficacy answer shift at its distance from that mean.
      versions: { fields: ['self_efficacy'], items: ['crime', 'anti-social behaviour'], gap: { A: 7.6 - 6.4, B: 5.5 - 4.3, both: 6.7 - 5.6 } },
      nudge: {
        A: r((2.7 + 2.1) / 2, (6.4 + 7.6) / 2),
        B: r((2.7 + 1.7) / 2, (4.3 + 5.5) / 2),
        both: r((2.7 + 3.1) / 2, (5.6 + 6.7) / 2),
      },
      change2014: { individual: 1, collective: 1 },
    },
    wellbeing: {
      individual: 40,
      collective: 13,
      collectiveOftenShare: 0.35,
      current: 58,
      more: 43,
      items: ['check_neighbours', 'errands', 'keep_active', 'visit_isolated'],
      r: {
        'self_efficacy/ordinary citizens': r(0.044, -0.065),
        'self_efficacy/people needing help': r(0.093, 0),
        'self_efficacy/public agencies': r(0.068, 0.114),
        gender: r(-0.067, -0.087),
        age_band: r(0.046, 0.25),
        ethnicity: r(-0.044, -0.032),
      },
      // Barnet wellbeing is not in Table 5: no nudge effect.
      change2014: { individual: 1, collective: 0 },
    },
  },
  Bristol: {
    environment: {
      individual: 67,
      collective: 90,
      collectiveOftenShare: 72 / 90,
      willing: 44,
      items: ['recycle', 'compost', 'clean_street', 'report_litter', 'save_energy', 'walk_cycle'],
      r: {
        conditions: r(-0.062, -0.1),
        satisfaction_response: r(-0.06, 0.121),
        satisfaction_information: r(0.032, -0.072),
        satisfaction_consultation: r(0.02, 0.008),
        self_efficacy: r(0.144, 0.22),
      },
      nudge: { A: r(2.9, 4.0), B: r(0.3, -0.6), both: r(1.1, 1.3) },
      change2014: { individual: 2, collective: -1 },
    },
    'community safety': {
      individual: 57,
      collective: 28,
      collectiveOftenShare: 0.35,
      willing: 36,
      items: ['report_crime', 'report_asb', 'watch_homes', 'lock_up'],
      r: {
        conditions: r(-0.082, 0.004),
        'satisfaction_response/crime & ASB': r(-0.02, 0.014),
        satisfaction_information: r(0.117, 0.108),
        satisfaction_consultation: r(0.107, 0.138),
        self_efficacy: r(0.134, 0.263),
      },
      nudge: { A: r(1.2, 3.2), B: r(0.1, -0.6), both: r(0.2, -0.2) },
      change2014: { individual: 1, collective: 1 },
    },
  },
  'Derbyshire Dales': {
    environment: {
      individual: 55,
      collective: 32,
      collectiveOftenShare: 0.35,
      willing: 32,
      items: ['recycle', 'compost', 'clean_street', 'report_litter', 'footpaths'],
      r: {
        conditions: r(0.03, 0.06),
        satisfaction_response: r(-0.016, 0.034),
        satisfaction_information: r(0.012, 0.061),
        satisfaction_consultation: r(0.184, 0.09),
        self_efficacy: r(0.176, 0.03),
        gender: r(-0.087, 0.009),
        age_band: r(-0.175, 0.035),
      },
      change2014: { individual: 1, collective: 0 },
    },
    'community safety': {
      individual: 49,
      collective: 30,
      collectiveOftenShare: 0.35,
      willing: 27,
      items: ['report_crime', 'report_asb', 'watch_homes', 'lock_up'],
      r: {
        conditions: r(-0.059, -0.064),
        satisfaction_response: r(0.021, 0.178),
        satisfaction_information: r(0.138, 0.296),
        satisfaction_consultation: r(0.246, 0.3),
        self_efficacy: r(0.105, 0.768),
        gender: r(-0.124, 0.038),
        age_band: r(-0.051, 0.076),
      },
      // Table 4's 0.768 for self-efficacy next to about 0.3 for information and consultation cannot hold with
      // independent predictors; with a shared attitude factor (self-efficacy correlating about 0.45 with
      // those two) joining groups can follow self-efficacy closely and still correlate with the others.
      attitude: { self_efficacy: 0.8, satisfaction_information: 0.55, satisfaction_consultation: 0.55, satisfaction_response: 0.35 },
      change2014: { individual: 0, collective: 1 },
    },
    health: {
      individual: 46,
      collective: 16,
      collectiveOftenShare: 0.35,
      willing: 23,
      items: ['eat_well', 'exercise', 'follow_advice', 'screening', 'help_others'],
      r: {
        conditions: r(-0.02, 0.052),
        satisfaction_response: r(0.019, 0.178),
        'satisfaction_information/own health': r(0.09, 0.028),
        'satisfaction_information/health of others': r(0.138, 0.031),
        'satisfaction_consultation/own health': r(0.163, 0.058),
        'satisfaction_consultation/health of others': r(0.201, 0.046),
        'self_efficacy/own health': r(0.115, -0.007),
        'self_efficacy/health of others': r(0.134, -0.058),
        gender: r(-0.003, -0.005),
        age_band: r(-0.096, -0.061),
      },
      change2014: { individual: 1, collective: 1 },
    },
  },
  Swansea: {
    environment: {
      individual: 68,
      collective: 36,
      collectiveOftenShare: 0.35,
      willing: 52,
      items: ['recycle', 'clean_street', 'report_litter', 'save_energy', 'litter_pick'],
      r: {
        conditions: r(-0.098, -0.056),
        satisfaction_response: r(-0.046, 0.037),
        satisfaction_information: r(-0.064, -0.048),
        satisfaction_consultation: r(-0.089, -0.073),
        self_efficacy: r(0.045, 0.227),
      },
      change2014: { individual: 2, collective: 1 },
    },
  },
  Wolverhampton: {
    environment: {
      individual: 52,
      collective: 22,
      collectiveOftenShare: 0.35,
      willing: 32,
      items: ['recycle', 'clean_street', 'report_litter', 'save_energy'],
      r: {
        conditions: r(-0.042, -0.195),
        satisfaction_response: r(-0.079, -0.171),
        satisfaction_information: r(-0.081, -0.118),
        satisfaction_consultation: r(-0.096, -0.027),
        self_efficacy: r(-0.108, 0.112),
        gender: r(0.021, -0.091),
        age_band: r(-0.33, 0.0),
        ethnicity: r(0.061, 0.086),
      },
      // Table 5 "Nudge B1" is read as Nudge B.
      nudge: { A: r(-3.4, 3.1), B: r(-3.5, 2.4), both: r(0.3, -1.9) },
      change2014: { individual: 1, collective: 1 },
    },
    'community safety': {
      individual: 44,
      collective: 25,
      collectiveOftenShare: 0.35,
      willing: 34,
      items: ['report_crime', 'report_asb', 'watch_homes', 'lock_up', 'street_watch'],
      r: {
        conditions: r(-0.059, -0.065),
        satisfaction_response: r(-0.193, -0.185),
        satisfaction_information: r(-0.251, -0.091),
        satisfaction_consultation: r(-0.156, -0.04),
        self_efficacy: r(0.025, 0.292),
        gender: r(0.1, -0.011),
        age_band: r(-0.24, -0.25),
        ethnicity: r(-0.013, 0.029),
      },
      nudge: { A: r(0.4, -2.6), B: r(-1.8, -3.6), both: r(2.5, 1.0) },
      change2014: { individual: 0, collective: 0 },
    },
  },
};

/** Latent-model settings shared by every area and theme (assumptions, not paper figures). */
export const MODEL = {
  /** Loading of each activity item on the theme's individual propensity. */
  itemLoading: 0.75,
  /** Spread of item-level positive rates around the theme's index (items differ in how common they are). */
  itemSpread: 0.1,
  /** Share of an item's positive answers that are "often". */
  itemOftenShare: 0.45,
  /** Correlation of the individual and collective propensities' unexplained parts. */
  individualCollective: 0.4,
  /** Weight of a respondent-wide propensity in every theme's unexplained part (themes co-vary). */
  sharedPropensity: 0.3,
  /** Loading of time willing (and Barnet's time now / more) on the collective propensity. */
  timeLoading: 0.5,
  /** Share of "at least a few hours a month" answers that are "a few hours a week". */
  timeWeeklyShare: 0.3,
  /** Share of "less than monthly" answers that are "none" (the rest: a few hours a year). */
  timeNoneShare: 0.55,
  /** Largest total of squared loadings on one propensity; above it all loadings are scaled down. */
  maxExplained: 0.9,
  /** Marginal shares of each code, lowest code first. */
  conditionsShares: [0.08, 0.17, 0.25, 0.35, 0.15],
  satisfactionShares: [0.1, 0.17, 0.33, 0.3, 0.1],
  efficacyShares: [0.1, 0.25, 0.45, 0.2],
  /** Citizens' panels skew older. */
  ageShares: [0.05, 0.11, 0.16, 0.19, 0.21, 0.28],
  maleShare: 0.47,
  /** Share of panel members from minority ethnic groups, where asked. */
  minorityShare: { Barnet: 0.32, Wolverhampton: 0.3 } as Partial<Record<Area, number>>,
  /** Don't-know and blank rates by kind of question. */
  dontKnow: { activity: 0.015, join: 0.02, time: 0.04, predictor: 0.06, demographic: 0 },
  /** Chance that a respondent without an answer to one sub-item of a question gives none to the next either. */
  subItemMissingShared: 0.9,
  blank: { activity: 0.01, join: 0.01, time: 0.015, predictor: 0.015, demographic: 0.01 },
};

/** The second wave: attrition, replacement and persistence. */
export const WAVE_2014 = {
  /** Share of 2013 respondents who left the panel (replaced by as many new recruits). */
  attrition: 0.2,
  /** Year-on-year correlation of each respondent's attitudes and propensities. */
  persistence: 0.7,
};

/**
 * Deliberate mess, by file and 1-based data row (the row's line in the file is row + 1). Listed in
 * raw/README.md; each kind has a test pinning its outcome. Rows beyond a file's length are skipped.
 */
export const MESS = {
  /** Files written with a UTF-8 byte-order mark. */
  bom: [{ wave: 2013, area: 'Swansea' }] as { wave: number; area: Area }[],
  /** Codes outside their scale in numeric columns: clean passes them through, validate rejects the row. */
  outOfRange: [
    { wave: 2013, area: 'Bristol', row: 57, variable: 'environment/activities/recycle', value: '4' },
    { wave: 2013, area: 'Bristol', row: 312, variable: 'community safety/conditions', value: '7' },
    { wave: 2013, area: 'Wolverhampton', row: 121, variable: 'age_band', value: '7' },
    { wave: 2014, area: 'Bristol', row: 403, variable: 'environment/join_groups', value: '5' },
  ] as { wave: number; area: Area; row: number; variable: string; value: string }[],
  /** A misspelt label in a column whose codebook quarantines unknown labels. */
  unknownLabel: [{ wave: 2013, area: 'Derbyshire Dales', row: 201, variable: 'environment/activities/compost', value: 'sometims' }] as {
    wave: number;
    area: Area;
    row: number;
    variable: string;
    value: string;
  }[],
  /** A respondent ID typed twice: `row` carries the ID of `copiesRow`. */
  duplicateId: [{ wave: 2013, area: 'Wolverhampton', row: 301, copiesRow: 300 }] as { wave: number; area: Area; row: number; copiesRow: number }[],
};
