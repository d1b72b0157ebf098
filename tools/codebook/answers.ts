/**
 * How survey answers are commonly worded, per scale of the study, and the code each wording takes
 * (codes as `lib/survey/vocabulary.ts` defines them). A draft reads a column's answers against
 * every scale and guesses the scale that words most of them; a wording no scale knows is left to the reviewer.
 */
import type { Nudge, ScaleName } from '../../lib/survey/vocabulary.js';

export type Guess = number | Nudge | 'dont_know';
export type DraftScale = ScaleName | 'nudge';

/** Normalised wording → code, per scale. */
const WORDINGS: Record<DraftScale, Record<string, Guess>> = {
  frequency: { often: 1, 'very often': 1, sometimes: 2, occasionally: 2, never: 3 },
  time: {
    none: 1,
    'no time': 1,
    'a few hours a year': 2,
    'a few hours a month': 3,
    'a few hours a week': 4,
    'a few hours a week or more': 4,
  },
  conditions: poles([['good', 'poor'], ['safe', 'unsafe'], ['clean', 'dirty'], ['good', 'bad']], {
    good: 4,
    poor: 2,
    bad: 2,
    fair: 3,
    average: 3,
  }),
  satisfaction: {
    'very satisfied': 5,
    'fairly satisfied': 4,
    satisfied: 4,
    'neither satisfied nor dissatisfied': 3,
    neither: 3,
    'fairly dissatisfied': 2,
    dissatisfied: 2,
    'very dissatisfied': 1,
  },
  efficacy: {
    'strongly agree': 4,
    'tend to agree': 3,
    agree: 3,
    'tend to disagree': 2,
    disagree: 2,
    'strongly disagree': 1,
    definitely: 4,
    'definitely yes': 4,
    probably: 3,
    'probably yes': 3,
    'probably not': 2,
    'definitely not': 1,
  },
  gender: { female: 0, f: 0, woman: 0, male: 1, m: 1, man: 1 },
  age_band: {},
  ethnicity: {},
  nudge: {
    control: 'none',
    none: 'none',
    'no nudge': 'none',
    a: 'A',
    'version a': 'A',
    'nudge a': 'A',
    b: 'B',
    'version b': 'B',
    'nudge b': 'B',
    ab: 'both',
    'a+b': 'both',
    'version ab': 'both',
    'nudge ab': 'both',
    both: 'both',
  },
};

/** Five-point poles: "very good" 5, "fairly good" 4, "neither good nor poor" 3, "fairly poor" 2, "very poor" 1. */
function poles(pairs: [string, string][], extra: Record<string, Guess>): Record<string, Guess> {
  const out: Record<string, Guess> = { ...extra };
  for (const [hi, lo] of pairs) {
    Object.assign(out, { [`very ${hi}`]: 5, [`fairly ${hi}`]: 4, [`neither ${hi} nor ${lo}`]: 3, [`fairly ${lo}`]: 2, [`very ${lo}`]: 1 });
  }
  return out;
}

/** Spellings of "don't know" (normalised). */
export const DONT_KNOW_WORDINGS = new Set(["don't know", 'don’t know', 'dont know', 'dk', 'not sure', 'do not know']);

const AGE_STARTS = [18, 25, 35, 45, 55, 65];

/** The code a wording takes on a scale, or undefined. Age bands and ethnic groups are read by rule. */
export function codeFor(scale: DraftScale, label: string): Guess | undefined {
  if (scale === 'age_band') {
    const m = /^(\d+)\s*(?:-|–|to)\s*\d+$/.exec(label) ?? /^(\d+)\s*(?:\+|or over|and over|or older|plus)$/.exec(label);
    const band = m ? AGE_STARTS.indexOf(Number(m[1])) : -1;
    return band === -1 ? undefined : band + 1;
  }
  if (scale === 'ethnicity') {
    if (/^white\b/.test(label)) return 0;
    if (/\b(mixed|asian|black|chinese|other|arab|gypsy|traveller|african|caribbean|indian|pakistani|bangladeshi)\b/.test(label)) return 1;
    return undefined;
  }
  return WORDINGS[scale]?.[label];
}

export const DRAFT_SCALES = Object.keys(WORDINGS) as DraftScale[];
