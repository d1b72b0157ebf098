import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Ajv } from 'ajv';
import { artifact } from '../../../contract/step.js';
import { recordSchema } from '../../../lib/survey/record-schema.js';
import { loadStudy } from '../../../lib/survey/study.js';
import { study, studyText } from '../../study.js';

const compile = (s = study) => new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(recordSchema(s));
const base = { wave: 2013, area: 'Swansea', respondent_id: 's1', source: { file: 'raw/2013/swansea.csv', line: 2 } };

test("the shipped study's record schema takes codes in range, don't know and blanks, and refuses the rest", () => {
  const check = compile();
  assert.ok(check({ ...base, gender: 1, nudge: 'A', themes: { environment: { activities: { recycle: 1, compost: 'dont_know' }, join_groups: null, conditions: 5, self_efficacy: { 'own health': 4 } } } }));
  assert.not.ok(check({ ...base, themes: { environment: { conditions: 6 } } }));
  assert.equal(check.errors!.filter((e) => e.keyword !== 'if').map((e) => [e.instancePath, e.message]), [['/themes/environment/conditions', 'must be <= 5']]);
  assert.not.ok(check({ ...base, area: 'Leeds', themes: { housing: { join_groups: 1 } } }));
  assert.equal(check.errors!.map((e) => [e.instancePath, e.keyword]), [['/area', 'enum'], ['/themes', 'additionalProperties']]);
  assert.not.ok(check({ ...base, nudge: 'C', themes: { environment: { join_groups: 1 } } }));
});

test('a question, theme and area added to the study are checked from then on, with no code change', () => {
  const doc = JSON.parse(studyText);
  doc.themes.housing = { short: 'Housing' };
  doc.predictors.trust = { scale: 'efficacy', label: 'Trust in the council', phrase: 'trust in the council' };
  doc.areas.push({ ...doc.areas[3], name: 'Leeds', slug: 'leeds', themes: { housing: { activities: ['repairs'], time_items: ['willing_time'], predictors: { trust: [] } } } });
  const check = compile(loadStudy(artifact('raw/study.json', JSON.stringify(doc))));
  assert.ok(check({ ...base, area: 'Leeds', themes: { housing: { activities: { repairs: 2 }, trust: 4 } } }));
  assert.not.ok(check({ ...base, area: 'Leeds', themes: { housing: { trust: 5 } } }));
});

test.run();
