import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { artifact, readOutputs } from '../../../contract/step.js';
import clean from '../../../steps/clean.js';
import { dataError } from '../../data-error.js';
import { studyArtifact } from '../../study.js';

// A new wave's export that lacks a column is stopped before any comparison, by clean, which names both.

test('a missing column is clean\'s DataError, naming the file and the column', async () => {
  const codebook = { area: 'Swansea', synthetic: true, dont_know: ['dk'], columns: { ID: { variable: 'respondent_id' }, Q1: { variable: 'environment/join_groups', labels: { often: 1, sometimes: 2, never: 3 } } } };
  const e = await dataError(async () => readOutputs(await clean({ exports: [artifact('raw/2015/swansea.csv', 'ID\nS1\n')], codebooks: [artifact('raw/codebooks/swansea.json', JSON.stringify(codebook))], study: [studyArtifact()] }, {})));
  assert.is(e.where.file, 'raw/2015/swansea.csv');
  assert.is(e.where.column, 'Q1');
});

test.run();
