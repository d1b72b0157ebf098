import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { artifact } from '../../contract/step.js';
import studyStep from '../../steps/study.js';
import { studyInput } from '../../lib/survey/study.js';
import { dataError } from '../data-error.js';
import { study, studyText } from '../study.js';

const out = studyStep({ study: [artifact('raw/study.json', studyText)] }) as Record<string, string>;
const back = (name: string) => studyInput({ study: [artifact(`study:${name}`, out[name]!)] });

test('study.json is the checked study whole; design.json the same without what only the report shows', () => {
  assert.equal(back('study.json'), study);
  const design = back('design.json');
  assert.equal({ ...design, title: study.title, themeShort: study.themeShort, predictors: study.predictors, demographics: study.demographics, subItems: study.subItems, outcomes: study.outcomes, arms: study.arms, design: study.design.map((d, i) => ({ ...design.design[i]!, facts: d.facts })) }, study);
  assert.equal([design.predictors[0]!.label, design.subItems[0]!.label, design.design[0]!.facts.authority, design.arms[1]!.label, design.outcomes.at(-1)!.heading], ['', '', '', undefined, undefined]);
});

test('a label or a fact edited leaves design.json byte for byte; a new question changes it', () => {
  const edit = (change: (doc: any) => void) => {
    const doc = JSON.parse(studyText);
    change(doc);
    return studyStep({ study: [artifact('raw/study.json', JSON.stringify(doc))] }) as Record<string, string>;
  };
  const relabelled = edit((d) => ((d.predictors.conditions.label = 'Local conditions'), (d.areas[0].facts.population = 1), (Object.values(d.outcomes as Record<string, { heading?: string }>).at(-1)!.heading = 'Time (%)')));
  assert.is(relabelled['design.json'], out['design.json']);
  assert.is.not(relabelled['study.json'], out['study.json']);
  assert.is.not(edit((d) => (d.areas[3].themes.environment.activities = ['recycle']))['design.json'], out['design.json']);
});

test('a bad study stops the study step, naming the file, line, path and value', () => {
  const e = dataError(() => studyStep({ study: [artifact('raw/study.json', studyText.replace('"scale": "efficacy"', '"scale": "agreement"'))] }));
  assert.equal([e.where.file, e.where.path, e.where.value], ['raw/study.json', '/predictors/self_efficacy/scale', 'agreement']);
  assert.ok(e.where.line! > 1);
});

test('design/<slug>.json holds one area and no outcomes: a new area or an edited outcome leaves the others byte for byte', () => {
  assert.equal(Object.keys(out).filter((n) => n.startsWith('design/')), study.design.map((d) => `design/${d.slug}.json`));
  const barnet = back('design/barnet.json');
  assert.equal([barnet.areas, barnet.design.map((d) => d.area), barnet.outcomes], [['Barnet'], ['Barnet'], []]);
  assert.equal(barnet.scales, study.scales);
  const doc = JSON.parse(studyText);
  doc.areas.push({ ...structuredClone(doc.areas[3]), name: 'Leeds', slug: 'leeds' });
  doc.outcomes.willing.yes = ['a few hours a week'];
  const more = studyStep({ study: [artifact('raw/study.json', JSON.stringify(doc))] }) as Record<string, string>;
  for (const d of study.design) assert.is(more[`design/${d.slug}.json`], out[`design/${d.slug}.json`], d.area);
  assert.ok(more['design/leeds.json']);
  assert.is.not(more['design.json'], out['design.json']);
});

test('a design.json not of the shape the study step writes stops studyInput (which clean, validate and index read it through), naming file, line, path and value', () => {
  const doc = JSON.parse(out['design.json']!);
  doc.design[1].nudge = 'yes';
  const design = artifact('study:design.json', JSON.stringify(doc, null, 2));
  const e = dataError(() => studyInput({ study: [design] }));
  assert.equal([e.where.file, e.where.path, e.where.value], ['study:design.json', '/design/1/nudge', 'yes']);
  assert.ok(e.where.line! > 1);
  assert.match(e.message, 'must be boolean, as schemas/checked-study.schema.json');
});

test.run();
