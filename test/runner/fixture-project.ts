/**
 * Throw-away projects for runner tests: a folder under test/.tmp/ with its own pipeline.ts, steps
 * and raw files, run in-process through the CLI's `main` with captured output.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { main } from '../../runner/cli.js';
import { openProject, type Project } from '../../runner/project.js';

const repo = new URL('../..', import.meta.url).pathname;
let counter = 0;

export interface FixtureProject {
  dir: string;
  write(path: string, content: string): void;
  read(path: string): string;
  exists(path: string): boolean;
  remove(): void;
  /** Runs `pipeline <args>` in this project; returns exit code and printed lines. */
  cli(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }>;
  /** Opens the project as the CLI does, for calling the runner's modules directly. */
  open(): Promise<Project>;
}

/** The runner's declaration helpers, imported by each fixture's pipeline.ts. */
export const DAG_MODULE = pathToFileURL(join(repo, 'runner', 'dag.ts')).href;

export function fixtureProject(files: Record<string, string>): FixtureProject {
  const dir = join(repo, 'test', '.tmp', `project-${process.pid}-${++counter}`);
  rmSync(dir, { recursive: true, force: true });
  // Node caches modules by URL: a query naming the file's content makes an edited step load afresh.
  const moduleUrl = (module: string) => {
    const path = join(dir, module);
    return `${pathToFileURL(path).href}?v=${createHash('sha1').update(readFileSync(path)).digest('hex')}`;
  };
  const project: FixtureProject = {
    dir,
    write(path, content) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    },
    read: (path) => readFileSync(join(dir, path), 'utf8'),
    exists: (path) => existsSync(join(dir, path)),
    remove: () => rmSync(dir, { recursive: true, force: true }),
    async cli(...args) {
      const out: string[] = [];
      const err: string[] = [];
      const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), interactive: false, cwd: dir, moduleUrl });
      return { code, out, err };
    },
    open: () => openProject({ root: dir, moduleUrl }),
  };
  for (const [path, content] of Object.entries(files)) project.write(path, content);
  return project;
}

/** A three-step pipeline: sum the numbers in raw/*.txt, double the sum, describe it. */
export function arithmeticProject(params: { factor?: number } = {}): FixtureProject {
  return fixtureProject({
    'pipeline.ts': arithmeticPipeline(params.factor ?? 2),
    'raw/a.txt': '1\n2\n3\n',
    'raw/b.txt': '10\n',
    'raw/unrelated.md': 'notes nobody reads\n',
    'steps/sum.ts': `import { parseNumbers } from './parse.js';
export default function sum(inputs: any) {
  const numbers = inputs.numbers.flatMap((a: any) => parseNumbers(a.text()));
  return { 'sum.json': JSON.stringify({ total: numbers.reduce((s: number, n: number) => s + n, 0), count: numbers.length }) };
}
`,
    'steps/parse.ts': `export const parseNumbers = (text: string) => text.split('\\n').filter(Boolean).map(Number);\n`,
    'steps/unused.ts': `export const nothing = 0;\n`,
    'steps/scale.ts': `export default function scale(inputs: any, params: { factor: number }) {
  const { total } = inputs.sum[0].json();
  return { 'scaled.csv': 'value\\n' + total * params.factor + '\\n' };
}
`,
    'steps/describe.ts': `export default function describe(inputs: any) {
  return { 'report.md': '# Result\\n\\nThe scaled total is ' + inputs.scaled[0].text().split('\\n')[1] + '.\\n' };
}
`,
  });
}

export function arithmeticPipeline(factor: number): string {
  return `import { definePipeline, step, raw, output } from '${DAG_MODULE}';
export default definePipeline([
  step('sum', { description: 'adds the numbers', module: 'steps/sum.ts', inputs: { numbers: raw('raw/*.txt') } }),
  step('scale', { description: 'multiplies the sum', module: 'steps/scale.ts', inputs: { sum: output('sum', 'sum.json') }, params: { factor: ${factor} } }),
  step('describe', { description: 'writes a sentence', module: 'steps/describe.ts', inputs: { scaled: output('scale', 'scaled.csv') }, publish: 'reports' }),
]);
`;
}

/** Per wave: sum the numbers, scale the sum (factor: a parameter); then one step gathers every wave. */
export function wavesProject(): FixtureProject {
  return fixtureProject({
    'package.json': '{ "name": "waves-fixture", "version": "1.2.3" }\n',
    'pipeline.ts': `import { definePipeline, step, raw, output } from '${DAG_MODULE}';
export default definePipeline([
  step('sum', { description: 'adds', module: 'steps/sum.ts', forEach: ['wave'], inputs: { numbers: raw('raw/{wave}/*.txt') } }),
  step('scale', {
    description: 'scales', module: 'steps/scale.ts', forEach: ['wave'], inputs: { sum: output('sum', 'sum.json') },
    params: { factor: 10, unit: 'm' },
    paramSchema: { unit: { type: 'string', enum: ['m', 'km'], description: 'the unit written after the value' } },
  }),
  step('combine', { description: 'gathers', module: 'steps/combine.ts', inputs: { scaled: output('scale', 'scaled.txt') }, publish: 'reports' }),
], { wildcards: ['raw/{wave}/*.txt'] });
`,
    'raw/2013/a.txt': '1\n2\n',
    'raw/2014/a.txt': '5\n',
    'steps/sum.ts': `export default (inputs: any) => ({ 'sum.json': JSON.stringify({ total: inputs.numbers.flatMap((a: any) => a.text().split('\\n').filter(Boolean).map(Number)).reduce((s: number, n: number) => s + n, 0) }) });\n`,
    'steps/scale.ts': `export default (inputs: any, params: any) => ({ 'scaled.txt': String(inputs.sum[0].json().total * params.factor) + ' ' + params.unit });\n`,
    'steps/combine.ts': `export default (inputs: any) => ({ 'all.txt': inputs.scaled.map((a: any) => a.path + '=' + a.text()).join('\\n') + '\\n' });\n`,
  });
}

/** The status column of each step line a run printed, by step. */
export function statuses(out: string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const line of out) {
    const m = /^(cached|ran|failed|skipped)\s+(\S+)/.exec(line);
    if (m) result[m[2]!] = m[1]!;
  }
  return result;
}
