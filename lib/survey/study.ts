/**
 * The study description (raw/study.json, checked against schemas/study.schema.json): the scales, themes,
 * questions, demographics, experiment arms and areas, as one object every step that speaks the study's
 * names takes from its declared input. A step never holds an area, theme or question name of its own.
 *
 * `loadStudy` checks the file (schema, then the rules a schema cannot state: every scale, sub-item,
 * demographic and time item it names is defined, every theme has activity items) and returns a `Study`
 * with its lists in the order the tables print them. Each failure is a DataError naming the file, its
 * line, the JSON path and the value, and what to do.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import studySchema from '../../schemas/study.schema.json' with { type: 'json' };
import recordsSpec from '../../schemas/records.table.json' with { type: 'json' };
import checkedStudySchema from '../../schemas/checked-study.schema.json' with { type: 'json' };
import { readChecked } from '../table/read-json.js';
import { DataError, type Artifact, type StepInputs } from '../../contract/step.js';
import { escapePointer, lineOfPointer, parseJsonSource } from './json-source.js';

export interface Scale {
  min: number;
  max: number;
  labels: readonly string[];
}

/** What Table 1 prints about an area. */
export interface AreaFacts {
  authority: string;
  country: string;
  area_type?: string;
  authority_tier?: string;
  population?: number;
  population_year?: number;
}

export interface ThemeDesign {
  theme: string;
  /** Activity item IDs, in table order. */
  activities: readonly string[];
  /** Time items asked, in the study's order. */
  timeItems: readonly string[];
  /** Predictors asked once (`[]`) or once per listed sub-item. Absent predictors were not asked. */
  predictors: Readonly<Record<string, readonly string[]>>;
  /** Predictors first asked in a later wave: predictor → that wave. */
  fromWave: Readonly<Record<string, number>>;
}

export interface AreaDesign {
  area: string;
  slug: string;
  facts: AreaFacts;
  /** Respondents the design aims at per wave (the replica's sample size), when given. */
  respondents?: number;
  firstWave?: number;
  /** A wave without this area's export stops the wave comparison. */
  required: boolean;
  themes: readonly ThemeDesign[];
  /** Demographic variables asked. */
  demographics: readonly string[];
  /** Whether the nudge experiment ran here. */
  nudge: boolean;
}

export interface Labelled {
  name: string;
  scale: string;
  /** Row label in the tables. */
  label: string;
  /** The same inside a sentence. */
  phrase: string;
}

export interface Demographic extends Labelled {
  /** The predictor name the tables use (age_band is reported as age). */
  predictor: string;
}

export interface SubItemSpec {
  name: string;
  label: string;
  /** Sub-items sharing this are alternative versions of one question. */
  versionOf?: string;
}

/** A score index computes per respondent and theme: a column of the scores table. */
export interface OutcomeSpec {
  name: string;
  /** `activities` (a share of the theme's activity items) or the group item or a time item (a 0/100 indicator). */
  from: string;
  scale: string;
  /** Codes of the scale counted as yes. */
  yes: readonly number[];
  /** The report's column heading, for an outcome reported per item in time-items.csv. */
  heading?: string;
}

export interface Arm {
  name: string;
  control: boolean;
  /** The model term and label of a treatment arm. */
  term?: string;
  label?: string;
}

export interface Study {
  file: string;
  title: string;
  scales: Readonly<Record<string, Scale>>;
  /** Area names in table order. */
  areas: readonly string[];
  themes: readonly string[];
  themeShort: Readonly<Record<string, string>>;
  activityScale: string;
  groupItem: { name: string; scale: string };
  timeItems: readonly { name: string; scale: string }[];
  /** The scores table's outcome columns in table order. */
  outcomes: readonly OutcomeSpec[];
  predictors: readonly Labelled[];
  subItems: readonly SubItemSpec[];
  demographics: readonly Demographic[];
  arms: readonly Arm[];
  design: readonly AreaDesign[];
}

interface StudyFile {
  title: string;
  scales: Record<string, { min: number; labels: string[] }>;
  themes: Record<string, { short: string }>;
  activities: { scale: string };
  group_item: { name: string; scale: string };
  time_items: Record<string, { scale: string; question?: string }>;
  outcomes: Record<string, { from: string; yes: string[]; heading?: string }>;
  predictors: Record<string, { scale: string; label: string; phrase: string }>;
  sub_items: Record<string, { label: string; version_of?: string }>;
  demographics: Record<string, { scale: string; label: string; phrase: string; predictor: string }>;
  experiment: { arms: Record<string, { control?: true; term?: string; label?: string }> };
  areas: {
    name: string;
    slug: string;
    facts: AreaFacts;
    respondents?: number;
    first_wave?: number;
    required?: boolean;
    demographics: string[];
    experiment: boolean;
    themes: Record<string, { activities: string[]; time_items: string[]; predictors: Record<string, string[] | { sub_items: string[]; from_wave?: number }> }>;
  }[];
}

let check: ValidateFunction<StudyFile> | undefined;

function describeAjvError(e: ErrorObject): string {
  const params = Object.entries(e.params)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join(', ');
  return `${e.message ?? 'is invalid'}${params ? ` (${params})` : ''}`;
}

function valueAt(doc: unknown, pointer: string): unknown {
  let v: any = doc;
  for (const raw of pointer.split('/').slice(1)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = v[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return v !== null && typeof v === 'object' ? JSON.stringify(v).slice(0, 200) : v;
}

/** Checks the study description and returns it as a `Study`. */
export function loadStudy(art: Artifact): Study {
  const file = art.path;
  const text = art.text();
  const doc = parseJsonSource(text, file);
  const fail = (message: string, path: string, value?: unknown): never => {
    throw new DataError(message, { file, line: lineOfPointer(text, path), path, value });
  };
  check ??= new Ajv({ allErrors: true, strict: true, strictRequired: false }).compile<StudyFile>(studySchema);
  if (!check(doc)) {
    const errors = check.errors ?? [];
    // A oneOf failure's own branch errors say more than "must match exactly one schema".
    const first = errors.find((e) => e.keyword !== 'oneOf') ?? errors[0]!;
    const all = errors.map((e) => `${e.instancePath || '/'}: ${describeAjvError(e)}`).join('; ');
    fail(`study description does not match schemas/study.schema.json: ${all}; correct the value there (the schema describes every key)`, first.instancePath || '/', valueAt(doc, first.instancePath));
  }
  const s = doc as StudyFile;

  const scales: Record<string, Scale> = {};
  for (const [name, sc] of Object.entries(s.scales)) scales[name] = { min: sc.min, max: sc.min + sc.labels.length - 1, labels: sc.labels };
  const scaleNames = Object.keys(scales);
  const needScale = (scale: string, path: string) => {
    if (!(scale in scales)) fail(`unknown scale "${scale}": define it under /scales or use one of ${scaleNames.join(', ')}`, path, scale);
  };
  needScale(s.activities.scale, '/activities/scale');
  needScale(s.group_item.scale, '/group_item/scale');
  for (const [name, t] of Object.entries(s.time_items)) needScale(t.scale, `/time_items/${escapePointer(name)}/scale`);
  for (const [name, p] of Object.entries(s.predictors)) needScale(p.scale, `/predictors/${escapePointer(name)}/scale`);
  for (const [name, d] of Object.entries(s.demographics)) needScale(d.scale, `/demographics/${escapePointer(name)}/scale`);

  // Every name of a theme's questions lives in one namespace: `<theme>/<name>`.
  const questionNames = new Map<string, string>();
  const claim = (name: string, path: string) => {
    const other = questionNames.get(name);
    if (other !== undefined) fail(`"${name}" is defined twice (also at ${other}): a question name must be unique`, path, name);
    questionNames.set(name, path);
  };
  claim('activities', '/activities');
  claim(s.group_item.name, '/group_item/name');
  for (const name of Object.keys(s.time_items)) claim(name, `/time_items/${escapePointer(name)}`);
  for (const name of Object.keys(s.predictors)) claim(name, `/predictors/${escapePointer(name)}`);
  for (const name of Object.keys(s.demographics)) {
    if (questionNames.has(name)) fail(`"${name}" is both a demographic and a theme question: rename one`, `/demographics/${escapePointer(name)}`, name);
    if (['respondent_id', 'nudge', 'wave', 'area'].includes(name)) fail(`"${name}" is a reserved respondent field: name the demographic otherwise`, `/demographics/${escapePointer(name)}`, name);
  }

  const outcomes = Object.entries(s.outcomes).map(([name, o]): OutcomeSpec => {
    const at = `/outcomes/${escapePointer(name)}`;
    const sources = ['activities', s.group_item.name, ...Object.keys(s.time_items)];
    if (!sources.includes(o.from)) fail(`outcome "${name}" is built from "${o.from}", which is neither the activity items, the group item nor a time item: use one of ${sources.join(', ')}`, `${at}/from`, o.from);
    if (name === 'individual' && o.from !== 'activities') fail('the outcome "individual" is the share of activity items: its "from" must be "activities"', `${at}/from`, o.from);
    if (name !== 'individual' && o.from === 'activities') fail(`only the outcome "individual" is built from the activity items; build "${name}" from the group item or a time item`, `${at}/from`, o.from);
    const scale = o.from === 'activities' ? s.activities.scale : o.from === s.group_item.name ? s.group_item.scale : s.time_items[o.from]!.scale;
    const labels = scales[scale]!.labels;
    const yes = o.yes.map((label, k) => {
      const i = labels.indexOf(label);
      if (i < 0) fail(`"${label}" is not an answer of the scale "${scale}" that "${o.from}" is asked on: use one of ${labels.join(', ')}`, `${at}/yes/${k}`, label);
      return scales[scale]!.min + i;
    });
    if (questionNames.has(name) && name !== o.from) fail(`outcome "${name}" has the name of the question "${name}" but is built from "${o.from}": name it otherwise`, at, name);
    return { name, from: o.from, scale, yes: yes.sort((a, b) => a - b), ...(o.heading ? { heading: o.heading } : {}) };
  });

  const arms = Object.entries(s.experiment.arms).map(([name, a]) => ({ name, control: a.control === true, ...(a.term ? { term: a.term } : {}), ...(a.label ? { label: a.label } : {}) }));
  if (arms.filter((a) => a.control).length !== 1) fail('exactly one arm must be the control ("control": true)', '/experiment/arms', arms.filter((a) => a.control).map((a) => a.name).join(', '));
  // The records table stores an arm as a code of its own (schemas/records.table.json): only those arms can be carried.
  const stored = Object.keys(recordsSpec.variables.nudge_codes);
  for (const a of arms) {
    if (!stored.includes(a.name))
      fail(`arm "${a.name}" has no code in the records table (schemas/records.table.json "nudge_codes": ${stored.join(', ')}): name the arms among those, or give it a code there`, `/experiment/arms/${escapePointer(a.name)}`, a.name);
    if (!a.control && (!a.term || !a.label)) fail(`arm "${a.name}" needs a "term" (its model term) and a "label"`, `/experiment/arms/${escapePointer(a.name)}`, a.name);
  }

  const themes = Object.keys(s.themes);
  const seenArea = new Map<string, number>();
  const seenSlug = new Map<string, number>();
  const design: AreaDesign[] = s.areas.map((a, i) => {
    const at = `/areas/${i}`;
    if (seenArea.has(a.name)) fail(`area "${a.name}" is listed twice (also /areas/${seenArea.get(a.name)})`, `${at}/name`, a.name);
    if (seenSlug.has(a.slug)) fail(`slug "${a.slug}" is used twice (also /areas/${seenSlug.get(a.slug)}): each area's files need their own name`, `${at}/slug`, a.slug);
    seenArea.set(a.name, i);
    seenSlug.set(a.slug, i);
    a.demographics.forEach((d, k) => {
      if (!(d in s.demographics)) fail(`unknown demographic "${d}": define it under /demographics or use one of ${Object.keys(s.demographics).join(', ')}`, `${at}/demographics/${k}`, d);
    });
    const areaThemes: ThemeDesign[] = Object.entries(a.themes).map(([theme, t]) => {
      const tat = `${at}/themes/${escapePointer(theme)}`;
      if (!(theme in s.themes)) fail(`unknown theme "${theme}": define it under /themes or use one of ${themes.join(', ')}`, tat, theme);
      if (t.activities.length === 0) fail(`theme "${theme}" of ${a.name} has no activity items: list the item IDs its codebook maps (<theme>/activities/<item>), or remove the theme`, `${tat}/activities`, theme);
      t.time_items.forEach((ti, k) => {
        if (!(ti in s.time_items)) fail(`unknown time item "${ti}": define it under /time_items or use one of ${Object.keys(s.time_items).join(', ')}`, `${tat}/time_items/${k}`, ti);
      });
      const predictors: Record<string, readonly string[]> = {};
      const fromWave: Record<string, number> = {};
      // Predictors in the study's order, whatever order the area lists them in.
      for (const p of Object.keys(s.predictors)) {
        const v = t.predictors[p];
        if (v === undefined) continue;
        const subs = Array.isArray(v) ? v : v.sub_items;
        const pat = `${tat}/predictors/${escapePointer(p)}`;
        subs.forEach((sub, k) => {
          if (!(sub in s.sub_items)) fail(`unknown sub-item "${sub}": define it under /sub_items or use one of ${Object.keys(s.sub_items).join(', ')}`, Array.isArray(v) ? `${pat}/${k}` : `${pat}/sub_items/${k}`, sub);
        });
        predictors[p] = Object.keys(s.sub_items).filter((sub) => subs.includes(sub));
        if (!Array.isArray(v) && v.from_wave !== undefined) fromWave[p] = v.from_wave;
      }
      for (const p of Object.keys(t.predictors)) {
        if (!(p in s.predictors)) fail(`unknown predictor "${p}": define it under /predictors or use one of ${Object.keys(s.predictors).join(', ')}`, `${tat}/predictors/${escapePointer(p)}`, p);
      }
      return { theme, activities: t.activities, timeItems: Object.keys(s.time_items).filter((ti) => t.time_items.includes(ti)), predictors, fromWave };
    });
    return {
      area: a.name,
      slug: a.slug,
      facts: a.facts,
      ...(a.respondents !== undefined ? { respondents: a.respondents } : {}),
      ...(a.first_wave !== undefined ? { firstWave: a.first_wave } : {}),
      required: a.required ?? false,
      // Themes in the study's order.
      themes: themes.flatMap((th) => areaThemes.filter((t) => t.theme === th)),
      demographics: Object.keys(s.demographics).filter((d) => a.demographics.includes(d)),
      nudge: a.experiment,
    };
  });

  return {
    file,
    title: s.title,
    scales,
    areas: design.map((d) => d.area),
    themes,
    themeShort: Object.fromEntries(Object.entries(s.themes).map(([t, v]) => [t, v.short])),
    activityScale: s.activities.scale,
    groupItem: s.group_item,
    timeItems: Object.entries(s.time_items).map(([name, t]) => ({ name, scale: t.scale })),
    outcomes,
    predictors: Object.entries(s.predictors).map(([name, p]) => ({ name, scale: p.scale, label: p.label, phrase: p.phrase })),
    subItems: Object.entries(s.sub_items).map(([name, v]) => ({ name, label: v.label, ...(v.version_of ? { versionOf: v.version_of } : {}) })),
    demographics: Object.entries(s.demographics).map(([name, d]) => ({ name, scale: d.scale, label: d.label, phrase: d.phrase, predictor: d.predictor })),
    arms,
    design,
  };
}

/** The format of a study the study step has checked (study.json, design.json). */
export const STUDY_FORMAT = 'coproduction-study/1';

/** A checked study as the study step writes it. */
export function writeStudy(study: Study): string {
  return JSON.stringify({ format: STUDY_FORMAT, ...study }, null, 2) + '\n';
}

/** The study without what only the report shows: row labels, phrases, short headings, Table 1's facts, the title. */
export function designOnly(study: Study): Study {
  const unlabelled = <T extends { label: string; phrase: string }>(x: T): T => ({ ...x, label: '', phrase: '' });
  return {
    ...study,
    title: '',
    themeShort: {},
    predictors: study.predictors.map(unlabelled),
    demographics: study.demographics.map(unlabelled),
    subItems: study.subItems.map((i) => ({ ...i, label: '' })),
    outcomes: study.outcomes.map(({ heading: _heading, ...o }) => o),
    arms: study.arms.map(({ label: _label, ...a }) => a),
    design: study.design.map((d) => ({ ...d, facts: { authority: '', country: '' } })),
  };
}

/**
 * What clean and validate read for one area (`design/<slug>.json`): the design with that area alone, and
 * without the outcomes (index's), so a new area or an edited outcome leaves every other area's branches cached.
 */
export function areaDesignOnly(study: Study, area: string): Study {
  const design = designOnly(study);
  return { ...design, areas: [area], design: design.design.filter((d) => d.area === area), outcomes: [] };
}

/**
 * The study a step is handed as its `study` input: raw/study.json itself (checked here), or the study
 * step's study.json or design.json (checked there). Cached per content, as every branch reads the same one.
 */
export function studyInput(inputs: StepInputs): Study {
  const list = inputs.study ?? [];
  if (list.length !== 1) throw new DataError(`expected exactly one "study" input (raw/study.json), got ${list.length}: declare it in pipeline.ts`, { value: list.map((a) => a.path) });
  const art = list[0]!;
  const key = `${art.path}\0${art.hash || art.text()}`;
  let study = loaded.get(key);
  if (!study) {
    const doc = art.json<{ format?: string } & Study>();
    if (doc?.format === STUDY_FORMAT) {
      // The study step's output, checked against the shape it writes (schemas/checked-study.schema.json).
      const { format: _format, ...checked } = readChecked<{ format: string } & Study>(art, checkedStudySchema);
      study = checked;
    } else study = loadStudy(art);
    loaded.set(key, study);
  }
  return study;
}
const loaded = new Map<string, Study>();

/** The area whose files are named `slug`, if the study has one. */
export function areaFromSlug(study: Study, slug: string): string | undefined {
  return study.design.find((d) => d.slug === slug)?.area;
}

export function slugOf(study: Study, area: string): string | undefined {
  return study.design.find((d) => d.area === area)?.slug;
}

export function designOf(study: Study, area: string): AreaDesign | undefined {
  return study.design.find((d) => d.area === area);
}

/** A theme's one-answer fields in table order: the group item, the time items, the predictors. */
export function themeFields(study: Study): string[] {
  return [study.groupItem.name, ...study.timeItems.map((t) => t.name), ...study.predictors.map((p) => p.name)];
}

/** The scale of a theme field (`activities` included) or demographic; undefined for anything else. */
export function fieldScale(study: Study, field: string): string | undefined {
  if (field === 'activities') return study.activityScale;
  if (field === study.groupItem.name) return study.groupItem.scale;
  return (study.timeItems.find((t) => t.name === field) ?? study.predictors.find((p) => p.name === field) ?? study.demographics.find((d) => d.name === field))?.scale;
}

/** Canonical variable names of a theme's predictors: `<theme>/<field>` or `<theme>/<field>/<sub-item>`. */
export function predictorVariables(t: ThemeDesign): string[] {
  return Object.entries(t.predictors).flatMap(([field, subs]) => (subs.length === 0 ? [`${t.theme}/${field}`] : subs.map((s) => `${t.theme}/${field}/${s}`)));
}

/**
 * Every canonical variable an area asks, in table order: its demographics, the nudge group where the
 * experiment ran, then per theme its activity items, group item, time items and predictors.
 */
export function areaVariables(study: Study, area: string): string[] {
  const d = designOf(study, area);
  if (!d) return [];
  return [
    ...d.demographics,
    ...(d.nudge ? ['nudge'] : []),
    ...d.themes.flatMap((t) => [...t.activities.map((i) => `${t.theme}/activities/${i}`), `${t.theme}/${study.groupItem.name}`, ...t.timeItems.map((ti) => `${t.theme}/${ti}`), ...predictorVariables(t)]),
  ];
}
