import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Theme } from '../../../lib/survey/vocabulary.js';
import { AREAS } from '../../../tools/synth/study.js';
import { answer, compileArea, drawPerson, SHIPPED_CALIBRATION, type Answer, type CalibrationFile } from '../../../tools/synth/model.js';
import { MODEL, TARGETS } from '../../../tools/synth/parameters.js';
import { stream } from '../../../tools/synth/random.js';

const N = 20000;

// The first-order model (no calibration): its expectations sit on the targets; the calibrated one sits on them
// only for the shipped seed's sample (test/tools/synth/calibration.test.ts).
function panel(area: (typeof AREAS)[number], wave = 2013) {
  const model = compileArea(area, null);
  const persons = stream(1, `${area}/test-persons`);
  const answers = stream(1, `${area}/test-answers`);
  const rows = Array.from({ length: N }, () => answer(model, drawPerson(model, persons), wave, answers));
  const col = (variable: string) => {
    const i = model.slots.findIndex((s) => s.variable === variable);
    return rows.map((r) => r[i]!);
  };
  return { model, rows, col };
}

const positive = (a: Answer[]) => {
  const coded = a.filter((v): v is number => typeof v === 'number');
  return (100 * coded.filter((v) => v <= 2).length) / coded.length;
};

function pearson(x: (number | null)[], y: (number | null)[]): number {
  const pairs = x.flatMap((a, i) => (a !== null && y[i] !== null ? [[a, y[i]!]] : []));
  const mx = pairs.reduce((s, p) => s + p[0]!, 0) / pairs.length;
  const my = pairs.reduce((s, p) => s + p[1]!, 0) / pairs.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const [a, b] of pairs) {
    sxy += (a! - mx) * (b! - my);
    sxx += (a! - mx) ** 2;
    syy += (b! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

test("activity, group and time answers land within 1.5 points of Table 2's levels", () => {
  for (const area of AREAS) {
    const { col } = panel(area);
    for (const [theme, t] of Object.entries(TARGETS[area]!) as [Theme, NonNullable<NonNullable<(typeof TARGETS)[typeof area]>[Theme]>][]) {
      const items = t.items.flatMap((item) => col(`${theme}/activities/${item}`));
      assert.ok(Math.abs(positive(items) - t.individual) < 1.5, `${area} ${theme} index ${positive(items).toFixed(1)} vs ${t.individual}`);
      const join = positive(col(`${theme}/join_groups`));
      assert.ok(Math.abs(join - t.collective) < 1.5, `${area} ${theme} collective ${join.toFixed(1)} vs ${t.collective}`);
      if (t.willing !== undefined) {
        const w = col(`${theme}/willing_time`).filter((v): v is number => typeof v === 'number');
        const share = (100 * w.filter((v) => v >= 3).length) / w.length;
        assert.ok(Math.abs(share - t.willing) < 1.5, `${area} ${theme} willing ${share.toFixed(1)} vs ${t.willing}`);
      }
    }
  }
});

test('a strong published correlation is reproduced (Wolverhampton environment: age vs individual index, r = -0.33)', () => {
  const { col } = panel('Wolverhampton');
  const items = TARGETS.Wolverhampton!.environment!.items.map((i) => col(`environment/activities/${i}`));
  const index = items[0]!.map((_, r) => {
    const coded = items.map((c) => c[r]).filter((v): v is number => typeof v === 'number');
    return coded.length ? coded.filter((v) => v <= 2).length / coded.length : null;
  });
  const age = col('age_band').map((v) => (typeof v === 'number' ? v : null));
  const r = pearson(index, age);
  assert.ok(Math.abs(r - -0.33) < 0.03, `r = ${r.toFixed(3)}`);
});

test('loadings never explain more of a propensity than MODEL.maxExplained allows, calibrated or not', () => {
  for (const area of AREAS) {
    for (const model of [compileArea(area), compileArea(area, null)]) {
      for (const t of model.themes) {
        for (const [explained, residual] of [[t.explainedI, t.residualI], [t.explainedC, t.residualC]] as const) {
          assert.ok(explained <= MODEL.maxExplained + 1e-9, `${area} ${t.theme}: ${explained}`);
          assert.ok(Math.abs(explained + residual ** 2 - 1) < 1e-9, `${area} ${t.theme}: propensity variance is not 1`);
        }
      }
    }
  }
});

test('an attitude factor makes a theme\'s predictors correlate (Derbyshire Dales community safety); elsewhere they stay independent', () => {
  const { col } = panel('Derbyshire Dales');
  const num = (v: string) => col(v).map((a) => (typeof a === 'number' ? a : null));
  const r = pearson(num('community safety/self_efficacy'), num('community safety/satisfaction_information'));
  assert.ok(r > 0.3 && r < 0.5, `self-efficacy vs information r = ${r.toFixed(3)}`);
  const other = pearson(num('environment/self_efficacy'), num('environment/satisfaction_information'));
  assert.ok(Math.abs(other) < 0.03, `environment r = ${other.toFixed(3)}`);
});

test('the shipped calibration is what compileArea uses by default; null gives the first-order model', () => {
  const calibrated = compileArea('Bristol').themes[0]!;
  const first = compileArea('Bristol', null).themes[0]!;
  assert.is.not(calibrated.offsetC, first.offsetC);
  assert.is(first.nudgeI.none, 0);
  assert.is(calibrated.nudgeC.none, 0);
});

test('areas without the nudge experiment put everyone in "none" and carry no nudge answer', () => {
  const { model, rows } = panel('Swansea');
  assert.ok(!model.slots.some((s) => s.variable === 'nudge'));
  const persons = stream(2, 'x');
  assert.ok(Array.from({ length: 50 }, () => drawPerson(model, persons).nudge).every((n) => n === 'none'));
  assert.is(rows.length, N);
});

test("a version's answer shift moves only that version's listed answers, only in its nudge group, and never a propensity", () => {
  const withShifts = (crimeA: number, asbA: number): CalibrationFile => {
    const file = structuredClone(SHIPPED_CALIBRATION);
    file.areas.Barnet!['community safety']!.answers = {
      crime: { A: crimeA, B: 0, both: 0 },
      'anti-social behaviour': { A: asbA, B: 0, both: 0 },
    };
    return file;
  };
  const draw = (file: CalibrationFile) => {
    const model = compileArea('Barnet', file);
    const persons = stream(3, 'shift-persons');
    const answers = stream(3, 'shift-answers');
    return { model, rows: Array.from({ length: 2000 }, () => { const p = drawPerson(model, persons); return { nudge: p.nudge, a: answer(model, p, 2013, answers) }; }) };
  };
  const base = draw(withShifts(0, 0));
  const moved = draw(withShifts(0.5, -0.5));
  const slot = (v: string) => base.model.slots.findIndex((s) => s.variable === v);
  const crime = slot('community safety/self_efficacy/crime');
  const asb = slot('community safety/self_efficacy/anti-social behaviour');
  let up = 0;
  let down = 0;
  base.rows.forEach((row, r) => {
    const other = moved.rows[r]!.a;
    row.a.forEach((v, k) => {
      if (v === other[k]) return;
      assert.ok(row.nudge === 'A' && (k === crime || k === asb), `${base.model.slots[k]!.variable} changed for a respondent in group ${row.nudge}`);
      if (typeof v !== 'number' || typeof other[k] !== 'number') return;
      if (k === crime) assert.ok(other[k]! > v, 'a crime answer moved down under an upward shift');
      if (k === asb) assert.ok(other[k]! < v, 'an ASB answer moved up under a downward shift');
      if (k === crime) up++;
      else down++;
    });
  });
  assert.ok(up > 50 && down > 50, `only ${up} crime and ${down} ASB answers moved`);
});

test('areas and themes without item versions carry no answer shifts', () => {
  for (const area of AREAS) {
    for (const [theme, t] of Object.entries(TARGETS[area]!) as [Theme, NonNullable<NonNullable<(typeof TARGETS)[typeof area]>[Theme]>][]) {
      const model = compileArea(area).themes.find((x) => x.theme === theme)!;
      const shifted = model.predictors.filter((p) => Object.values(p.shift).some((s) => s !== 0));
      if (!t.versions) assert.is(shifted.length, 0, `${area} ${theme}`);
      else assert.ok(shifted.every((p) => t.versions!.fields.includes(p.field)), `${area} ${theme}`);
    }
  }
});

test.run();
