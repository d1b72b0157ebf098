/**
 * The command line's grammar, declared once: every verb with its options. Parsing, the errors for
 * unknown verbs and flags (with the nearest known name), and each verb's `--help` all derive from
 * this table, so a flag cannot be documented and ignored, or accepted and undocumented.
 */
import { PipelineError } from './errors.js';

export interface OptionSpec {
  name: string;
  /** One-letter form, e.g. `n` for `-n`. */
  short?: string;
  /** Takes a value (`--only x`, `--only=x`); `optional`: only in the `--force=x` form. */
  value?: 'required' | 'optional';
  /** What the value stands for in help, e.g. `<step,...>`. */
  placeholder?: string;
  /** May be given several times; the values are kept in order. */
  repeat?: boolean;
  /** A boolean that also has a `--no-<name>` form. */
  negatable?: boolean;
  help: string;
}

export interface VerbSpec {
  name: string;
  /** What follows the verb in the usage line, e.g. `[step...]`. */
  operands: string;
  /** Most operands the verb takes (Infinity for a list). */
  maxOperands: number;
  summary: string;
  description: string;
  options: OptionSpec[];
}

const json: OptionSpec = { name: 'json', help: 'Print the result as JSON (its shape: schemas/cli-<verb>.schema.json).' };
const set: OptionSpec = {
  name: 'set',
  short: 'S',
  value: 'required',
  repeat: true,
  placeholder: '<step.param=value>',
  help: 'Set a step parameter for this invocation only (repeatable); see the params verb.',
};

/** Options every verb takes. */
export const GLOBAL_OPTIONS: OptionSpec[] = [
  { name: 'project', short: 'C', value: 'required', placeholder: '<dir>', help: 'The project folder (default: the current folder).' },
  { name: 'help', short: 'h', help: 'Show help (for a verb: npm run pipeline -- <verb> --help).' },
  { name: 'version', help: 'Print the version of the pipeline and exit.' },
];

export const VERBS: VerbSpec[] = [
  {
    name: 'run',
    operands: '[step...]',
    maxOperands: Infinity,
    summary: 'Run the pipeline (default). With step names: those steps and what they need.',
    description: `Runs every step whose cache entry is missing or stale; serves the rest from derived/.
A step is a declared step (correlate: every branch) or one branch (correlate[2013]).`,
    options: [
      { name: 'dry-run', short: 'n', help: 'Show what would run and why; run nothing, write nothing.' },
      { name: 'only', value: 'required', placeholder: '<step,...>', help: 'Run only these steps; their upstream steps must already be cached.' },
      { name: 'force', value: 'optional', placeholder: '<step,...>', help: 'Recompute (all selected steps, or the named ones) even when cached.' },
      set,
      { name: 'keep-going', help: 'After a failure, still run the steps that do not depend on it.' },
      {
        name: 'jobs',
        short: 'j',
        value: 'required',
        placeholder: '<N>',
        help: 'Run up to N independent steps at once, on N worker threads (default: the number of cores; 1: in this process). Never part of a cache key.',
      },
      { name: 'wait', negatable: true, help: '--no-wait: if another run holds derived/.lock, stop instead of waiting for it.' },
      { name: 'lock-timeout', value: 'required', placeholder: '<s>', help: 'How long to wait for another run, in seconds (default 600).' },
      json,
    ],
  },
  {
    name: 'status',
    operands: '',
    maxOperands: 0,
    summary: 'Show what a run would do, and exactly why each step would run.',
    description: `Per step: up to date, will run (with every reason: which input, parameter, code file or package
changed), will restore (a published file differs from what the step produced), or waits (an
upstream step runs first; this one re-checks after it). Runs nothing.`,
    options: [set, { name: 'last', help: 'Every reason of the last run, step by step, from derived/runs.ndjson.' }, json],
  },
  {
    name: 'dag',
    operands: '',
    maxOperands: 0,
    summary: 'Show the graph as text, Mermaid or DOT.',
    description: `Prints the steps in run order with their module and inputs, then the graph as a Mermaid flowchart.
With --branches, the graph of every branch (clean[2013,barnet] ...) as found on disk now.`,
    options: [
      { name: 'text', help: 'Only the list of steps.' },
      { name: 'mermaid', help: 'Only the Mermaid flowchart.' },
      { name: 'dot', help: 'Only the graph in Graphviz DOT (npm run pipeline -- dag --dot | dot -Tsvg).' },
      { name: 'branches', help: 'The graph of branches (one node per wave, area ...) instead of declared steps.' },
      json,
    ],
  },
  {
    name: 'explain',
    operands: '<artifact>',
    maxOperands: 1,
    summary: 'Trace an artifact (reports/..., <step>:<file>, derived/...) back to raw files.',
    description: `<artifact> is a published file (reports/tables/table3.csv), a cache file
(derived/<step>/<key>/<file>), <step>:<file>, or a step name; a fanned-out step
(correlate, correlate:table3.csv) means each of its branches. Prints the entry that made it, its
code, packages and parameters, and its inputs, back to raw files with their hashes; a raw file
whose content changed since is marked. A table (CSV, Arrow, NDJSON) is summarised instead: its
columns and rows, its inputs, how far its row lineage reaches, and any raw file changed since
(--tree prints the whole tree; --json holds both). With --cell, one number of a table: its row's
lineage followed through each step's row lineage (<file>.lineage.json) down to the raw lines it rests on.`,
    options: [
      { name: 'cell', value: 'required', placeholder: '<row>:<column>', help: 'One cell of a CSV table (row 1 = the first data row), e.g. --cell 1:r: its lineage down to raw lines.' },
      { name: 'rows', help: 'With --cell: list every raw line the number rests on, with the identifier of its row.' },
      { name: 'tree', help: 'For a table: print the whole tree of entries and hashes instead of its summary.' },
      json,
    ],
  },
  {
    name: 'show',
    operands: '<artifact>',
    maxOperands: 1,
    summary: 'Print a table artifact (Arrow, CSV, NDJSON, JSON) as aligned text or CSV.',
    description: `<artifact> is addressed as explain addresses it (reports/tables/table3.csv, <step>:<file>,
derived/<step>/<key>/<file>; a fanned-out step's file means each of its branches), or a project file
such as raw/2013/barnet.csv. Prints its columns with their types, then its first rows.`,
    options: [
      { name: 'csv', help: 'Print CSV (every row unless --limit is given) instead of an aligned table.' },
      { name: 'limit', value: 'required', placeholder: '<N>', help: 'Print at most N rows (default 20 as a table; 0: every row).' },
      json,
    ],
  },
  {
    name: 'params',
    operands: '',
    maxOperands: 0,
    summary: 'List every step parameter: its type, allowed values, default and last value used.',
    description: `Lists each parameter as step.param with its type and allowed values, its default (pipeline.ts),
and the value the latest cache entry of each branch used. Set one for one invocation with
-S step.param=value on run or status.`,
    options: [json],
  },
  {
    name: 'verify',
    operands: '',
    maxOperands: 0,
    summary: 'Re-hash every cache entry against its manifest (--recompute: re-run and compare).',
    description: `Re-hashes every file of every cache entry and compares it with the entry's manifest, and checks the
other files the cache trusts: LATEST pointers, remembered hashes (derived/.state.json, corrected),
published files against their steps' entries, and the compiled runner (derived/.build/, rewritten
when it differs from a fresh compile). Exits 1 on any mismatch. --recompute also re-runs each step of
the current pipeline from its recorded inputs and checks that the outputs are byte-identical.`,
    options: [{ name: 'recompute', help: 'Also re-run each current step and compare its outputs byte for byte.' }, json],
  },
  {
    name: 'gc',
    operands: '',
    maxOperands: 0,
    summary: 'Remove cache entries the pipeline no longer refers to.',
    description: `Removes cache entries that are neither a step's current entry nor its latest one, and leftovers of
killed runs; each entry removed is named with its step or branch, parameters, size and what changed
since it was made.`,
    options: [
      { name: 'dry-run', short: 'n', help: 'List what would be removed; remove nothing.' },
      {
        name: 'keep-last',
        value: 'required',
        placeholder: '<N>',
        help: "Also keep each step's (or branch's) N most recent other entries, e.g. to get a reverted parameter or a wave taken out for a while back.",
      },
      json,
    ],
  },
];

/** A mistake on the command line: exit code 2, with the usage hint. */
export class UsageError extends PipelineError {
  constructor(message: string, hint?: string) {
    super(message, hint);
    this.name = 'UsageError';
  }
}

export interface ParsedArgs {
  verb: string;
  operands: string[];
  /** By option name: true/false for flags, a string for values, a string[] for repeatable ones. */
  options: Record<string, boolean | string | string[]>;
}

/** Splits argv into verb, operands and options, rejecting anything the verb does not declare. */
export function parseArgs(argv: string[]): ParsedArgs {
  const all = [...GLOBAL_OPTIONS, ...VERBS.flatMap((v) => v.options)];
  const verbName = findVerb(argv, all);
  const verb = VERBS.find((v) => v.name === verbName);
  if (!verb) throw new UsageError(`unknown verb "${verbName}"`, didYouMean(verbName, VERBS.map((v) => v.name)) ?? `Verbs: ${VERBS.map((v) => v.name).join(', ')}.`);
  const known = [...GLOBAL_OPTIONS, ...verb.options];
  const options: ParsedArgs['options'] = {};
  const operands: string[] = [];
  let verbSeen = false;
  const take = (spec: OptionSpec, value: string | boolean) => {
    if (spec.repeat) options[spec.name] = [...((options[spec.name] as string[] | undefined) ?? []), String(value)];
    else options[spec.name] = value;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const [rawName, inline] = splitOnce(arg.slice(2), '=');
      const negated = rawName.startsWith('no-') && known.find((o) => o.name === rawName.slice(3) && o.negatable);
      const spec = negated || known.find((o) => o.name === rawName);
      if (!spec) throw unknownOption(`--${rawName}`, verb, known);
      if (negated) {
        if (inline !== undefined) throw new UsageError(`--${rawName} takes no value`);
        options[spec.name] = false;
      } else if (!spec.value) {
        if (inline !== undefined) throw new UsageError(`--${rawName} takes no value (got "${inline}")`);
        options[spec.name] = true;
      } else if (inline !== undefined) take(spec, inline);
      else if (spec.value === 'optional') take(spec, true);
      else {
        const next = argv[++i];
        if (next === undefined || (next.startsWith('-') && next !== '-')) throw new UsageError(`--${rawName} needs a value: --${rawName} ${spec.placeholder ?? '<value>'}`);
        take(spec, next);
      }
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      // Short flags may be bundled (-nS a=b is -n -S a=b); a value may follow its letter directly (-Sa=b).
      for (let k = 1; k < arg.length; k++) {
        const letter = arg[k]!;
        const spec = known.find((o) => o.short === letter);
        if (!spec) throw unknownOption(`-${letter}`, verb, known);
        if (!spec.value) {
          options[spec.name] = true;
          continue;
        }
        const rest = arg.slice(k + 1);
        const value = rest || argv[++i];
        if (value === undefined) throw new UsageError(`-${letter} needs a value: -${letter} ${spec.placeholder ?? '<value>'}`);
        take(spec, value);
        break;
      }
      continue;
    }
    if (!verbSeen && arg === verb.name) verbSeen = true;
    else operands.push(arg);
  }
  if (operands.length > verb.maxOperands)
    throw new UsageError(
      verb.maxOperands === 0 ? `${verb.name} takes no operands (got "${operands.join(' ')}")` : `${verb.name} takes ${verb.operands}, got ${operands.length}: ${operands.join(' ')}`,
      `Usage: npm run pipeline -- ${verb.name} ${verb.operands}`.trimEnd(),
    );
  return { verb: verb.name, operands, options };
}

/** The verb is the first word that is not an option or an option's value; `run` when there is none. */
function findVerb(argv: string[], all: OptionSpec[]): string {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (arg.startsWith('--')) {
      const spec = all.find((o) => o.name === arg.slice(2));
      if (spec?.value === 'required') i++;
    } else if (arg.startsWith('-') && arg.length > 1) {
      // Bundled letters: the first that takes a value takes the rest of the word, or the next word.
      const at = [...arg.slice(1)].findIndex((letter) => all.some((o) => o.short === letter && o.value));
      if (at === arg.length - 2) i++;
    } else return arg;
  }
  return 'run';
}

function unknownOption(flag: string, verb: VerbSpec, known: OptionSpec[]): UsageError {
  // Any letter is one edit from any other: only long names get a suggestion.
  const names = flag.startsWith('--') ? known.flatMap((o) => [`--${o.name}`, ...(o.negatable ? [`--no-${o.name}`] : [])]) : [];
  const elsewhere = VERBS.filter((v) => v.options.some((o) => `--${o.name}` === flag || `-${o.short}` === flag)).map((v) => v.name);
  const hint = didYouMean(flag, names) ?? (elsewhere.length ? `${flag} is an option of: ${elsewhere.join(', ')}.` : undefined);
  return new UsageError(`unknown option ${flag} for ${verb.name}`, [hint, `See: npm run pipeline -- ${verb.name} --help`].filter(Boolean).join('\n  '));
}

/** `Did you mean "x"?` for the nearest candidate within a small edit distance, else undefined. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const near = nearest(word, candidates);
  return near === undefined ? undefined : `Did you mean "${near}"?`;
}

export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  // Up to a third of the word may be wrong (at least 1, at most 3 edits): closer than that is a typo.
  return best !== undefined && bestDistance <= Math.min(3, Math.max(1, Math.floor(word.length / 3))) ? best : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  return d[a.length]![b.length]!;
}

/** The help text of a verb (or, for `main`, of the whole command), from the table above. */
export function helpText(verbName: string): string {
  const line = (o: OptionSpec) => {
    const forms = [o.short ? `-${o.short}` : '', `--${o.negatable ? '[no-]' : ''}${o.name}${o.value === 'optional' ? `[=${o.placeholder}]` : o.value ? ` ${o.placeholder}` : ''}`].filter(Boolean).join(', ');
    return `  ${forms.padEnd(30)} ${o.help}`;
  };
  if (verbName === 'main')
    return [
      'Usage: npm run pipeline -- [verb] [options]',
      '',
      'Verbs:',
      ...VERBS.map((v) => `  ${`${v.name} ${v.operands}`.trimEnd().padEnd(30)} ${v.summary}`),
      '',
      'Global options:',
      ...GLOBAL_OPTIONS.map(line),
    ].join('\n');
  const verb = VERBS.find((v) => v.name === verbName)!;
  return [`Usage: npm run pipeline -- ${verb.name} ${verb.operands} [options]`.replace('  ', ' '), '', verb.description, '', 'Options:', ...verb.options.map(line), ...GLOBAL_OPTIONS.map(line)].join('\n');
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
