/**
 * npm run synth                         → rewrites raw/2013, raw/2014 and raw/codebooks (the shipped replica),
 *                                         except the exports that ship re-sent as .sav or .xlsx (resent.ts,
 *                                         written by npm run resend)
 * npm run synth -- --respondents N --out DIR [--waves 2013,2014] [--seed S]
 *                                       → a larger panel under DIR/raw/…, streamed to disk in chunks
 * npm run synth -- --areas leeds        → only these areas' exports and codebooks (by slug): an area added
 *                                         to raw/study.json gets a replica without touching the others
 *
 * The only module of the generator that touches the file system.
 */
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AREA_SLUGS, AREAS } from './study.js';
import { codebookFiles, exportChunks, exportPath, WAVES } from './generate.js';
import { SEED } from './parameters.js';
import { resentPath } from './resent.js';

const { values } = parseArgs({
  options: {
    respondents: { type: 'string' },
    out: { type: 'string' },
    waves: { type: 'string' },
    seed: { type: 'string' },
    areas: { type: 'string' },
  },
});

const root = resolve(values.out ?? new URL('../..', import.meta.url).pathname);
const seed = values.seed !== undefined ? Number(values.seed) : SEED;
const respondents = values.respondents !== undefined ? Number(values.respondents) : undefined;
const waves = values.waves ? values.waves.split(',').map(Number) : [...WAVES];
for (const [name, v] of [['--seed', seed], ['--respondents', respondents ?? 1]] as const) {
  if (!Number.isInteger(v) || v < 0) {
    console.error(`${name} must be a whole number, got ${JSON.stringify(v)}`);
    process.exit(2);
  }
}
if (waves.length === 0 || waves.some((w) => !(WAVES as readonly number[]).includes(w))) {
  console.error(`--waves must list waves from ${WAVES.join(', ')}, got ${JSON.stringify(values.waves)}`);
  process.exit(2);
}
const slugs = values.areas?.split(',');
const unknown = slugs?.filter((s) => !Object.values(AREA_SLUGS).includes(s)) ?? [];
if (slugs && (slugs.length === 0 || unknown.length)) {
  console.error(`--areas must list slugs of raw/study.json's areas (${Object.values(AREA_SLUGS).join(', ')}), got ${JSON.stringify(values.areas)}`);
  process.exit(2);
}
const areas = slugs ? AREAS.filter((a) => slugs.includes(AREA_SLUGS[a]!)) : AREAS;
if (!values.out && (respondents !== undefined || values.seed !== undefined)) {
  console.error('--respondents and --seed need --out DIR: raw/ holds the shipped replica (default seed, paper counts)');
  process.exit(2);
}

async function writeExport(path: string, chunks: Iterable<string>): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  for (const chunk of chunks) {
    // Wait for the disk when the buffer is full, so memory stays bounded however large the panel.
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((done, fail) => out.end((err?: Error | null) => (err ? fail(err) : done())));
}

for (const wave of waves) {
  for (const area of areas) {
    const resent = values.out ? undefined : resentPath(exportPath(area, wave));
    if (resent) {
      console.log(`kept ${join(root, resent)} (re-sent as a council would; npm run resend writes it)`);
      continue;
    }
    const path = join(root, exportPath(area, wave));
    await writeExport(path, exportChunks(area, wave, { seed, respondents, waves }));
    console.log(`wrote ${path}`);
  }
}
for (const file of codebookFiles(waves, areas)) {
  const path = join(root, file.path);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, file.content);
  console.log(`wrote ${path}`);
}
