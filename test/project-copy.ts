/**
 * Throw-away copies of the project itself (its pipeline, steps, schemas and raw/), run in-process
 * through the CLI's `main`, for end-to-end tests of what a research team does to raw/.
 */
import { cpSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../runner/cli.js';

export const repo = new URL('..', import.meta.url).pathname;
const COPIED = ['pipeline.ts', 'package.json', 'package-lock.json', 'contract', 'lib', 'runner', 'steps', 'schemas', 'raw'];

export function freshCopy(name: string): string {
  const dir = join(repo, 'test', '.tmp', `${name}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const entry of COPIED) cpSync(join(repo, entry), join(dir, entry), { recursive: true });
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

export async function run(dir: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), interactive: false, cwd: dir });
  return { code, out, err };
}
