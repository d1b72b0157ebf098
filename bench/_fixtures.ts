/**
 * What the benchmarks work on (a helper module: `npm run bench` skips files whose name starts with "_"):
 * the large synthetic panel, generated once and reused, and throwaway copies of the project.
 */
import { cpSync, createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AREAS } from '../tools/synth/study.js';
import { codebookFiles, exportChunks, exportPath } from '../tools/synth/generate.js';
import { SEED } from '../tools/synth/parameters.js';

const repo = new URL('..', import.meta.url).pathname;

export const panelDir = (respondents: number) => join(repo, 'bench/.tmp', `panel-${respondents}`);

/**
 * bench/.tmp/panel-<respondents>/: wave 2013 of the replica at that size (areas in the paper's
 * proportions) with its codebooks, streamed to disk; generated on first use, then reused.
 */
export async function largePanel(respondents: number): Promise<string> {
  const panel = panelDir(respondents);
  if (existsSync(join(panel, 'complete'))) return panel;
  const tmp = `${panel}.partial`;
  rmSync(tmp, { recursive: true, force: true });
  for (const area of AREAS) {
    const path = join(tmp, exportPath(area, 2013));
    mkdirSync(dirname(path), { recursive: true });
    const out = createWriteStream(path);
    for (const chunk of exportChunks(area, 2013, { seed: SEED, respondents, waves: [2013] })) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((r) => out.end(() => r()));
  }
  for (const f of codebookFiles([2013])) {
    mkdirSync(dirname(join(tmp, f.path)), { recursive: true });
    await new Promise<void>((r) => createWriteStream(join(tmp, f.path)).end(f.content, () => r()));
  }
  await new Promise<void>((r) => createWriteStream(join(tmp, 'complete')).end('', () => r()));
  renameSync(tmp, panel);
  return panel;
}

/**
 * A fresh copy of the project at `dir` (code, schemas, codebooks, published tables; node_modules
 * linked), with no wave in raw/ (the study, codebooks and the rest of raw/ copied) and nothing in derived/ but the compiled runner.
 */
export function projectCopy(dir: string, build: (cwd: string) => void): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'raw'), { recursive: true });
  for (const entry of ['pipeline.ts', 'package.json', 'package-lock.json', 'contract', 'lib', 'runner', 'steps', 'schemas']) cpSync(join(repo, entry), join(dir, entry), { recursive: true });
  // Everything in raw/ but the waves: the study, codebooks, published tables, margins, references.
  for (const entry of readdirSync(join(repo, 'raw'))) if (!/^\d{4}$/.test(entry)) cpSync(join(repo, 'raw', entry), join(dir, 'raw', entry), { recursive: true });
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
  build(dir);
}
