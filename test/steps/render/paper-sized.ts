/**
 * Analysis inputs the size of the paper's data, built from the transcription: every published cell,
 * nudged by a deterministic amount (a hash of its key, never Math.random), for two waves. The bench and
 * the browser test render from these; the unit tests use the tiny literal fixtures beside this file.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { artifact, type Artifact, type StepInputs } from '../../../contract/step.js';
import { correlationP } from '../../../lib/stats/correlation.js';
import type { PublishedTables } from '../../../lib/report/published.js';
import { tTwoSidedP } from '../../../lib/stats/distributions.js';
import { cleaningLogFile } from './fixture-inputs.js';

const root = new URL('../../../', import.meta.url);
export const publishedText = readFileSync(new URL('raw/published-tables.json', root), 'utf8');

/** A number in [-1, 1) fixed by the key. */
function jitter(key: string): number {
  const h = createHash('sha256').update(key).digest();
  return (h.readUInt32BE(0) / 2 ** 32) * 2 - 1;
}

const stars = (p: number) => (p < 0.01 ? '**' : p < 0.05 ? '*' : '');
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const art = (path: string, text: string): Artifact => artifact(path, text, sha(text));

export function paperSizedCsvs(waves: readonly number[] = [2014, 2013]) {
  const pub = JSON.parse(publishedText) as PublishedTables;
  const nOf = new Map(pub.table1.rows.map((a) => [a.area, a.respondents]));
  const t2 = ['wave,area,theme,respondents,individual_pct,collective_pct,willing_pct'];
  const time = ['wave,area,theme,item,pct,n'];
  const corr = { 3: ['wave,area,theme,predictor,item,r,n,p,stars,ci_low,ci_high,p_bh,method'], 4: ['wave,area,theme,predictor,item,r,n,p,stars,ci_low,ci_high,p_bh,method'] };
  const t5 = ['wave,area,theme,item,outcome,term,coef,se,t,p,stars,ci_low,ci_high,se_hc3,p_hc3,n'];
  for (const wave of waves) {
    const shift = wave === 2013 ? 1 : 3;
    for (const r of pub.table2.rows) {
      const j = (c: string) => (jitter(`${wave}${r.area}${r.theme}${c}`) * shift).toFixed(4);
      const v = (x: number | null, c: string) => (x === null ? '' : (x + Number(j(c))).toFixed(4));
      t2.push([wave, r.area, r.theme, nOf.get(r.area), v(r.individual_pct, 'i'), v(r.collective_pct, 'c'), v(r.willing_pct, 'w')].join(','));
    }
    for (const [theme, now, more] of [['community safety', 8, 20], ['wellbeing', 58, 43]] as const) {
      time.push(`${wave},Barnet,${theme},current_time,${(now + jitter(`${wave}${theme}n`)).toFixed(4)},${nOf.get('Barnet')}`);
      time.push(`${wave},Barnet,${theme},more_time,${(more + jitter(`${wave}${theme}m`)).toFixed(4)},${nOf.get('Barnet')}`);
    }
    for (const e of pub.correlations.entries) {
      const n = Math.round(nOf.get(e.area)! * 0.9);
      const r = Math.max(-0.95, Math.min(0.95, e.target_r + jitter(`${wave}${e.table}${e.area}${e.theme}${e.predictor}${e.item}`) * 0.015 * shift));
      const p = correlationP(r, n);
      const item = e.item.includes('&') ? `"${e.item}"` : e.item;
      corr[e.table].push([wave, e.area, e.theme, e.predictor, item, r.toFixed(5), n, p.toExponential(4), stars(p), (r - 0.08).toFixed(4), (r + 0.08).toFixed(4), Math.min(1, p * 3).toExponential(4), 'pearson'].join(','));
    }
    for (const e of pub.table5.entries) {
      const coef = e.coef + jitter(`${wave}${e.area}${e.theme}${e.item}${e.term}${e.outcome}`) * 0.4 * shift;
      const se = 1.6;
      const p = tTwoSidedP(coef / se, 200);
      t5.push([wave, e.area, e.theme, e.item, e.outcome, e.term, coef.toFixed(4), se, (coef / se).toFixed(4), p.toExponential(4), stars(p), (coef - 1.97 * se).toFixed(4), (coef + 1.97 * se).toFixed(4), (se * 1.05).toFixed(4), p.toExponential(4), 200].join(','));
    }
  }
  return { table2: t2.join('\n') + '\n', timeItems: time.join('\n') + '\n', table3: corr[3].join('\n') + '\n', table4: corr[4].join('\n') + '\n', table5: t5.join('\n') + '\n' };
}

export function paperSizedInputs(waves: readonly number[] = [2014, 2013]): StepInputs {
  const csv = paperSizedCsvs(waves);
  const pub = JSON.parse(publishedText) as PublishedTables;
  const files: Record<string, object> = {};
  const report: Record<string, object> = {};
  for (const wave of waves)
    for (const a of pub.table1.rows) {
      const file = `raw/${wave}/${a.area.toLowerCase().replace(/ /g, '-')}.csv`;
      files[file] = cleaningLogFile(wave, a.area, a.respondents + 3);
      report[file] = { raw_rows: a.respondents + 3, valid: a.respondents, rejected: 3, rejected_by_clean: 1, rejected_by_schema: 2, rejected_duplicate_id: 0, reject_rate: 3 / (a.respondents + 3), balanced: true };
    }
  const provenance = ['clean', 'validate', 'index', 'correlate', 'nudge-regress'].map((step, i) => {
    const outputs = { index: ['table2.csv', 'time-items.csv'], correlate: ['table3.csv', 'table4.csv'], 'nudge-regress': ['table5.csv'], clean: ['cleaning-log.json'], validate: ['validation-report.json'] }[step]!;
    const contents: Record<string, string> = { 'table2.csv': csv.table2, 'time-items.csv': csv.timeItems, 'table3.csv': csv.table3, 'table4.csv': csv.table4, 'table5.csv': csv.table5 };
    return art(
      `${step}:provenance.json`,
      JSON.stringify({
        step,
        key: sha(`key-${step}`),
        module: `steps/${step}.ts`,
        codeHash: sha(`code-${step}`),
        code: { [`steps/${step}.ts`]: sha(`src-${step}`) },
        dependencies: { 'csv-parse': '7.0.3', ...(i > 1 ? { arquero: '8.0.3' } : {}) },
        runtime: { node: '20' },
        params: step === 'validate' ? { maxRejectRate: 0.02 } : null,
        inputs: { upstream: [{ path: i === 0 ? 'raw/2013/barnet.csv' : 'clean:records.ndjson', hash: sha(`in-${step}`), bytes: 1234 }] },
        lineage: {},
        outputs: outputs.map((name) => ({ name, hash: contents[name] ? sha(contents[name]!) : sha(name), bytes: 10, rows: 1 })),
      }, null, 2) + '\n',
    );
  });
  return {
    table2: [art('index:table2.csv', csv.table2)],
    timeItems: [art('index:time-items.csv', csv.timeItems)],
    table3: [art('correlate:table3.csv', csv.table3)],
    table4: [art('correlate:table4.csv', csv.table4)],
    table5: [art('nudge-regress:table5.csv', csv.table5)],
    published: [art('raw/published-tables.json', publishedText)],
    cleaning: [art('clean:cleaning-log.json', JSON.stringify({ synthetic: true, files }, null, 2))],
    validation: [art('validate:validation-report.json', JSON.stringify({ synthetic: true, max_reject_rate: 0.02, files: report, totals: { raw_rows: 0, valid: 0, rejected: 0 } }, null, 2))],
    provenance,
  };
}
