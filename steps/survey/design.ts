/**
 * The study design as the paper's Tables 2-5 show it: which themes each council asked about, which
 * predictors each theme carries (and which are split into sub-items), which demographics were asked and
 * where the nudge experiment ran. A '-' in the tables means "not asked", so the variable is left out.
 */
import type { Area, SubItem, Theme, ThemeField } from './vocabulary.js';

export type PredictorField = Extract<ThemeField, 'conditions' | 'satisfaction_response' | 'satisfaction_information' | 'satisfaction_consultation' | 'self_efficacy'>;

export interface ThemeDesign {
  theme: Theme;
  /** Predictors asked once (`[]`) or once per listed sub-item. Absent predictors were not asked. */
  predictors: Partial<Record<PredictorField, readonly SubItem[]>>;
  /** Barnet asked time spent now and MORE time instead of time willing. */
  time: 'willing' | 'current_and_more';
}

export interface AreaDesign {
  area: Area;
  /** Respondents in the paper's survey (wave 2013 of the replica). */
  respondents: number;
  themes: readonly ThemeDesign[];
  demographics: readonly ('gender' | 'age_band' | 'ethnicity')[];
  nudge: boolean;
}

const ALL_ONCE = {
  conditions: [],
  satisfaction_response: [],
  satisfaction_information: [],
  satisfaction_consultation: [],
  self_efficacy: [],
} as const satisfies ThemeDesign['predictors'];

export const DESIGN: readonly AreaDesign[] = [
  {
    area: 'Barnet',
    respondents: 430,
    themes: [
      {
        theme: 'community safety',
        // Tables 3-4: conditions once; response, information, consultation and self-efficacy per crime and ASB.
        predictors: {
          conditions: [],
          satisfaction_response: ['crime', 'anti-social behaviour'],
          satisfaction_information: ['crime', 'anti-social behaviour'],
          satisfaction_consultation: ['crime', 'anti-social behaviour'],
          self_efficacy: ['crime', 'anti-social behaviour'],
        },
        time: 'current_and_more',
      },
      {
        theme: 'wellbeing',
        // Tables 3-4 print '-' for conditions and satisfaction: only self-efficacy, in three versions.
        predictors: { self_efficacy: ['ordinary citizens', 'people needing help', 'public agencies'] },
        time: 'current_and_more',
      },
    ],
    demographics: ['gender', 'age_band', 'ethnicity'],
    nudge: true,
  },
  {
    area: 'Bristol',
    respondents: 953,
    themes: [
      { theme: 'environment', predictors: ALL_ONCE, time: 'willing' },
      {
        theme: 'community safety',
        // Table 4 labels Bristol's response item "Crime & ASB": one combined question.
        predictors: { ...ALL_ONCE, satisfaction_response: ['crime & ASB'] },
        time: 'willing',
      },
    ],
    demographics: [],
    nudge: true,
  },
  {
    area: 'Derbyshire Dales',
    respondents: 496,
    themes: [
      { theme: 'environment', predictors: ALL_ONCE, time: 'willing' },
      { theme: 'community safety', predictors: ALL_ONCE, time: 'willing' },
      {
        theme: 'health',
        predictors: {
          conditions: [],
          satisfaction_response: [],
          satisfaction_information: ['own health', 'health of others'],
          satisfaction_consultation: ['own health', 'health of others'],
          self_efficacy: ['own health', 'health of others'],
        },
        time: 'willing',
      },
    ],
    demographics: ['gender', 'age_band'],
    nudge: false,
  },
  {
    area: 'Swansea',
    respondents: 706,
    themes: [{ theme: 'environment', predictors: ALL_ONCE, time: 'willing' }],
    demographics: [],
    nudge: false,
  },
  {
    area: 'Wolverhampton',
    respondents: 547,
    themes: [
      { theme: 'environment', predictors: ALL_ONCE, time: 'willing' },
      { theme: 'community safety', predictors: ALL_ONCE, time: 'willing' },
    ],
    demographics: ['gender', 'age_band', 'ethnicity'],
    nudge: true,
  },
];

export function designOf(area: Area): AreaDesign {
  return DESIGN.find((d) => d.area === area)!;
}

/** Canonical variable names of a theme's predictors: `<theme>/<field>` or `<theme>/<field>/<sub-item>`. */
export function predictorVariables(t: ThemeDesign): string[] {
  return Object.entries(t.predictors).flatMap(([field, subs]) =>
    subs.length === 0 ? [`${t.theme}/${field}`] : subs.map((s) => `${t.theme}/${field}/${s}`),
  );
}
