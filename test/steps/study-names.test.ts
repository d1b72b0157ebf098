/**
 * The study's names live in raw/study.json, not in code: this searches every module of the steps, the
 * library, the runner and the pipeline (comments left out) for an area, slug, theme, sub-item, activity item,
 * predictor, time item, group item or demographic of the shipped study written as a string. The files
 * and names allowed below are each given their reason; anything else found fails with file and line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const root = new URL('../..', import.meta.url).pathname;
const study = JSON.parse(readFileSync(join(root, 'raw/study.json'), 'utf8'));

const ITEMS = [study.group_item.name, ...Object.keys(study.time_items)];
const DEMOGRAPHICS = [...Object.keys(study.demographics), ...Object.values(study.demographics as Record<string, { predictor: string }>).map((d) => d.predictor)];

/** Files (or folders, ending in /) that may name the study, and why. `true`: any name. */
const ALLOWED: Record<string, true | readonly string[]> = {
  // The paper-specific parts: the published tables' transcription, its audit and the reproduction check.
  'lib/report/published.ts': true,
  'steps/render/audit.ts': true,
  'lib/report/reproduction.ts': true,
  // The paper's own finding that environment beats community safety in the areas asking both.
  'steps/render/findings.ts': ['environment', 'community safety', ...ITEMS],
  // The synthetic replica: each council's export layout and the targets calibrated against the paper.
  'tools/synth/': true,
  // Parameter values and their description in Methods: the experiment adjusts for the demographics.
  'pipeline.ts': DEMOGRAPHICS,
  'steps/render/methods.ts': DEMOGRAPHICS,
};

function names(): string[] {
  const out = new Set<string>([...ITEMS, ...DEMOGRAPHICS, ...Object.keys(study.themes), ...Object.keys(study.sub_items), ...Object.keys(study.predictors)]);
  for (const a of study.areas) {
    out.add(a.name);
    out.add(a.slug);
    for (const t of Object.values(a.themes as Record<string, { activities: string[] }>)) for (const i of t.activities) out.add(i);
  }
  return [...out];
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : /\.ts$/.test(e.name) ? [join(dir, e.name)] : []));
}

/** The code without its comments, line numbers kept. */
const withoutComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, '')).replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test("no area, theme or item of the study is written in code outside the files allowed, each for its reason", () => {
  const patterns = names().map((n) => ({ name: n, re: new RegExp(`['"\`/]${escape(n)}['"\`/]`) }));
  const files = [...['contract', 'lib', 'steps', 'runner'].flatMap((d) => sources(join(root, d))), join(root, 'pipeline.ts')];
  const found: string[] = [];
  for (const file of files) {
    const rel = relative(root, file);
    const allowed = Object.entries(ALLOWED).find(([path]) => (path.endsWith('/') ? rel.startsWith(path) : rel === path))?.[1];
    if (allowed === true) continue;
    withoutComments(readFileSync(file, 'utf8'))
      .split('\n')
      .forEach((line, i) => {
        for (const { name, re } of patterns) if (re.test(line) && !allowed?.includes(name)) found.push(`${rel}:${i + 1}: ${JSON.stringify(name)}`);
      });
  }
  assert.equal(found, []);
});

test('the search finds a name where one is written', () => {
  const re = new RegExp(`['"\`/]${escape('Derbyshire Dales')}['"\`/]`);
  assert.ok(re.test(withoutComments("const area = 'Derbyshire Dales';")));
  assert.not.ok(re.test(withoutComments('// Derbyshire Dales asked three themes')));
});

test.run();
