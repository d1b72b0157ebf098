/**
 * The shipped synthetic replica under raw/: what it contains and what the pipeline makes of it.
 * (The only test that reads raw/, apart from the generator's byte-for-byte check below.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { artifact, outputBytes, readOutputs, type StepOutputs } from '../../contract/step.js';
import clean from '../../steps/clean.js';
import type { CleaningLog } from '../../lib/survey/cleaning-log.js';
import validate from '../../steps/validate.js';
import type { RejectedEntry, ValidationReport } from '../../lib/survey/validation-report.js';
import { generate } from '../../tools/synth/generate.js';
import { SEED } from '../../tools/synth/parameters.js';
import { resentPath } from '../../tools/synth/resent.js';
import { normaliseLabel } from '../../lib/survey/codebook.js';
import { readExport } from '../../lib/survey/readers/index.js';
import { csvParseRows } from 'd3-dsv';

const root = new URL('../../', import.meta.url);
const read = (path: string) => artifact(path, readFileSync(new URL(path, root)));
const list = (dir: string) => readdirSync(new URL(dir, root)).sort().map((f) => `${dir}/${f}`);
const exportPaths = [...list('raw/2013'), ...list('raw/2014')];
const exports = exportPaths.map(read);
const codebooks = list('raw/codebooks').map(read);
// With real exports in raw/ (codebooks marked "synthetic": false) only the checks that hold for any data run.
const shipsReplica = codebooks.every((b) => b.json<{ synthetic?: boolean }>().synthetic === true);
const replica = shipsReplica ? test : test.skip;

function text(out: StepOutputs, name: string): string {
  return new TextDecoder().decode(outputBytes(out[name]!));
}
const study = [read('raw/study.json')];
const cleaned = readOutputs(await clean({ exports, codebooks, study }, {}));
const log = JSON.parse(text(cleaned, 'cleaning-log.json')) as CleaningLog;
const validated = validate(
  {
    records: [artifact('clean:records.arrow', outputBytes(cleaned['records.arrow']!))],
    quarantine: [artifact('clean:quarantine.ndjson', text(cleaned, 'quarantine.ndjson'))],
    log: [artifact('clean:cleaning-log.json', text(cleaned, 'cleaning-log.json'))],
    study,
  },
  { maxRejectRate: 0.02 },
);
const report = JSON.parse(text(validated, 'validation-report.json')) as ValidationReport;
const rejected = text(validated, 'rejected.ndjson').split('\n').filter(Boolean).map((l) => JSON.parse(l) as RejectedEntry);
/** Every export's rows as the readers give them (CSV, SPSS or Excel), by path. */
const exportRows = new Map<string, string[][]>();
for (const a of exports) exportRows.set(a.path, (await readExport(a.path, a.bytes)).rows.map((r) => r.cells));
const dataRows = (path: string) => exportRows.get(path)!.length;

replica('npm run synth reproduces every shipped export and codebook byte for byte; a re-sent export holds its CSV\'s answers', () => {
  for (const file of generate({ seed: SEED })) {
    const resent = resentPath(file.path);
    if (resent) {
      // PSPP and exceljs stamp the time they write (tools/synth/resend-cli.ts): what the file holds is compared.
      const [, ...rows] = csvParseRows(file.content.replace(/^\ufeff/, ''));
      const shipped = exportRows.get(resent)!;
      assert.is(shipped.length, rows.length, resent);
      rows.forEach((r, i) => assert.equal(shipped[i]!.map(normaliseLabel), r.map(normaliseLabel), `${resent}, row ${i + 1}`));
      assert.ok(!exportPaths.includes(file.path), `${file.path} is shipped beside ${resent}`);
      continue;
    }
    const shipped = readFileSync(new URL(file.path, root));
    assert.ok(Buffer.from(file.content, 'utf8').equals(shipped), `${file.path} differs from what npm run synth writes`);
  }
  assert.equal(exportPaths.length, 10);
});

replica("wave 2013 has exactly the paper's respondents per council", () => {
  const counts = Object.fromEntries(list('raw/2013').map((p) => [p, dataRows(p)]));
  assert.equal(counts, {
    'raw/2013/barnet.csv': 430,
    'raw/2013/bristol.csv': 953,
    'raw/2013/derbyshire-dales.csv': 496,
    'raw/2013/swansea.csv': 706,
    'raw/2013/wolverhampton.csv': 547,
  });
});

replica('every codebook and the cleaning log say the data are synthetic', () => {
  for (const b of codebooks) assert.is(b.json<{ synthetic: boolean }>().synthetic, true, b.path);
  assert.is(log.synthetic, true);
  assert.is(report.synthetic, true);
});

test('no row is lost: for every raw file, raw rows = valid + rejected', () => {
  for (const path of exportPaths) {
    const f = report.files[path]!;
    assert.is(f.raw_rows, dataRows(path), path);
    assert.is(f.valid + f.rejected, f.raw_rows, path);
  }
});

replica('the documented mess has its documented outcome', () => {
  // UTF-8 byte-order mark on Swansea 2013 only.
  assert.equal(
    exportPaths.filter((p) => log.files[p]!.bom_stripped),
    ['raw/2013/swansea.csv'],
  );
  // Out-of-range codes: rejected by validate with a schema path.
  const outOfRange = rejected.filter((r) => r.stage === 'validate' && r.reasons.some((x) => x.path !== '/respondent_id'));
  assert.equal(
    outOfRange.map((r) => [r.source.file, r.source.line, r.reasons[0]!.path, r.reasons[0]!.value]),
    [
      ['raw/2013/bristol.csv', 58, '/themes/environment/activities/recycle', 4],
      ['raw/2013/bristol.csv', 313, '/themes/community safety/conditions', 7],
      ['raw/2013/wolverhampton.csv', 122, '/age_band', 7],
      ['raw/2014/bristol.csv', 404, '/themes/environment/join_groups', 5],
    ],
  );
  // One ID typed twice in Wolverhampton 2013: both rows rejected.
  const dup = rejected.filter((r) => r.reasons.some((x) => x.path === '/respondent_id'));
  assert.equal(dup.map((r) => [r.source.file, r.source.line, r.respondent_id]), [
    ['raw/2013/wolverhampton.csv', 301, 'W000300'],
    ['raw/2013/wolverhampton.csv', 302, 'W000300'],
  ]);
  // A misspelt label in a quarantining column.
  assert.equal(
    rejected.filter((r) => r.stage === 'clean').map((r) => [r.source.file, r.source.line, r.reasons[0]!.value]),
    [['raw/2013/derbyshire-dales.csv', 202, 'sometims']],
  );
  // Stray spaces, odd case, blanks and several don't-know spellings are recoded, and counted.
  const dd = log.files['raw/2013/derbyshire-dales.csv']!;
  const sum = (f: (c: CleaningLog['files'][string]['columns'][string]) => number) => Object.values(dd.columns).reduce((s, c) => s + f(c), 0);
  assert.ok(sum((c) => c.trimmed) > 0 && sum((c) => c.case_folded) > 0 && sum((c) => c.blank) > 0);
  const spellings = new Set(Object.values(dd.columns).flatMap((c) => Object.keys(c.dont_know)));
  assert.equal([...spellings].sort(), ["don't know", 'dont know', 'not sure']);
});

replica('the reworded 2014 question is marked in its wave codebook', () => {
  const book = read('raw/codebooks/wolverhampton.2014.json').json<{ wave: number; columns: Record<string, { changed_from_wave?: number; change_note?: string }> }>();
  assert.is(book.wave, 2014);
  const changed = Object.entries(book.columns).filter(([, c]) => c.changed_from_wave !== undefined);
  assert.equal(changed.map(([h, c]) => [h, c.changed_from_wave]), [['env_cond_local_area', 2013]]);
  assert.is(log.files['raw/2014/wolverhampton.csv']!.codebook, 'raw/codebooks/wolverhampton.2014.json');
  // The cleaning log carries the change, so a report comparing waves can flag it.
  assert.equal(
    log.files['raw/2014/wolverhampton.csv']!.changed_questions.map((c) => [c.column, c.variable, c.changed_from_wave]),
    [['env_cond_local_area', 'environment/conditions', 2013]],
  );
  assert.equal(log.files['raw/2013/wolverhampton.csv']!.changed_questions, []);
});

replica('wave 2014 keeps about four in five of each panel', () => {
  const ids = (path: string) => new Set(exportRows.get(path)!.map((r) => r[0]));
  const slug = (path: string) => path.split('/').pop()!.replace(/\.[^.]+$/, '');
  for (const path of list('raw/2013')) {
    const y13 = ids(path);
    const y14 = ids(list('raw/2014').find((p) => slug(p) === slug(path))!);
    const kept = [...y14].filter((id) => y13.has(id)).length / y13.size;
    assert.ok(kept > 0.74 && kept < 0.86, `${path}: kept ${kept.toFixed(3)}`);
  }
});

test.run();
