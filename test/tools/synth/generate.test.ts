import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { artifact, readOutputs } from '../../../contract/step.js';
import clean from '../../../steps/clean.js';
import { loadCodebook } from '../../../lib/survey/codebook.js';
import { AREAS } from '../../../tools/synth/study.js';
import { codebookFiles, exportChunks, generate, respondentsPerArea } from '../../../tools/synth/generate.js';
import { layoutFor } from '../../../tools/synth/layouts.js';
import { compileArea } from '../../../tools/synth/model.js';
import { study, studyArtifact } from '../../study.js';

const small = { seed: 7, respondents: 300 };
const bytes = (files: { path: string; content: string }[]) => files.map((f) => `${f.path}\n${f.content}`).join('\u0000');

test('the same seed gives identical bytes; a different seed gives different exports', () => {
  const a = bytes(generate(small));
  assert.is(bytes(generate(small)), a);
  assert.is.not(bytes(generate({ ...small, seed: 8 })), a);
});

test('chunked output joins to the same text whatever the panel size (streaming writes what memory writes)', () => {
  const joined = [...exportChunks('Bristol', 2014, { seed: 3, respondents: 40000 })];
  assert.ok(joined.length > 1, 'a large export comes in several chunks');
  assert.ok(joined.join('').startsWith('Serial,ENV_Q1,'));
});

test("wave 2013 has the paper's respondents per area; a larger panel keeps their proportions", () => {
  assert.equal(respondentsPerArea(), { Barnet: 430, Bristol: 953, 'Derbyshire Dales': 496, Swansea: 706, Wolverhampton: 547 });
  const big = respondentsPerArea(1_000_000);
  assert.is(Object.values(big).reduce((s, n) => s + n, 0), 1_000_000);
  assert.is(big.Bristol, Math.round((1_000_000 * 953) / 3132));
});

test('every layout column feeds one model answer, and every model answer has a column', () => {
  for (const area of AREAS) {
    for (const wave of [2013, 2014]) {
      const columns = layoutFor(area, wave).columns.map((c) => c.variable).filter((v) => v !== 'respondent_id').sort();
      assert.equal(columns, compileArea(area).slots.map((s) => s.variable).sort(), `${area} ${wave}`);
    }
  }
});

test('the generated codebooks pass the codebook schema and say they describe synthetic data', () => {
  for (const f of codebookFiles()) {
    const book = loadCodebook(artifact(f.path, f.content), study);
    assert.is(book.synthetic, true, f.path);
  }
  assert.equal(
    codebookFiles().map((f) => f.path),
    ['barnet.json', 'bristol.json', 'derbyshire-dales.json', 'swansea.json', 'wolverhampton.2014.json', 'wolverhampton.json'].map((n) => `raw/codebooks/${n}`),
  );
});

test('wave 2014 keeps about four in five respondent IDs and replaces the rest with new recruits', () => {
  const opts = { seed: 11, respondents: 6000 };
  const ids = (wave: number) =>
    new Set(
      [...exportChunks('Swansea', wave, opts)]
        .join('')
        .split('\n')
        .slice(1)
        .filter(Boolean)
        .map((l) => l.split(',')[0]!.replace('\uFEFF', '')),
    );
  const y13 = ids(2013);
  const y14 = ids(2014);
  const kept = [...y14].filter((id) => y13.has(id)).length / y13.size;
  assert.ok(kept > 0.77 && kept < 0.83, `kept ${kept}`);
  assert.is(y14.size, y13.size, 'leavers are replaced one for one');
});

test('a generated panel cleans without errors under its own codebooks', async () => {
  const files = generate(small);
  const out = readOutputs(
    await clean(
      {
        exports: files.filter((f) => f.path.endsWith('.csv')).map((f) => artifact(f.path, f.content)),
        codebooks: files.filter((f) => f.path.endsWith('.json')).map((f) => artifact(f.path, f.content)),
        study: [studyArtifact()],
      },
      {},
    ),
  );
  const log = JSON.parse(new TextDecoder().decode(out['cleaning-log.json']));
  assert.is(log.synthetic, true);
  assert.is(Object.keys(log.files).length, 10);
});

test.run();
