import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { columnFromArray, float64, int32, Table, tableFromArrays, tableFromColumns, tableFromIPC, tableToIPC, type Column } from '@uwdata/flechette';
import { dataError } from '../../data-error.js';
import { DataError } from '../../../contract/step.js';
import { readScores, SCORES_FORMAT, writeScores, type ScoresLayout } from '../../../lib/table/scores.js';
import { vocabulary } from '../../study.js';

const layout: ScoresLayout = {
  format: SCORES_FORMAT,
  min_activity_answers: 2,
  variables: ['conditions'],
  groups: [
    { wave: 2013, area: 'Bristol', theme: 'environment', start: 0, rows: 2, outcomes: ['individual', 'collective'], nudge: true, variables: ['conditions'] },
    { wave: 2014, area: 'Swansea', theme: 'environment', start: 2, rows: 1, outcomes: ['individual'], nudge: false, variables: ['conditions'] },
  ],
  vocabulary,
};

function columns() {
  const ids = new TextEncoder().encode('b1b2s1');
  return {
    wave: Int32Array.of(2013, 2013, 2014),
    area: Uint8Array.of(1, 1, 3),
    theme: Uint8Array.of(0, 0, 0),
    respondentId: { bytes: ids, offsets: Int32Array.of(0, 2, 4, 6) },
    outcomes: new Map<string, Float64Array | Int8Array>([
      ['individual', Float64Array.of(50, NaN, 100)],
      ['collective', Int8Array.of(100, -1, -1)],
      ['willing', Int8Array.of(-1, -1, -1)],
      ['current_time', Int8Array.of(-1, -1, -1)],
      ['more_time', Int8Array.of(-1, -1, -1)],
    ]),
    nudge: Int8Array.of(1, 3, -1),
    variables: new Map([['conditions', Int8Array.of(4, -1, 2)]]),
  };
}

test('scores: written columns read back with missing values as NaN / null, and the layout intact', () => {
  const scores = readScores(writeScores(layout, columns()), 'index:scores.arrow');
  assert.equal(scores.layout, layout);
  assert.is(scores.length, 3);
  assert.equal(Array.from(scores.numeric('individual', 0, 3)), [50, NaN, 100]);
  assert.equal(Array.from(scores.numeric('collective', 0, 3)), [100, NaN, NaN]);
  assert.equal(Array.from(scores.numeric('conditions', 1, 3)), [NaN, 2]);
  assert.equal(scores.nudges(0, 3), ['A', 'both', null]);
});

test('scores: an Arrow file without the layout, or whose layout disagrees with its rows, is a DataError', () => {
  const plain = tableToIPC(tableFromArrays({ wave: Int32Array.of(2013) }), { format: 'file' })!;
  assert.throws(() => readScores(plain, 'x.arrow'), (e: unknown) => e instanceof DataError && /not written by the index step/.test((e as Error).message));
  const wrong = { ...layout, groups: [{ ...layout.groups[0]!, area: 'Barnet' as const }, layout.groups[1]!] };
  assert.throws(() => readScores(writeScores(wrong, columns()), 'x.arrow'), (e: unknown) => e instanceof DataError && /table disagrees/.test((e as Error).message));
  assert.throws(() => readScores(new Uint8Array([1, 2, 3]), 'x.arrow'), (e: unknown) => e instanceof DataError);
});

test('scores: a table whose columns break schemas/scores.table.json is a DataError naming the column', () => {
  const written = tableFromIPC(writeScores(layout, columns()));
  const replaced = (name: string, column: Column<unknown>) => {
    const cols = Object.fromEntries(written.schema.fields.map((f) => [f.name, f.name === name ? column : written.getChild(f.name)!]));
    const built = tableFromColumns(cols);
    return tableToIPC(new Table({ ...built.schema, metadata: written.schema.metadata }, built.children), { format: 'file' })!;
  };
  const wrongType = dataError(() => readScores(replaced('collective', columnFromArray(Float64Array.of(100, NaN, NaN), float64())), 'index:scores.arrow'));
  assert.equal([wrongType.where.file, wrongType.where.column, wrongType.where.value], ['index:scores.arrow', 'collective', 'float64']);
  const predictor = dataError(() => readScores(replaced('conditions', columnFromArray(Int32Array.of(4, 0, 2), int32())), 'index:scores.arrow'));
  assert.equal(predictor.where.column, 'conditions');
});

test.run();
