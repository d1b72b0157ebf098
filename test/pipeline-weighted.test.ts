/**
 * `-S render.estimates=weighted` end to end in a fresh copy of the project: Tables 2-4 and the
 * findings show the weights step's estimates for the weighted areas, with addresses into the weighted
 * tables; Section 2.6 carries the unweighted ones; the published tables and the reproduction check are
 * those of the default run, which the next plain run gives back byte for byte.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { freshCopy, repo, run } from './project-copy.js';

test('-S render.estimates=weighted: the main tables show the weighted estimates, Section 2.6 the unweighted', async () => {
  const dir = freshCopy('weighted');
  try {
    const bad = await run(dir, 'run', '-S', 'render.estimates=raked');
    assert.is.not(bad.code, 0, 'a value outside unweighted/weighted is refused');
    const r = await run(dir, 'run', '-S', 'render.estimates=weighted');
    assert.is(r.code, 0, r.err.join('\n'));
    const read = (path: string) => readFileSync(join(dir, path), 'utf8');
    const committed = (path: string) => readFileSync(join(repo, path), 'utf8');
    // The published tables are the steps' outputs: the same whichever estimates the report shows.
    for (const file of readdirSync(join(repo, 'reports/tables'))) assert.is(read(`reports/tables/${file}`), committed(`reports/tables/${file}`), file);

    const paper = read('reports/paper.md');
    const has = (text: string) => assert.ok(paper.includes(text), `paper.md says: ${text}`);
    has('> **Weighted estimates.** Tables 2 to 4, their figures and the findings drawn from them are weighted');
    has('**Table 2.** Levels of individual and collective co-production by area and theme (wave 2014; weighted)');
    has('**Table 3.** Correlates of individual co-production: Pearson correlations by area and theme (wave 2014; weighted)');
    has('### 2.6 Weighted and unweighted estimates (wave 2014)');
    has('**Table S4.** Correlates of individual co-production: Pearson correlations by area and theme (wave 2014; unweighted)');
    has('Tables 2 to 4 show the weighted estimates (render.estimates = weighted)');
    has('**Table S6.** The nudge arms against no nudge, unweighted and weighted, in the weighted areas (wave 2014)');
    // Table 2's rows of a weighted area are the weighted levels, intervals and counts of table2-weighted.csv.
    const levels: Record<string, string>[] = parse(read('reports/tables/table2-weighted.csv'), { columns: true });
    const at = (theme: string, measure: string) => levels.find((l) => l.wave === '2014' && l.area === 'Wolverhampton' && l.theme === theme && l.measure === measure)!;
    const level = (l: Record<string, string>) => `${Number(l.weighted_pct).toFixed(0)} (${Number(l.ci_low).toFixed(0)}-${Number(l.ci_high).toFixed(0)})`;
    for (const theme of ['environment', 'community safety'])
      has(`| ${theme} | ${level(at(theme, 'individual'))} | ${level(at(theme, 'collective'))} | ${level(at(theme, 'willing'))} | ${at(theme, 'individual').weighted} |`);
    // The check against the article compares the unweighted recomputation, as in the default report.
    const summary = (text: string) => text.split('\n').find((l) => l.startsWith('**Reproduction check'));
    assert.is(summary(paper), summary(committed('reports/paper.md')));
    const html = read('reports/paper.html');
    assert.match(html, 'data-cell="table2-weighted.csv:');
    assert.match(html, 'data-cell="correlations-weighted.csv:');

    const plain = await run(dir, 'run');
    assert.is(plain.code, 0, plain.err.join('\n'));
    assert.is(read('reports/paper.md'), committed('reports/paper.md'), 'the default run gives the committed report again');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
