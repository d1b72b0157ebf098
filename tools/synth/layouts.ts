/**
 * How each council lays out its export: column names, question wording, answer labels as the council
 * spells them, don't-know spellings, line endings. The replica's codebooks are derived from these (labels
 * normalised), and the generator writes answers through them, so an export and its codebook always agree.
 */
import { normaliseLabel, parseVariable, type Codebook, type CodebookColumn, type LabelTarget, type OnUnknown } from '../../lib/survey/codebook.js';
import { designOf, predictorVariables, targetsOf } from './design.js';
import type { Area, Theme } from '../../lib/survey/vocabulary.js';
import { areaVariables, fieldScale } from '../../lib/survey/study.js';
import { STUDY } from './study.js';

export interface LayoutColumn {
  header: string;
  variable: string;
  question: string;
  /** Labels as the council writes them → target. */
  labels?: Record<string, LabelTarget>;
  /** Codes written as numbers; `labels` then holds only the special codes. */
  numeric?: boolean;
  /** Several labels share a code (ethnicity): pick one at random rather than always the first. */
  varyLabels?: boolean;
  onUnknown?: OnUnknown;
  changedFromWave?: number;
  changeNote?: string;
}

export interface Layout {
  area: Area;
  /** Set for a wave-specific layout. */
  wave?: number;
  idPrefix: string;
  idDigits: number;
  /** Don't-know as this council writes it in text columns, with relative weights. */
  dontKnowWritten: [string, number][];
  /** Further spellings the codebook accepts (seen in other waves, or listed by the council). */
  dontKnowAlso: string[];
  /** Share of text cells written with stray spaces or odd case. */
  sloppyRate: number;
  lineEnding: '\n' | '\r\n';
  columns: LayoutColumn[];
  docs: string[];
}

const ITEM_WORDING: Record<string, string> = {
  report_crime: 'report a crime to the police',
  suspicious: 'report suspicious behaviour to the police',
  lock_up: 'lock up and secure your home when you go out',
  report_asb: 'report anti-social behaviour to the council or police',
  watch_homes: "keep an eye on neighbours' homes while they are away",
  stop_nuisance: 'ask people causing a nuisance in your street to stop',
  street_watch: 'take part in a street or neighbourhood watch',
  check_neighbours: 'check on older or vulnerable neighbours',
  errands: 'help neighbours with shopping or errands',
  keep_active: 'keep active or take regular exercise',
  visit_isolated: 'visit or phone people who are on their own',
  recycle: 'recycle household waste',
  compost: 'compost garden or food waste',
  clean_street: 'keep the pavement outside your home clean and tidy',
  report_litter: 'report litter, fly-tipping or graffiti',
  save_energy: 'cut down on energy or water used at home',
  walk_cycle: 'walk, cycle or take the bus instead of driving',
  footpaths: 'help look after footpaths, verges or green spaces',
  litter_pick: 'pick up litter on beaches or in parks',
  eat_well: 'eat a healthy diet',
  exercise: 'exercise for at least half an hour',
  follow_advice: 'follow the advice of your doctor or nurse',
  screening: 'go for health checks or screening when invited',
  help_others: 'help family, friends or neighbours to look after their health',
};

const THEME_AIM: Record<Theme, string> = {
  environment: 'improve the local environment',
  'community safety': 'make your area safer',
  wellbeing: 'support the wellbeing of people in your area',
  health: 'improve health in your community',
};

/** How a theme is named inside a question. */
const THEME_TOPIC: Record<Theme, string> = {
  environment: 'the local environment',
  'community safety': 'crime and safety',
  wellbeing: 'wellbeing',
  health: 'health',
};

const CONDITIONS_QUESTION: Record<Theme, string> = {
  environment: 'How would you rate the quality of the local environment?',
  'community safety': 'How safe do you feel in your local area?',
  wellbeing: 'How would you rate wellbeing in your area?',
  health: 'How would you rate your health in general?',
};

const SUB_WORDING: Record<string, string> = {
  crime: 'crime',
  'anti-social behaviour': 'anti-social behaviour',
  'crime & ASB': 'crime and anti-social behaviour',
  'own health': 'your own health',
  'health of others': 'the health of others',
  'ordinary citizens': 'ordinary citizens',
  'people needing help': 'people who need help',
  'public agencies': 'public agencies',
};

/** Label sets as councils spell them (codes per lib/survey/vocabulary.ts SCALES). */
const L = {
  freq: { Often: 1, Sometimes: 2, Never: 3 },
  freqLower: { often: 1, sometimes: 2, never: 3 },
  time: { None: 1, 'A few hours a year': 2, 'A few hours a month': 3, 'A few hours a week': 4 },
  timeLower: { none: 1, 'a few hours a year': 2, 'a few hours a month': 3, 'a few hours a week': 4 },
  timeBarnet: { 'No time': 1, 'A few hours a year': 2, 'A few hours a month': 3, 'A few hours a week or more': 4 },
  // Bristol numbers time from most to least, so the codebook reverses it.
  timeBristol: { '1': 4, '2': 3, '3': 2, '4': 1, '9': 'dont_know' },
  safety: { 'Very unsafe': 1, 'Fairly unsafe': 2, 'Neither safe nor unsafe': 3, 'Fairly safe': 4, 'Very safe': 5 },
  quality: { 'Very poor': 1, 'Fairly poor': 2, 'Neither good nor poor': 3, 'Fairly good': 4, 'Very good': 5 },
  qualityLower: { 'very poor': 1, poor: 2, average: 3, good: 4, 'very good': 5 },
  cleanliness: { 'Very dirty': 1, 'Fairly dirty': 2, 'Neither clean nor dirty': 3, 'Fairly clean': 4, 'Very clean': 5 },
  health: { 'very bad': 1, bad: 2, fair: 3, good: 4, 'very good': 5 },
  sat: { 'Very dissatisfied': 1, 'Fairly dissatisfied': 2, 'Neither satisfied nor dissatisfied': 3, 'Fairly satisfied': 4, 'Very satisfied': 5 },
  satLower: { 'very dissatisfied': 1, dissatisfied: 2, neither: 3, satisfied: 4, 'very satisfied': 5 },
  // Swansea codes 1 = very satisfied: reversed so that higher is more satisfied.
  satSwansea: { '1': 5, '2': 4, '3': 3, '4': 2, '5': 1 },
  agree: { 'Strongly disagree': 1, 'Tend to disagree': 2, 'Tend to agree': 3, 'Strongly agree': 4 },
  definitely: { 'definitely not': 1, 'probably not': 2, probably: 3, definitely: 4 },
  definitelyTitle: { 'Definitely not': 1, 'Probably not': 2, Probably: 3, Definitely: 4 },
} satisfies Record<string, Record<string, LabelTarget>>;

interface Naming {
  activity(theme: Theme, item: string, q: number, k: number): string;
  join(theme: Theme, q: number): string;
  time(theme: Theme, field: string, q: number): string;
  predictor(theme: Theme, field: string, sub: string | undefined, q: number, k: number): string;
}

interface ThemeLabels {
  freq: Record<string, LabelTarget>;
  freqNumeric?: boolean;
  time: Record<string, LabelTarget>;
  conditions(theme: Theme): Record<string, LabelTarget> | 'numeric';
  sat: Record<string, LabelTarget> | 'numeric';
  efficacy: Record<string, LabelTarget> | 'numeric';
  activityOnUnknown?: OnUnknown;
}

const FIELD_QUESTION: Record<string, string> = {
  satisfaction_response: 'How satisfied are you with how public services respond to',
  satisfaction_information: 'How satisfied are you with the information public services give about',
  satisfaction_consultation: 'How satisfied are you with how public services consult people about',
};

/** Theme columns in questionnaire order, named and labelled the council's way. */
function themeColumns(area: Area, naming: Naming, labels: ThemeLabels, startQ = 1): LayoutColumn[] {
  const cols: LayoutColumn[] = [];
  let q = startQ;
  const asColumn = (header: string, variable: string, question: string, set: Record<string, LabelTarget> | 'numeric', extra: Partial<LayoutColumn> = {}): LayoutColumn =>
    set === 'numeric' ? { header, variable, question, numeric: true, labels: numericSpecials(area), ...extra } : { header, variable, question, labels: set, ...extra };
  for (const t of designOf(area).themes) {
    const targets = targetsOf(area, t.theme);
    targets.items.forEach((item, k) =>
      cols.push(
        asColumn(naming.activity(t.theme, item, q, k), `${t.theme}/activities/${item}`, `How often do you ${ITEM_WORDING[item]}?`, labels.freqNumeric ? 'numeric' : labels.freq, {
          onUnknown: labels.activityOnUnknown,
        }),
      ),
    );
    q++;
    cols.push(asColumn(naming.join(t.theme, q), `${t.theme}/join_groups`, `How often do you join in groups with others to ${THEME_AIM[t.theme]}?`, labels.freqNumeric ? 'numeric' : labels.freq));
    q++;
    const times = t.time === 'willing' ? ['willing_time'] : ['current_time', 'more_time'];
    for (const field of times) {
      const question =
        field === 'willing_time'
          ? `How much time would you be willing to spend working with others to ${THEME_AIM[t.theme]}?`
          : field === 'current_time'
            ? `About how much time do you spend now working with others to ${THEME_AIM[t.theme]}?`
            : `About how much more time would you be willing to spend working with others to ${THEME_AIM[t.theme]}?`;
      cols.push(asColumn(naming.time(t.theme, field, q), `${t.theme}/${field}`, question, labels.time));
      q++;
    }
    for (const variable of predictorVariables(t)) {
      const [, field, sub] = variable.split('/') as [string, string, string | undefined];
      const k = sub ? t.predictors[field as keyof typeof t.predictors]!.indexOf(sub as never) : 0;
      const topic = sub ? SUB_WORDING[sub]! : THEME_TOPIC[t.theme];
      const question =
        field === 'conditions'
          ? CONDITIONS_QUESTION[t.theme]!
          : field === 'self_efficacy'
            ? `Can people make a difference to ${topic} in your area?`
            : `${FIELD_QUESTION[field]} ${topic}?`;
      const set = field === 'conditions' ? labels.conditions(t.theme) : field === 'self_efficacy' ? labels.efficacy : labels.sat;
      cols.push(asColumn(naming.predictor(t.theme, field, sub, q, k), variable, question, set!));
      if (!sub || k === t.predictors[field as keyof typeof t.predictors]!.length - 1) q++;
    }
  }
  return cols;
}

function numericSpecials(area: Area): Record<string, LabelTarget> | undefined {
  return area === 'Bristol' ? { '9': 'dont_know' } : undefined;
}

const letter = (k: number) => String.fromCharCode(97 + k);
const SHORT: Record<Theme, string> = { environment: 'env', 'community safety': 'cs', wellbeing: 'wb', health: 'health' };
const FIELD_SHORT: Record<string, string> = {
  conditions: 'cond',
  satisfaction_response: 'sat_response',
  satisfaction_information: 'sat_info',
  satisfaction_consultation: 'sat_consult',
  self_efficacy: 'make_difference',
  willing_time: 'willing_time',
  current_time: 'time_now',
  more_time: 'time_more',
};
const SUB_SHORT: Record<string, string> = {
  crime: 'crime',
  'anti-social behaviour': 'asb',
  'crime & ASB': 'crime_asb',
  'own health': 'own',
  'health of others': 'others',
  'ordinary citizens': 'citizens',
  'people needing help': 'needing_help',
  'public agencies': 'agencies',
};

function barnet(): Layout {
  const naming: Naming = {
    activity: (_t, item, q, k) => `Q${q}${letter(k)}_often_${item}`,
    join: (t, q) => `Q${q}_join_groups_${SHORT[t]}`,
    time: (t, f, q) => `Q${q}_${FIELD_SHORT[f]}_${SHORT[t]}`,
    predictor: (t, f, sub, q, k) => `Q${q}${sub ? letter(k) : ''}_${FIELD_SHORT[f]}${sub ? `_${SUB_SHORT[sub]}` : `_${SHORT[t]}`}`,
  };
  return {
    area: 'Barnet',
    idPrefix: 'BN',
    idDigits: 5,
    dontKnowWritten: [["Don't know", 1]],
    dontKnowAlso: [],
    sloppyRate: 0.02,
    lineEnding: '\r\n',
    docs: [
      'Barnet exports text labels and Windows line endings. Community safety asks satisfaction and self-efficacy separately for crime and for anti-social behaviour, and conditions once.',
      "Barnet asks time spent now (current_time) and MORE time willing (more_time) instead of time willing; Table 2 prints '-' for willing.",
      'Wellbeing asks no conditions or satisfaction items, and three self-efficacy items.',
    ],
    columns: [
      { header: 'RespondentID', variable: 'respondent_id', question: 'Panel member reference' },
      ...themeColumns('Barnet', naming, {
        freq: L.freq,
        time: L.timeBarnet,
        conditions: () => L.safety,
        sat: L.sat,
        efficacy: L.agree,
      }),
      { header: 'Gender', variable: 'gender', question: 'Are you…', labels: { Female: 0, Male: 1 } },
      { header: 'AgeGroup', variable: 'age_band', question: 'Which age group are you in?', labels: { '18-24': 1, '25-34': 2, '35-44': 3, '45-54': 4, '55-64': 5, '65 or over': 6 } },
      {
        header: 'Ethnicity',
        variable: 'ethnicity',
        question: 'Which of these best describes your ethnic group?',
        varyLabels: true,
        labels: {
          'White British': 0,
          'White Irish': 0,
          'White other': 0,
          Mixed: 1,
          'Asian or Asian British': 1,
          'Black or Black British': 1,
          Chinese: 1,
          'Other ethnic group': 1,
        },
      },
      { header: 'QuestionnaireVersion', variable: 'nudge', question: 'Questionnaire version sent (nudge group)', labels: { Control: 'none', 'Version A': 'A', 'Version B': 'B', 'Version AB': 'both' } },
    ],
  };
}

function bristol(): Layout {
  const prefix: Record<Theme, string> = { environment: 'ENV', 'community safety': 'CS', wellbeing: 'WB', health: 'HL' };
  const counters = new Map<Theme, number>();
  const next = (t: Theme) => {
    const n = (counters.get(t) ?? 0) + 1;
    counters.set(t, n);
    return `${prefix[t]}_Q${n}`;
  };
  const naming: Naming = { activity: (t) => next(t), join: (t) => next(t), time: (t) => next(t), predictor: (t) => next(t) };
  return {
    area: 'Bristol',
    idPrefix: '1',
    idDigits: 5,
    dontKnowWritten: [['9', 1]],
    dontKnowAlso: ["don't know"],
    sloppyRate: 0,
    lineEnding: '\n',
    docs: [
      'Bristol exports numeric codes: frequency 1 often, 2 sometimes, 3 never; satisfaction and conditions 1-5 and self-efficacy 1-4, higher is better; 9 is don\'t know.',
      'Time willing is coded 1 (a few hours a week) to 4 (none) and reversed by the codebook.',
      'Numeric columns pass codes through, so a mistyped code reaches validate, which rejects it.',
      'No demographics were asked (Tables 3-4 print \'-\'). The nudge group is the questionnaire version 1-4.',
    ],
    columns: [
      { header: 'Serial', variable: 'respondent_id', question: 'Panel serial number' },
      ...themeColumns('Bristol', naming, {
        freq: {},
        freqNumeric: true,
        time: L.timeBristol,
        conditions: () => 'numeric',
        sat: 'numeric',
        efficacy: 'numeric',
      }),
      { header: 'VERSION', variable: 'nudge', question: 'Questionnaire version (1 no nudge, 2 nudge A, 3 nudge B, 4 both)', labels: { '1': 'none', '2': 'A', '3': 'B', '4': 'both' } },
    ],
  };
}

function derbyshireDales(): Layout {
  const naming: Naming = {
    activity: (_t, item) => `How often do you… ${ITEM_WORDING[item]}?`,
    join: (t) => `How often do you join in groups with others to ${THEME_AIM[t]}?`,
    time: (t) => `How much time would you be willing to spend working with others to ${THEME_AIM[t]}?`,
    predictor: (t, f, sub) => {
      const topic = sub ? SUB_WORDING[sub]! : THEME_TOPIC[t];
      if (f === 'conditions') return CONDITIONS_QUESTION[t]!;
      if (f === 'self_efficacy') return `Can people make a difference to ${topic} in your area?`;
      return `${FIELD_QUESTION[f]} ${topic}?`;
    },
  };
  return {
    area: 'Derbyshire Dales',
    idPrefix: 'DD-',
    idDigits: 5,
    dontKnowWritten: [
      ['dont know', 3],
      ["Don't know", 2],
      ['Not sure', 1],
    ],
    dontKnowAlso: [],
    sloppyRate: 0.03,
    lineEnding: '\n',
    docs: [
      'Derbyshire Dales uses question wording as column names and lower-case text labels.',
      "The council counts 'Not sure' as don't know; its codebook lists it with the other spellings.",
      'Activity items are set to quarantine an unknown label (one misspelt answer is in the 2013 export) rather than stop the run.',
      'Gender and age were asked, ethnicity was not (Tables 3-4 print \'-\'). No nudge experiment.',
    ],
    columns: [
      { header: 'Respondent ref', variable: 'respondent_id', question: 'Panel member reference' },
      ...themeColumns('Derbyshire Dales', naming, {
        freq: L.freqLower,
        time: L.timeLower,
        conditions: (t) => (t === 'health' ? L.health : t === 'community safety' ? L.safety : L.qualityLower),
        sat: L.satLower,
        efficacy: L.definitely,
        activityOnUnknown: 'quarantine',
      }),
      { header: 'Gender', variable: 'gender', question: 'Are you male or female?', labels: { F: 0, M: 1 } },
      { header: 'Age', variable: 'age_band', question: 'How old are you?', labels: { '18 to 24': 1, '25 to 34': 2, '35 to 44': 3, '45 to 54': 4, '55 to 64': 5, '65 and over': 6 } },
    ],
  };
}

function swansea(): Layout {
  const naming: Naming = {
    activity: (_t, _item, q, k) => `S${q}_${k + 1}`,
    join: (_t, q) => `S${q}`,
    time: (_t, _f, q) => `S${q}`,
    predictor: (_t, _f, _sub, q) => `S${q}`,
  };
  return {
    area: 'Swansea',
    idPrefix: 'SW',
    idDigits: 6,
    dontKnowWritten: [
      ['DK', 3],
      ["Don't Know", 1],
    ],
    dontKnowAlso: ["don't know"],
    sloppyRate: 0.01,
    lineEnding: '\n',
    docs: [
      'Swansea uses short question codes as column names and title-case labels; don\'t know is mostly written "DK".',
      'Satisfaction is exported as 1 (very satisfied) to 5 (very dissatisfied) and reversed by the codebook.',
      'No demographics were asked (Tables 3-4 print \'-\'). No nudge experiment.',
    ],
    columns: [
      { header: 'RespNo', variable: 'respondent_id', question: 'Respondent number' },
      ...themeColumns('Swansea', naming, {
        freq: L.freq,
        time: L.time,
        conditions: () => L.quality,
        sat: L.satSwansea,
        efficacy: L.definitelyTitle,
      }),
    ],
  };
}

function wolverhampton(wave: number): Layout {
  const naming: Naming = {
    activity: (t, item) => `${SHORT[t]}_freq_${item}`,
    join: (t) => `${SHORT[t]}_join_groups`,
    time: (t, f) => `${SHORT[t]}_${FIELD_SHORT[f]}`,
    predictor: (t, f, sub) => (t === 'environment' && f === 'conditions' ? 'env_cond_street_clean' : `${SHORT[t]}_${FIELD_SHORT[f]}${sub ? `_${SUB_SHORT[sub]}` : ''}`),
  };
  const columns: LayoutColumn[] = [
    { header: 'ID', variable: 'respondent_id', question: 'Panel ID' },
    ...themeColumns('Wolverhampton', naming, {
      freq: L.freq,
      time: L.time,
      conditions: (t) => (t === 'environment' ? L.cleanliness : L.safety),
      sat: L.sat,
      efficacy: L.agree,
    }),
    { header: 'gender', variable: 'gender', question: 'Gender', labels: { Female: 0, Male: 1 } },
    { header: 'age_band', variable: 'age_band', question: 'Age band (1 = 18-24 … 6 = 65+)', numeric: true },
    {
      header: 'ethnic_group',
      variable: 'ethnicity',
      question: 'Ethnic group',
      varyLabels: true,
      labels: { White: 0, Mixed: 1, Asian: 1, Black: 1, Other: 1 },
    },
    { header: 'Nudge', variable: 'nudge', question: 'Nudge group', labels: { None: 'none', A: 'A', B: 'B', 'A+B': 'both' } },
  ];
  const conditions = columns.find((c) => c.variable === 'environment/conditions')!;
  conditions.question = 'How clean are the streets in your area?';
  const docs = [
    'Wolverhampton exports text labels except age band, which comes as a code 1-6 and passes through (validate checks its range).',
    "Don't know is written with a straight or a curly apostrophe; both spellings are listed.",
  ];
  if (wave >= 2014) {
    // The 2014 questionnaire replaced the street-cleanliness question by a general rating of the local environment.
    Object.assign(conditions, {
      header: 'env_cond_local_area',
      question: 'Overall, how would you rate your local environment?',
      labels: L.quality,
      changedFromWave: 2013,
      changeNote:
        "2013 asked 'How clean are the streets in your area?' (very dirty .. very clean, column env_cond_street_clean); 2014 asks for an overall rating of the local environment (very poor .. very good). Both are coded 1-5, higher is better, but they measure different things: compare the waves on this item with care.",
    });
    docs.push('This codebook applies from the 2014 export on: the environment conditions question was reworded (see changed_from_wave on its column).');
  }
  return {
    area: 'Wolverhampton',
    wave: wave >= 2014 ? 2014 : undefined,
    idPrefix: 'W',
    idDigits: 6,
    dontKnowWritten: [
      ["Don't know", 4],
      ['Don’t know', 1],
    ],
    dontKnowAlso: [],
    sloppyRate: 0.01,
    lineEnding: '\n',
    columns,
    docs,
  };
}

/** The layout of an area's export in a wave. */
export function layoutFor(area: Area, wave: number): Layout {
  switch (area) {
    case 'Barnet':
      return barnet();
    case 'Bristol':
      return bristol();
    case 'Derbyshire Dales':
      return derbyshireDales();
    case 'Swansea':
      return swansea();
    case 'Wolverhampton':
      return wolverhampton(wave);
  }
  if (!STUDY.areas.includes(area)) throw new Error(`"${area}" is not an area of raw/study.json: add it there to generate its export`);
  return studyLayout(area);
}

/**
 * The export of an area the replica has no council layout for (one added to raw/study.json): a column per
 * variable the study says the area asks, named for it, each answer written as its scale's label with a
 * capital, don't know as "Don't know", the nudge group by the arm's name. Tidy, where the councils' are not.
 */
function studyLayout(area: Area): Layout {
  const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  const scaleLabels = (scale: string): Record<string, LabelTarget> => {
    const s = STUDY.scales[scale]!;
    return { ...Object.fromEntries(s.labels.map((l, i) => [capital(l), s.min + i])), "Don't know": 'dont_know' };
  };
  const column = (variable: string): LayoutColumn => {
    const header = variable.replace(/[^A-Za-z0-9]+/g, '_');
    if (variable === 'nudge') return { header, variable, question: 'Questionnaire version (nudge group)', labels: Object.fromEntries(STUDY.arms.map((a) => [a.name, a.name])) };
    const path = parseVariable(variable);
    const field = path.kind === 'activity' ? 'activities' : path.field;
    const scale = fieldScale(STUDY, field)!;
    const question =
      path.kind === 'activity' ? `How often do you ${ITEM_WORDING[path.item] ?? path.item.replace(/_/g, ' ')}? (${path.theme})` : `${variable.replace(/\//g, ': ').replace(/_/g, ' ')}`;
    return { header, variable, question, labels: scaleLabels(scale) };
  };
  const variables = areaVariables(STUDY, area);
  const respondent = variables.filter((v) => !v.includes('/'));
  return {
    area,
    idPrefix: `${STUDY.design.find((d) => d.area === area)!.slug.slice(0, 2).toUpperCase()}`,
    idDigits: 5,
    dontKnowWritten: [["Don't know", 1]],
    dontKnowAlso: [],
    sloppyRate: 0,
    lineEnding: '\n',
    docs: [`${area}'s layout is drawn from raw/study.json: one column per variable the study says it asks, answers as their scale's labels.`],
    columns: [{ header: 'respondent_id', variable: 'respondent_id', question: 'Panel member reference' }, ...variables.filter((v) => v.includes('/')).map(column), ...respondent.map(column)],
  };
}

const SYNTHETIC_NOTE =
  'SYNTHETIC: the exports this codebook reads are the project\'s synthetic replica (npm run synth), drawn from a model of the published tables. They are not survey responses.';

/** The codebook that reads a layout's exports: labels normalised, don't-know spellings collected. */
export function codebookOf(layout: Layout): Codebook {
  const dk = new Set<string>();
  for (const [s] of layout.dontKnowWritten) if (!/^\d+$/.test(s)) dk.add(normaliseLabel(s));
  for (const s of layout.dontKnowAlso) dk.add(normaliseLabel(s));
  const columns: Record<string, CodebookColumn> = {};
  for (const c of layout.columns) {
    const col: CodebookColumn = { variable: c.variable, question: c.question };
    if (c.labels) col.labels = Object.fromEntries(Object.entries(c.labels).map(([k, v]) => [normaliseLabel(k), v]));
    if (c.numeric) col.numeric = true;
    if (c.onUnknown) col.on_unknown = c.onUnknown;
    if (c.changedFromWave !== undefined) {
      col.changed_from_wave = c.changedFromWave;
      col.change_note = c.changeNote;
    }
    columns[c.header] = col;
  }
  return {
    area: layout.area,
    ...(layout.wave !== undefined ? { wave: layout.wave } : {}),
    synthetic: true,
    docs: [SYNTHETIC_NOTE, 'Labels are matched after trimming, lower-casing and collapsing inner spaces; they are written here in that form.', ...layout.docs],
    dont_know: [...dk].sort(),
    on_unknown: 'error',
    columns,
  };
}
