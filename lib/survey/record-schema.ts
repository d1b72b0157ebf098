/**
 * The JSON Schema validate checks every record against (the nested record of lib/survey/record.ts),
 * generated from the study: its areas, its themes, each theme's questions on their scales, the sub-items a
 * predictor may be split by, the demographics and the experiment's arms. Nobody writes it by hand, so a
 * question added to raw/study.json is checked from the next run on.
 */
import { ITEM_ID_PATTERN } from './vocabulary.js';
import type { Study } from './study.js';

type Schema = Record<string, unknown>;

/** One answer on a scale: a code in its range, "dont_know", or null for a blank. */
function answer(study: Study, scale: string): Schema {
  const s = study.scales[scale]!;
  return {
    description: s.labels.map((label, i) => `${s.min + i} ${label}`).join(', '),
    type: ['integer', 'string', 'null'],
    minimum: s.min,
    maximum: s.max,
    pattern: '^dont_know$',
  };
}

export function recordSchema(study: Study): Schema {
  const scales = Object.keys(study.scales);
  const definitions: Record<string, Schema> = {};
  for (const scale of scales) {
    definitions[`scale_${scale}`] = answer(study, scale);
    // A predictor is asked once (one answer) or per sub-item (an object keyed by sub-item).
    definitions[`predictor_${scale}`] = {
      if: { type: 'object' },
      then: {
        type: 'object',
        minProperties: 1,
        propertyNames: { $ref: '#/definitions/subItems' },
        additionalProperties: { $ref: `#/definitions/scale_${scale}` },
      },
      else: { $ref: `#/definitions/scale_${scale}` },
    };
  }
  definitions.subItems = { enum: study.subItems.map((i) => i.name) };
  const ref = (name: string) => ({ $ref: `#/definitions/${name}` });
  definitions.theme = {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      activities: {
        type: 'object',
        minProperties: 1,
        propertyNames: { pattern: ITEM_ID_PATTERN.source },
        additionalProperties: ref(`scale_${study.activityScale}`),
      },
      [study.groupItem.name]: ref(`scale_${study.groupItem.scale}`),
      ...Object.fromEntries(study.timeItems.map((t) => [t.name, ref(`scale_${t.scale}`)])),
      ...Object.fromEntries(study.predictors.map((p) => [p.name, ref(`predictor_${p.scale}`)])),
    },
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Canonical respondent record',
    description: `One respondent in one wave, as generated from ${study.file}: a row of the records table (schemas/records.table.json) as validate checks it and rejected.ndjson shows it. Every answer may also be "dont_know" or null (blank). Variables an area did not ask are absent.`,
    type: 'object',
    additionalProperties: false,
    required: ['wave', 'area', 'respondent_id', 'source', 'themes'],
    properties: {
      wave: { type: 'integer', minimum: 1900, maximum: 2100 },
      area: { enum: [...study.areas] },
      respondent_id: { type: 'string', minLength: 1, maxLength: 64 },
      source: {
        type: 'object',
        additionalProperties: false,
        required: ['file', 'line'],
        properties: { file: { type: 'string', minLength: 1 }, line: { type: 'integer', minimum: 1, description: 'where the row is in its export: the line of a CSV or the row of a sheet (the header being 1, so 2 or more), or the case number of an SPSS file (from 1)' } },
      },
      ...Object.fromEntries(study.demographics.map((d) => [d.name, ref(`scale_${d.scale}`)])),
      nudge: { type: ['string', 'null'], enum: [...study.arms.map((a) => a.name), null] },
      themes: {
        type: 'object',
        minProperties: 1,
        additionalProperties: false,
        properties: Object.fromEntries(study.themes.map((t) => [t, ref('theme')])),
      },
    },
    definitions,
  };
}
