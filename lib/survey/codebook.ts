/**
 * Codebooks: the only place that knows a council's column names and answer labels. A codebook is checked
 * against `schemas/codebook.schema.json` (ajv, all errors) and then for the rules a schema cannot state,
 * before anything reads it; every failure is a DataError naming the codebook file and the path inside it.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import codebookSchema from '../../schemas/codebook.schema.json' with { type: 'json' };
import { DataError, type Artifact } from '../../contract/step.js';
import { escapePointer, parseJsonSource } from './json-source.js';
import { areaVariables, designOf, fieldScale, type Study } from './study.js';
import type { Area, Code, Nudge, RespondentField, SubItem, Theme, ThemeField } from './vocabulary.js';

export type OnUnknown = 'error' | 'quarantine';
/** A code, a kind of missing answer (don't know, refused; null for no answer), or a nudge group. */
export type LabelTarget = number | 'dont_know' | 'refused' | null | Nudge;

/** A codebook as written in `raw/codebooks/*.json`. */
export interface Codebook {
  area: Area;
  wave?: number;
  synthetic: boolean;
  /** Set by `npm run codebook -- draft`: the codebook still needs a person's review, and clean refuses it. */
  draft?: boolean;
  /** The worksheet an Excel export's answers are on (default: the first). */
  sheet?: string;
  docs?: string[];
  dont_know: string[];
  on_unknown?: OnUnknown;
  label_sets?: Record<string, Record<string, LabelTarget>>;
  columns: Record<string, CodebookColumn>;
}

export interface CodebookColumn {
  /** `respondent_id`, `gender`, …, `<theme>/activities/<item>`, `<theme>/<field>`, `<theme>/<field>/<sub-item>`. */
  variable: string;
  question?: string;
  labels?: Record<string, LabelTarget>;
  label_set?: string;
  numeric?: boolean;
  on_unknown?: OnUnknown;
  changed_from_wave?: number;
  change_note?: string;
}

/** Where a column's value lands in the canonical record. */
export type VariablePath =
  | { kind: 'respondent'; field: RespondentField }
  | { kind: 'activity'; theme: Theme; item: string }
  | { kind: 'field'; theme: Theme; field: ThemeField; sub?: SubItem };

export interface CompiledColumn {
  header: string;
  variable: string;
  path: VariablePath;
  /** Normalised label → target; don't-know spellings included. */
  lookup: ReadonlyMap<string, LabelTarget>;
  dontKnow: ReadonlySet<string>;
  numeric: boolean;
  onUnknown: OnUnknown;
  /** Set when the question changed from an earlier wave: answers may not compare across waves. */
  change?: { fromWave: number; note: string };
}

export interface CompiledCodebook {
  file: string;
  area: Area;
  /** Set for a wave-specific codebook. */
  wave?: number;
  synthetic: boolean;
  /** The worksheet of an Excel export to read (the first when absent). */
  sheet?: string;
  columns: ReadonlyMap<string, CompiledColumn>;
}

/**
 * Labels are compared after trimming, lower-casing and collapsing runs of inner whitespace to one space,
 * so " Often", "OFTEN" and "often" are one label. Apostrophe variants are NOT folded: list them.
 */
export function normaliseLabel(raw: string): string {
  return raw.trim().toLowerCase().replace(/\s+/g, ' ');
}

// Compiled once per schema text: the bundled schema, or one handed to clean as an input.
const compiled = new Map<string, ValidateFunction<Codebook>>();
function schemaCheck(schema?: Artifact): ValidateFunction<Codebook> {
  const key = schema ? schema.text() : '';
  let fn = compiled.get(key);
  if (!fn) {
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
    try {
      fn = ajv.compile<Codebook>(schema ? schema.json() : codebookSchema);
    } catch (e) {
      throw new DataError(`codebook schema does not compile: ${(e as Error).message}`, { file: schema?.path ?? 'schemas/codebook.schema.json' });
    }
    compiled.set(key, fn);
  }
  return fn;
}

function describeAjvError(e: ErrorObject): string {
  const params = Object.entries(e.params)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join(', ');
  return `${e.message ?? 'is invalid'}${params ? ` (${params})` : ''}`;
}

/** The file name rule: `<slug>.json` from the first wave, `<slug>.<wave>.json` from that wave on. */
export function codebookFileName(slug: string, wave?: number): string {
  return wave === undefined ? `${slug}.json` : `${slug}.${wave}.json`;
}

export function parseVariable(variable: string): VariablePath {
  const parts = variable.split('/');
  if (parts.length === 1) return { kind: 'respondent', field: parts[0] as RespondentField };
  const theme = parts[0] as Theme;
  if (parts[1] === 'activities') return { kind: 'activity', theme, item: parts[2]! };
  return parts.length === 3
    ? { kind: 'field', theme, field: parts[1] as ThemeField, sub: parts[2] as SubItem }
    : { kind: 'field', theme, field: parts[1] as ThemeField };
}

/**
 * Checks one codebook artifact against the study (its area, the variables that area asks, their scales,
 * the experiment's arms) and compiles its label look-ups. `schema` defaults to the bundled
 * `schemas/codebook.schema.json`.
 */
export function loadCodebook(art: Artifact, study: Study, schema?: Artifact): CompiledCodebook {
  const file = art.path;
  const book = parseJsonSource(art.text(), file);
  const checkSchema = schemaCheck(schema);
  if (!checkSchema(book)) {
    const errors = checkSchema.errors ?? [];
    const first = errors[0]!;
    const all = errors.map((e) => `${e.instancePath || '/'}: ${describeAjvError(e)}`).join('; ');
    throw new DataError(`codebook does not match schemas/codebook.schema.json: ${all}`, {
      file,
      path: first.instancePath || '/',
      value: valueAt(book, first.instancePath),
    });
  }
  const fail = (message: string, path: string, value?: unknown): never => {
    throw new DataError(message, { file, path, value });
  };
  if (book.draft) {
    const toReview = Object.entries(book.columns).filter(([, c]) => 'review' in c).map(([h]) => `"${h}"`);
    fail(
      `codebook is a draft (npm run codebook -- draft)${toReview.length ? `: review ${toReview.join(', ')} against the questionnaire` : ''}, then delete "draft" and every "review" and "answers"`,
      '/draft',
      true,
    );
  }

  const design = designOf(study, book.area);
  if (!design) fail(`area "${book.area}" is not in the study (${study.file}): add it under "areas" there, or use one of ${study.areas.join(', ')}`, '/area', book.area);
  const slug = design!.slug;
  // What the study says the area asks: a codebook may map less (a question not asked in a wave), never more.
  const asked = new Set(areaVariables(study, book.area));
  const arms = study.arms.map((a) => a.name);
  const base = file.split('/').pop() ?? file;
  const named = /^[^.]+\.(\d+)\.json$/i.exec(base)?.[1];
  if (named !== undefined && Number(named) !== book.wave) {
    fail(
      `the file name says this version applies from wave ${named}, but its "wave" is ${book.wave ?? 'not set'}: set "wave": ${named}, or rename the file ${codebookFileName(slug, book.wave)}`,
      '/wave',
      book.wave,
    );
  }
  if (base !== codebookFileName(slug, book.wave)) {
    fail(`codebook for area "${book.area}"${book.wave ? ` and wave ${book.wave}` : ''} must be named ${codebookFileName(slug, book.wave)}`, book.wave === undefined ? '/area' : '/wave', book.wave ?? book.area);
  }
  book.dont_know.forEach((dk, i) => {
    if (normaliseLabel(dk) !== dk) fail(`don't-know spelling must be written normalised ("${normaliseLabel(dk)}")`, `/dont_know/${i}`, dk);
  });
  const dontKnow = new Set(book.dont_know);

  const columns = new Map<string, CompiledColumn>();
  const seen = new Map<string, string>();
  let ids = 0;
  for (const [header, col] of Object.entries(book.columns)) {
    const at = `/columns/${escapePointer(header)}`;
    const path = parseVariable(col.variable);
    if (!(path.kind === 'respondent' && path.field === 'respondent_id') && !asked.has(col.variable)) {
      fail(
        `variable "${col.variable}" is not one the study (${study.file}) says ${book.area} asks: correct the variable, or add the question to ${book.area}'s entry there (its theme's activities, time_items or predictors, or its demographics)`,
        `${at}/variable`,
        col.variable,
      );
    }
    const previous = seen.get(col.variable);
    if (previous !== undefined) fail(`variable "${col.variable}" is mapped twice (also by column "${previous}")`, `${at}/variable`, col.variable);
    seen.set(col.variable, header);
    if (path.kind === 'respondent' && path.field === 'respondent_id') ids++;

    let labels: Record<string, LabelTarget> = {};
    if (col.label_set !== undefined) {
      const set = book.label_sets?.[col.label_set];
      if (!set) fail(`label_set "${col.label_set}" is not defined under /label_sets`, `${at}/label_set`, col.label_set);
      labels = set!;
    } else if (col.labels) labels = col.labels;
    const isId = path.kind === 'respondent' && path.field === 'respondent_id';
    if (!isId && Object.keys(labels).length === 0 && !col.numeric) {
      fail('column needs "labels", "label_set" or "numeric": true', at, header);
    }
    const isNudge = path.kind === 'respondent' && path.field === 'nudge';
    for (const [label, target] of Object.entries(labels)) {
      const where = col.label_set !== undefined ? `/label_sets/${escapePointer(col.label_set)}/${escapePointer(label)}` : `${at}/labels/${escapePointer(label)}`;
      if (normaliseLabel(label) !== label) fail(`label must be written normalised ("${normaliseLabel(label)}")`, where, label);
      const nudgeTarget = typeof target === 'string' && target !== 'dont_know' && target !== 'refused';
      if (isNudge && !((nudgeTarget && arms.includes(target)) || target === null || target === 'dont_know' || target === 'refused')) fail(`a nudge label must map to one of the study's arms: ${arms.join(', ')}`, where, target);
      if (!isNudge && nudgeTarget) fail('only the nudge column may map to a nudge group', where, target);
      if (dontKnow.has(label) && target !== 'dont_know')
        fail(`"${label}" is one of the codebook's don't-know spellings (/dont_know), so it cannot also map to ${JSON.stringify(target)}: remove one of the two`, where, target);
      const scaleName = scaleOf(study, path);
      const scale = scaleName === undefined ? undefined : study.scales[scaleName]!;
      if (typeof target === 'number' && scale && !(Number.isInteger(target) && target >= scale.min && target <= scale.max))
        fail(
          `code ${target} is outside the ${scaleName} scale of ${col.variable} (${scale.min}–${scale.max}: ${scale.labels.join(', ')}); correct the code`,
          where,
          target,
        );
    }
    columns.set(header, {
      header,
      variable: col.variable,
      path,
      lookup: labelLookup(dontKnow, labels),
      dontKnow,
      numeric: col.numeric ?? false,
      onUnknown: col.on_unknown ?? book.on_unknown ?? 'error',
      ...(col.changed_from_wave !== undefined ? { change: { fromWave: col.changed_from_wave, note: col.change_note ?? '' } } : {}),
    });
  }
  if (ids !== 1) fail(`exactly one column must map to respondent_id (found ${ids})`, '/columns', ids);
  for (const v of seen.keys()) {
    const parts = v.split('/');
    if (parts.length === 3 && parts[1] !== 'activities' && seen.has(`${parts[0]}/${parts[1]}`)) {
      fail(`"${v}" and "${parts[0]}/${parts[1]}" cannot both be mapped: a predictor is asked once or per sub-item`, `/columns/${escapePointer(seen.get(v)!)}/variable`, v);
    }
  }
  return { file, area: book.area, wave: book.wave, synthetic: book.synthetic, ...(book.sheet !== undefined ? { sheet: book.sheet } : {}), columns };
}

function valueAt(doc: unknown, pointer: string): unknown {
  if (!pointer) return undefined;
  let v: any = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (v === null || typeof v !== 'object') return undefined;
    v = v[key];
  }
  // Objects are summarised: the message names the path, the value is for a quick look.
  return v !== null && typeof v === 'object' ? JSON.stringify(v).slice(0, 200) : v;
}

/** The study's scale a variable's codes must lie on; none for the respondent ID and the nudge group. */
export function scaleOf(study: Study, path: VariablePath): string | undefined {
  return fieldScale(study, path.kind === 'activity' ? 'activities' : path.field);
}

/** The code a cell becomes, or why it could not become one. */
export type CellResult =
  | { kind: 'code'; code: Exclude<LabelTarget, 'dont_know' | 'refused' | null> }
  | { kind: 'dont_know' }
  | { kind: 'refused' }
  | { kind: 'blank' }
  | { kind: 'unknown' };

/** The largest code the records table holds (int32). */
const MAX_CODE = 2 ** 31 - 1;

/** A column's label look-up: the codebook's don't-know spellings, then the column's labels (normalised keys). */
export function labelLookup(dontKnow: Iterable<string>, labels: Record<string, LabelTarget>): Map<string, LabelTarget> {
  const lookup = new Map<string, LabelTarget>();
  for (const dk of dontKnow) lookup.set(dk, 'dont_know');
  for (const [label, target] of Object.entries(labels)) lookup.set(label, target);
  return lookup;
}

/** Decodes one raw cell of a coded column. */
export function decodeCell(col: Pick<CompiledColumn, 'lookup' | 'numeric'>, raw: string): CellResult {
  const label = normaliseLabel(raw);
  if (label === '') return { kind: 'blank' };
  const target = col.lookup.get(label);
  if (target !== undefined) {
    if (target === 'dont_know') return { kind: 'dont_know' };
    if (target === 'refused') return { kind: 'refused' };
    if (target === null) return { kind: 'blank' };
    return { kind: 'code', code: target };
  }
  // Negative codes mean kinds of missing answer in the records table (schemas/records.table.json): a
  // negative or too large number in an export is a label the codebook must name, not a code.
  if (col.numeric && /^\d+$/.test(label) && Number(label) <= MAX_CODE) return { kind: 'code', code: Number(label) };
  return { kind: 'unknown' };
}

/** Re-exported for callers that only need the type of a coded answer. */
export type { Code };
