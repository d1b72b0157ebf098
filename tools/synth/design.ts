/**
 * The study design as the generator uses it, derived from the study (raw/study.json, read by study.ts):
 * which themes each area asked, which predictors each theme carries (and which are split into
 * sub-items), which time items, which demographics were asked and where the nudge experiment ran.
 */
import type { ThemeDesign as StudyTheme } from '../../lib/survey/study.js';
import { STUDY } from './study.js';
import { defaultTargets, TARGETS, type ThemeTargets } from './parameters.js';

export interface ThemeDesign {
  theme: string;
  /** Activity item IDs, as the study lists them. */
  activities: readonly string[];
  /** Predictors asked once (`[]`) or once per listed sub-item. Absent predictors were not asked. */
  predictors: Readonly<Record<string, readonly string[]>>;
  /** Time willing to spend, or time spent now and MORE time (the two sets of time items the study has). */
  time: 'willing' | 'current_and_more';
}

export interface AreaDesign {
  area: string;
  /** Respondents per wave of the replica (the paper's survey for wave 2013; DEFAULT_RESPONDENTS where the study gives none). */
  respondents: number;
  themes: readonly ThemeDesign[];
  demographics: readonly string[];
  nudge: boolean;
}

/** The replica's sample of an area the study gives no `respondents` for. */
export const DEFAULT_RESPONDENTS = 500;

const themeOf = (t: StudyTheme): ThemeDesign => ({ theme: t.theme, activities: t.activities, predictors: t.predictors, time: t.timeItems.length === 1 ? 'willing' : 'current_and_more' });

export const DESIGN: readonly AreaDesign[] = STUDY.design.map((d) => ({
  area: d.area,
  respondents: d.respondents ?? DEFAULT_RESPONDENTS,
  themes: d.themes.map(themeOf),
  demographics: d.demographics,
  nudge: d.nudge,
}));

export function designOf(area: string): AreaDesign {
  return DESIGN.find((d) => d.area === area)!;
}

/** An area and theme's targets: the paper's, or the defaults for one it does not report. */
export function targetsOf(area: string, theme: string): ThemeTargets {
  return TARGETS[area]?.[theme] ?? defaultTargets(designOf(area).themes.find((t) => t.theme === theme)!.activities);
}

/** Canonical variable names of a theme's predictors: `<theme>/<field>` or `<theme>/<field>/<sub-item>`. */
export function predictorVariables(t: ThemeDesign): string[] {
  return Object.entries(t.predictors).flatMap(([field, subs]) => (subs.length === 0 ? [`${t.theme}/${field}`] : subs.map((s) => `${t.theme}/${field}/${s}`)));
}
