/**
 * Guesses which of the study's variables a column holds, from its name and its variable label (the
 * question, where the file has one), helped by the scale its answers were read as. Each rule is a
 * keyword test; where none fires, the variable is left for the reviewer.
 */
import type { SubItem, Theme } from '../../lib/survey/vocabulary.js';
import { STUDY } from '../synth/study.js';

const SUB_ITEMS: readonly string[] = STUDY.subItems.map((s) => s.name);
import type { DraftScale } from './answers.js';

const THEME_WORDS: [Theme, RegExp][] = [
  ['environment', /\benv\b|environment|recycl|compost|litter|pavement|energy|footpath|green space|verge|fly-tipping|graffiti|beach|cycle/],
  ['community safety', /\bcs\b|crime|\bsafe|safety|police|anti-social|\basb\b|suspicious|lock up|nuisance|watch/],
  ['wellbeing', /\bwb\b|wellbeing|well-being|errand|isolated|vulnerable|keep active|on their own|needing help|need help|citizens|agencies|check neighbours/],
  ['health', /\bhl\b|\bhealth|diet|doctor|nurse|screening|exercise/],
];

/** Column name and label as words: `Q1a_often_report_crime` → "q1a often report crime", `AgeGroup` → "age group". */
export function words(name: string, label = ''): string {
  const split = (s: string) => s.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_.]+/g, ' ').toLowerCase();
  return `${split(name)} ${split(label)}`.replace(/\s+/g, ' ').trim();
}

export function guessTheme(text: string, previous: Theme | undefined): Theme | undefined {
  const scores = THEME_WORDS.map(([theme, re]) => [theme, (text.match(new RegExp(re.source, 'g')) ?? []).length] as const);
  const best = Math.max(...scores.map(([, n]) => n));
  const top = scores.filter(([, n]) => n === best && n > 0).map(([t]) => t);
  if (top.length === 1) return top[0];
  return previous && (top.length === 0 || top.includes(previous)) ? previous : undefined;
}

function subItem(text: string): SubItem | undefined {
  const crime = /\bcrime\b/.test(text);
  const asb = /anti-social|\basb\b/.test(text);
  if (crime && asb) return 'crime & ASB';
  if (asb) return 'anti-social behaviour';
  if (crime && !/safety/.test(text)) return 'crime';
  if (/own health/.test(text)) return 'own health';
  if (/health of others|others'? health/.test(text)) return 'health of others';
  if (/citizens/.test(text)) return 'ordinary citizens';
  if (/needing help|need help/.test(text)) return 'people needing help';
  if (/agencies/.test(text)) return 'public agencies';
  return undefined;
}

/** An activity's item id from the column name: what is left after question numbers and theme words. */
function activityItem(name: string): string | undefined {
  const rest = words(name)
    .replace(/^how often do you(…|\.\.\.)?\s*/, '')
    .split(' ')
    .filter((w) => !/^(q\d+[a-z]?|s\d+|\d+|env|cs|wb|hl|often|freq|how|do|you…?|the|a|an|your|of|to|or|and)$/.test(w))
    .map((w) => w.replace(/[^a-z0-9]/g, ''))
    .filter(Boolean)
    .slice(0, 3)
    .join('_');
  return /^[a-z][a-z0-9_]*$/.test(rest) ? rest : undefined;
}

export interface VariableGuess {
  variable?: string;
  theme?: Theme;
  /** What the guess rests on, for the review note. */
  basis: string;
}

export function guessVariable(name: string, label: string | undefined, scale: DraftScale | undefined, previous: Theme | undefined): VariableGuess {
  const text = words(name, label);
  const basis = label ? 'its name and variable label' : 'its name';
  if (/\bgender\b|\bsex\b/.test(text) || scale === 'gender') return { variable: 'gender', basis };
  if (/\bage\b|\bage (group|band)\b/.test(text) || scale === 'age_band') return { variable: 'age_band', basis };
  if (/ethnic/.test(text) || scale === 'ethnicity') return { variable: 'ethnicity', basis };
  if (/nudge|\bversion\b|\bletter\b/.test(text) || scale === 'nudge') return { variable: 'nudge', basis };

  const theme = guessTheme(text, previous);
  let field: string | undefined;
  let split = false;
  if (/\bjoin(s|ed|ing)?\b.*\bgroups?\b/.test(text)) field = 'join_groups';
  else if (/\btime\b/.test(text) || scale === 'time') {
    field = /\bmore\b/.test(text) ? 'more_time' : /\bnow\b|current/.test(text) ? 'current_time' : 'willing_time';
  } else if (/satisf|\bsat\b/.test(text) || scale === 'satisfaction') {
    field = /respon/.test(text) ? 'satisfaction_response' : /\binfo/.test(text) ? 'satisfaction_information' : /consult/.test(text) ? 'satisfaction_consultation' : undefined;
    split = true;
  } else if (/make (a )?difference|efficacy/.test(text) || scale === 'efficacy') {
    field = 'self_efficacy';
    split = true;
  } else if (/\bcond\b|condition|how safe|how clean|rate|quality/.test(text) || scale === 'conditions') {
    field = 'conditions';
    split = true;
  } else if (/often|\bfreq/.test(text) || scale === 'frequency') {
    const item = activityItem(name) ?? (label ? activityItem(label) : undefined);
    field = item && `activities/${item}`;
  }
  if (!theme || !field) return { theme, basis };
  const sub = split ? subItem(text) : undefined;
  return { variable: `${theme}/${field}${sub && SUB_ITEMS.includes(sub) ? `/${sub}` : ''}`, theme, basis };
}
