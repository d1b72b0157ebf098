/**
 * Reading a JSON or NDJSON file one step wrote for another, checked against its schema in schemas/: a
 * file that does not match is a DataError naming the file, its line, the JSON path and the value, and
 * what to do, instead of a wrong number or a TypeError three modules later. Each schema is compiled
 * once per process (ajv's compile costs more than reading the file).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { DataError, type Artifact } from '../../contract/step.js';
import { lineOfPointer } from '../survey/json-source.js';

/** A JSON Schema as schemas/ holds it: `$id` is its file name there. */
export interface JsonSchema {
  $id: string;
  title?: string;
  [keyword: string]: unknown;
}

const compiled = new WeakMap<JsonSchema, ValidateFunction>();

function validatorOf(schema: JsonSchema): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) compiled.set(schema, (fn = new Ajv({ strict: true, allowUnionTypes: true }).compile(schema)));
  return fn;
}

/** The parsed content of a JSON artifact, once it matches `schema`. */
export function readChecked<T>(art: Artifact, schema: JsonSchema): T {
  const doc = art.json<unknown>();
  const check = validatorOf(schema);
  if (!check(doc)) throw mismatch(art, schema, check.errors![0]!, doc, (path) => lineOfPointer(art.text(), path));
  return doc as T;
}

/** Each line of an NDJSON artifact (blank lines skipped), once it matches `schema`, with its 1-based line. */
export function readCheckedLines<T>(art: Artifact, schema: JsonSchema): Array<{ line: number; value: T }> {
  const check = validatorOf(schema);
  const out: Array<{ line: number; value: T }> = [];
  art
    .text()
    .split('\n')
    .forEach((text, i) => {
      if (text.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        throw new DataError(`not a JSON line (${(e as Error).message}); ${remedy(art)}`, { file: art.path, line: i + 1 });
      }
      if (!check(value)) throw mismatch(art, schema, check.errors![0]!, value, () => i + 1);
      out.push({ line: i + 1, value: value as T });
    });
  return out;
}

function mismatch(art: Artifact, schema: JsonSchema, e: ErrorObject, doc: unknown, lineOf: (path: string) => number | undefined): DataError {
  // A missing or unexpected key is named in the path itself, where a reader looks for it.
  const key = (e.params as { missingProperty?: string; additionalProperty?: string }).missingProperty ?? (e.params as { additionalProperty?: string }).additionalProperty;
  const path = key === undefined ? e.instancePath : `${e.instancePath}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  const what = e.keyword === 'required' ? 'is missing' : e.keyword === 'additionalProperties' ? 'is not expected here' : `${e.message ?? 'is invalid'}${allowed(e)}`;
  const found = e.keyword === 'required' ? undefined : valueAt(doc, path);
  const value = found !== null && typeof found === 'object' ? undefined : found;
  const kind = Array.isArray(found) ? ' (found an array)' : value === undefined && found !== undefined ? ' (found an object)' : '';
  const line = lineOf(path || '/');
  return new DataError(`${what}${kind}, as schemas/${schema.$id} (${schema.title ?? 'its schema'}) says; ${remedy(art)}`, {
    file: art.path,
    ...(line !== undefined ? { line } : {}),
    path: path || '/',
    ...(value !== undefined ? { value } : {}),
  });
}

const allowed = (e: ErrorObject) => (e.keyword === 'enum' ? ` (one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')})` : '');

/** What to do: the step named in `step[branch]:file` wrote it, and its current code would not have. */
function remedy(art: Artifact): string {
  const step = /^([\w-]+)(\[[^\]]*\])?:/.exec(art.path)?.[1];
  return step
    ? `this file was not written by this version of step "${step}", or was changed since: run \`npm run pipeline -- verify\`, then \`npm run pipeline -- run --force=${step}\``
    : 'this file was not written by this version of the pipeline: re-run the step that writes it';
}

function valueAt(doc: unknown, pointer: string): unknown {
  let v: unknown = doc;
  for (const raw of pointer.split('/').slice(1)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return v;
}
