import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { artifact } from '../../../contract/step.js';
import { areaFromSlug, areaVariables, fieldScale, loadStudy, type Study } from '../../../lib/survey/study.js';
import { dataError } from '../../data-error.js';

const text = readFileSync(new URL('../../../raw/study.json', import.meta.url), 'utf8');
const shipped = JSON.parse(text);
const load = (doc: unknown, path = 'raw/study.json'): Study => loadStudy(artifact(path, typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2)));
const edited = (edit: (s: any) => void) => {
  const s = structuredClone(shipped);
  edit(s);
  return s;
};

test("the shipped study gives the vocabulary the analysis was written against", () => {
  const s = load(text);
  assert.equal(s.areas, ['Barnet', 'Bristol', 'Derbyshire Dales', 'Swansea', 'Wolverhampton']);
  assert.equal(Object.fromEntries(s.design.map((d) => [d.area, d.slug])), { Barnet: 'barnet', Bristol: 'bristol', 'Derbyshire Dales': 'derbyshire-dales', Swansea: 'swansea', Wolverhampton: 'wolverhampton' });
  assert.equal(s.themes, ['environment', 'community safety', 'wellbeing', 'health']);
  assert.equal(s.predictors.map((p) => p.name), ['conditions', 'satisfaction_response', 'satisfaction_information', 'satisfaction_consultation', 'self_efficacy']);
  assert.equal(s.subItems.map((i) => i.name), ['crime', 'anti-social behaviour', 'crime & ASB', 'own health', 'health of others', 'ordinary citizens', 'people needing help', 'public agencies']);
  assert.equal(s.arms.map((a) => a.name), ['none', 'A', 'B', 'both']);
  assert.equal(s.scales.time, { min: 1, max: 4, labels: ['none', 'a few hours a year', 'a few hours a month', 'a few hours a week'] });
  assert.equal(s.scales.gender, { min: 0, max: 1, labels: ['female', 'male'] });
  assert.equal(
    Object.fromEntries(['activities', 'join_groups', 'willing_time', 'current_time', 'more_time', 'conditions', 'satisfaction_response', 'self_efficacy', 'age_band'].map((f) => [f, fieldScale(s, f)])),
    { activities: 'frequency', join_groups: 'frequency', willing_time: 'time', current_time: 'time', more_time: 'time', conditions: 'conditions', satisfaction_response: 'satisfaction', self_efficacy: 'efficacy', age_band: 'age_band' },
  );
  assert.is(areaFromSlug(s, 'derbyshire-dales'), 'Derbyshire Dales');
  assert.is(areaFromSlug(s, 'leeds'), undefined);
});

test("Barnet's design: two themes, time now and MORE time, predictors split by crime and ASB", () => {
  const barnet = load(text).design[0]!;
  assert.equal(
    { area: barnet.area, respondents: barnet.respondents, demographics: barnet.demographics, nudge: barnet.nudge, themes: barnet.themes.map((t) => [t.theme, t.timeItems, t.predictors]) },
    {
      area: 'Barnet',
      respondents: 430,
      demographics: ['gender', 'age_band', 'ethnicity'],
      nudge: true,
      themes: [
        ['community safety', ['current_time', 'more_time'], { conditions: [], satisfaction_response: ['crime', 'anti-social behaviour'], satisfaction_information: ['crime', 'anti-social behaviour'], satisfaction_consultation: ['crime', 'anti-social behaviour'], self_efficacy: ['crime', 'anti-social behaviour'] }],
        ['wellbeing', ['current_time', 'more_time'], { self_efficacy: ['ordinary citizens', 'people needing help', 'public agencies'] }],
      ],
    },
  );
});

test('every variable of the shipped codebooks is one the study says its area asks, and the other way round', () => {
  const s = load(text);
  for (const d of s.design) {
    const book = JSON.parse(readFileSync(new URL(`../../../raw/codebooks/${d.slug}.json`, import.meta.url), 'utf8'));
    const mapped = Object.values(book.columns as Record<string, { variable: string }>).map((c) => c.variable).filter((v) => v !== 'respondent_id');
    assert.equal([...mapped].sort(), [...areaVariables(s, d.area)].sort(), d.area);
  }
});

test('an unknown scale is named with its file, line, path and the scales there are', () => {
  const e = dataError(() => load(edited((s) => (s.predictors.conditions.scale = 'quality'))));
  assert.equal(e.where, { file: 'raw/study.json', line: e.where.line, path: '/predictors/conditions/scale', value: 'quality' });
  assert.ok(e.where.line! > 1);
  assert.match(e.message, 'unknown scale "quality": define it under /scales or use one of frequency, time, conditions');
});

test('a theme without activity items is an error naming the area and theme', () => {
  const e = dataError(() => load(edited((s) => (s.areas[3].themes.environment.activities = []))));
  assert.is(e.where.path, '/areas/3/themes/environment/activities');
  assert.match(e.message, 'theme "environment" of Swansea has no activity items');
});

test('an area theme the study does not define, and a schema violation, name their paths', () => {
  const e = dataError(() => load(edited((s) => (s.areas[3].themes.housing = s.areas[3].themes.environment))));
  assert.equal([e.where.path, e.where.value], ['/areas/3/themes/housing', 'housing']);
  assert.match(e.message, 'define it under /themes');
  const f = dataError(() => load(edited((s) => (s.areas[0].slug = 'Barnet'))));
  assert.equal([f.where.path, f.where.value], ['/areas/0/slug', 'Barnet']);
  assert.match(f.message, 'does not match schemas/study.schema.json');
});

test('the outcomes say what each is built from and which answers count as yes, as codes of its scale', () => {
  const s = load(text);
  assert.equal(
    s.outcomes.map((o) => [o.name, o.from, o.scale, o.yes]),
    [
      ['individual', 'activities', 'frequency', [1, 2]],
      ['collective', 'join_groups', 'frequency', [1, 2]],
      ['willing', 'willing_time', 'time', [3, 4]],
      ['current_time', 'current_time', 'time', [3, 4]],
      ['more_time', 'more_time', 'time', [3, 4]],
    ],
  );
});

test('an outcome built from no question of the study, or counting an answer its scale lacks, names its path and value', () => {
  const e = dataError(() => load(edited((s) => (s.outcomes.willing.from = 'spare_time'))));
  assert.equal([e.where.path, e.where.value], ['/outcomes/willing/from', 'spare_time']);
  assert.match(e.message, 'use one of activities, join_groups, willing_time, current_time, more_time');
  const f = dataError(() => load(edited((s) => (s.outcomes.collective.yes = ['often', 'weekly']))));
  assert.equal([f.where.path, f.where.value], ['/outcomes/collective/yes/1', 'weekly']);
  assert.match(f.message, 'not an answer of the scale "frequency"');
  const g = dataError(() => load(edited((s) => delete s.outcomes.willing)));
  assert.match(g.message, 'does not match schemas/study.schema.json');
});

test('an arm the records table has no code for is refused at the study, naming the arm and the codes there are', () => {
  const e = dataError(() => load(edited((s) => (s.experiment.arms.C = { term: 'nudge_c', label: 'Nudge C' }))));
  assert.equal([e.where.path, e.where.value], ['/experiment/arms/C', 'C']);
  assert.match(e.message, 'nudge_codes": none, A, B, both');
});

test('a key given twice is an error with its line', () => {
  const e = dataError(() => load('{\n  "title": "a",\n  "title": "b"\n}'));
  assert.equal([e.where.file, e.where.line], ['raw/study.json', 3]);
});

test('the study reproduces the labels the report was written with', () => {
  const s = load(text);
  // The report's labels as they were written in steps/render/labels.ts before the study held them.
  const PREDICTOR_LABELS = { conditions: 'Perceived local conditions', satisfaction_response: 'Satisfaction with the public response', satisfaction_information: 'Satisfaction with information', satisfaction_consultation: 'Satisfaction with consultation', self_efficacy: 'People can make a difference', gender: 'Gender', age: 'Age', ethnicity: 'Ethnicity' };
  const PREDICTOR_PHRASES = { conditions: 'perceived local conditions', satisfaction_response: 'satisfaction with how public services respond', satisfaction_information: 'satisfaction with the information given', satisfaction_consultation: 'satisfaction with consultation', self_efficacy: 'the belief that people can make a difference', gender: 'gender', age: 'age', ethnicity: 'ethnicity' };
  const ITEM_LABELS = { '': '', crime: 'Crime', 'anti-social behaviour': 'ASB', 'crime & ASB': 'Crime & ASB', 'own health': 'Own health', 'health of others': 'Health of others', 'ordinary citizens': 'Ordinary citizens', 'people needing help': 'People needing help', 'public agencies': 'Public agencies' };
  const TERM_LABELS = { nudge_a: 'Nudge A', nudge_b: 'Nudge B', both: 'Both nudges' };
  const THEME_SHORT = { environment: 'Env', 'community safety': 'Comm safety', wellbeing: 'Wellbeing', health: 'Health' };
  const labels = [...s.predictors, ...s.demographics];
  assert.equal(Object.fromEntries(labels.map((p) => [p.name === 'age_band' ? 'age' : p.name, p.label])), PREDICTOR_LABELS);
  assert.equal(Object.fromEntries(labels.map((p) => [p.name === 'age_band' ? 'age' : p.name, p.phrase])), PREDICTOR_PHRASES);
  assert.equal(Object.fromEntries([['', ''], ...s.subItems.map((i) => [i.name, i.label])]), ITEM_LABELS);
  assert.equal(Object.fromEntries(s.arms.filter((a) => !a.control).map((a) => [a.term, a.label])), TERM_LABELS);
  assert.equal(s.themeShort, THEME_SHORT);
});

test.run();
