/**
 * The study's fixed vocabulary: areas, themes, the variables asked per theme, sub-item labels and the
 * code ranges of every scale. Codebooks, the clean step, the record schema and the synthetic generator
 * all speak these names, so the analysis can be written against them once.
 */

export const AREAS = ['Barnet', 'Bristol', 'Derbyshire Dales', 'Swansea', 'Wolverhampton'] as const;
export type Area = (typeof AREAS)[number];

/** File-name form of an area: `raw/<wave>/<slug>.csv`, `raw/codebooks/<slug>.json`. */
export const AREA_SLUGS: Record<Area, string> = {
  Barnet: 'barnet',
  Bristol: 'bristol',
  'Derbyshire Dales': 'derbyshire-dales',
  Swansea: 'swansea',
  Wolverhampton: 'wolverhampton',
};

export function areaFromSlug(slug: string): Area | undefined {
  return AREAS.find((a) => AREA_SLUGS[a] === slug);
}

export const THEMES = ['environment', 'community safety', 'wellbeing', 'health'] as const;
export type Theme = (typeof THEMES)[number];

/** Fields of a theme the analysis uses as predictors; each may be asked once or per sub-item. */
export const THEME_PREDICTORS = [
  'conditions',
  'satisfaction_response',
  'satisfaction_information',
  'satisfaction_consultation',
  'self_efficacy',
] as const;

/** Fields of a theme that hold one answer (or one answer per sub-item). `activities` is the only keyed-by-item field. */
export const THEME_FIELDS = ['join_groups', 'willing_time', 'current_time', 'more_time', ...THEME_PREDICTORS] as const;
export type ThemeField = (typeof THEME_FIELDS)[number];

/** Predictors that may be split into sub-items, each keyed by one of these labels. */
export const SUB_ITEMS = [
  'crime',
  'anti-social behaviour',
  'crime & ASB',
  'own health',
  'health of others',
  'ordinary citizens',
  'people needing help',
  'public agencies',
] as const;
export type SubItem = (typeof SUB_ITEMS)[number];

export const RESPONDENT_FIELDS = ['respondent_id', 'gender', 'age_band', 'ethnicity', 'nudge'] as const;
export type RespondentField = (typeof RESPONDENT_FIELDS)[number];

export const NUDGES = ['none', 'A', 'B', 'both'] as const;
export type Nudge = (typeof NUDGES)[number];

/**
 * Code range of each scale, lowest to highest. Frequency is coded as the project defines it
 * (1 often, 2 sometimes, 3 never); every attitude scale runs so that a higher code is the better
 * condition, the greater satisfaction or the stronger belief that people can make a difference.
 */
export const SCALES = {
  frequency: { min: 1, max: 3, labels: ['often', 'sometimes', 'never'] },
  time: { min: 1, max: 4, labels: ['none', 'a few hours a year', 'a few hours a month', 'a few hours a week'] },
  conditions: { min: 1, max: 5, labels: ['very poor', 'fairly poor', 'neither good nor poor', 'fairly good', 'very good'] },
  satisfaction: {
    min: 1,
    max: 5,
    labels: ['very dissatisfied', 'fairly dissatisfied', 'neither', 'fairly satisfied', 'very satisfied'],
  },
  efficacy: { min: 1, max: 4, labels: ['definitely not', 'probably not', 'probably', 'definitely'] },
  gender: { min: 0, max: 1, labels: ['female', 'male'] },
  age_band: { min: 1, max: 6, labels: ['18-24', '25-34', '35-44', '45-54', '55-64', '65+'] },
  ethnicity: { min: 0, max: 1, labels: ['white', 'minority ethnic'] },
} as const;
export type ScaleName = keyof typeof SCALES;

/** Time categories counted as "at least a few hours a month" by the analysis. */
export const TIME_AT_LEAST_MONTHLY = 3;

export const FIELD_SCALE: Record<ThemeField | 'activities', ScaleName> = {
  activities: 'frequency',
  join_groups: 'frequency',
  willing_time: 'time',
  current_time: 'time',
  more_time: 'time',
  conditions: 'conditions',
  satisfaction_response: 'satisfaction',
  satisfaction_information: 'satisfaction',
  satisfaction_consultation: 'satisfaction',
  self_efficacy: 'efficacy',
};

/** The only missing reason that is an answer; a blank cell is `null`. */
export const DONT_KNOW = 'dont_know';

/** One coded answer: a code, a don't-know, or a blank. */
export type Code = number | typeof DONT_KNOW | null;

/** Respondent IDs, activity item IDs: short, stable, safe in file names and JSON keys. */
export const ITEM_ID_PATTERN = /^[a-z][a-z0-9_]*$/;
