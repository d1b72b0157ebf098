/**
 * The files a wildcard pattern finds, read into values and checked against the pattern's rules
 * (dag.ts `WildcardRules`) before any step runs: a stray, misnamed or second file stops the run with
 * a message naming it, rather than becoming a branch of its own or being skipped without a word.
 */
import { namesIn, type WildcardRules } from './dag.js';
import { PipelineError } from './errors.js';

export type Values = Record<string, string>;
/** Lists project files matching a glob (relative paths); `ignoreCase` matches names whatever their case. */
export type Glob = (pattern: string, options?: { ignoreCase?: boolean }) => string[];

const WILDCARD = /\{[a-z][a-z0-9_]*\}/g;

/** A pattern as a regular expression: `{name}` captures one path segment, `{a,b}` is a choice, `*` and `**` as in globs. */
export function patternRegex(pattern: string, ignoreCase = false): RegExp {
  const source = pattern
    .split(/(\{[a-z][a-z0-9_]*\}|\{[^{}/]*,[^{}/]*\}|\*\*|\*)/)
    .map((part) => {
      if (/^\{[a-z][a-z0-9_]*\}$/.test(part)) return '([^/]+)';
      if (part.startsWith('{')) return `(?:${part.slice(1, -1).split(',').map(escape).join('|')})`;
      return part === '**' ? '.*' : part === '*' ? '[^/]*' : escape(part);
    })
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '');
}

const escape = (text: string) => text.replace(/[.+?^$()|[\]\\{}]/g, '\\$&');

/** Every combination of values the pattern's files give, checked against its rules, with the file each came from. */
export function filesByValues(pattern: string, glob: Glob, rules: WildcardRules = {}): Array<{ values: Values; files: string[] }> {
  const names = namesIn(pattern);
  const regex = patternRegex(pattern, rules.ignoreCase);
  const found = new Map<string, { values: Values; files: string[] }>();
  for (const path of glob(pattern.replace(WILDCARD, '*'), { ignoreCase: rules.ignoreCase }).sort()) {
    const m = regex.exec(path);
    if (!m) continue;
    const values: Values = {};
    names.forEach((n, i) => (values[n] = rules.ignoreCase ? m[i + 1]!.toLowerCase() : m[i + 1]!));
    for (const [n, v] of Object.entries(values)) {
      const allowed = rules.allowed?.[n];
      if (allowed && !(Array.isArray(allowed) ? allowed.includes(v) : (allowed as RegExp).test(v)))
        throw new PipelineError(
          `${path} gives {${n}} = ${JSON.stringify(v)}, which is not ${Array.isArray(allowed) ? `one of ${allowed.join(', ')}` : `of the form ${allowed}`} (pattern ${pattern})`,
          `Rename the file to what it holds, or move it out of ${path.slice(0, path.lastIndexOf('/') + 1) || 'the folder'}.`,
        );
      if (!/^[A-Za-z0-9_.-]+$/.test(v)) throw new PipelineError(`wildcard {${n}} of ${pattern} matched "${v}" in ${path}; values must be letters, digits, dot, dash or underscore`);
    }
    const key = JSON.stringify(names.map((n) => values[n]));
    const slot = found.get(key);
    if (slot && rules.unique) {
      const said = names.map((n) => `{${n}} = ${values[n]}`).join(', ');
      throw new PipelineError(`${slot.files[0]} and ${path} are both ${said} (pattern ${pattern}): one file each`, 'Keep the right one and move the other out of the folder.');
    }
    if (slot) slot.files.push(path);
    else found.set(key, { values, files: [path] });
  }
  if (rules.noOtherFiles) checkNoOtherFiles(pattern, glob, rules, regex);
  return [...found.values()];
}

/** Files in the pattern's folders (those whose folder values are allowed) that the pattern does not match. */
function checkNoOtherFiles(pattern: string, glob: Glob, rules: WildcardRules, regex: RegExp): void {
  const cut = pattern.lastIndexOf('/');
  const folder = pattern.slice(0, cut);
  const folderRegex = patternRegex(folder, rules.ignoreCase);
  const folderNames = namesIn(folder);
  for (const path of glob(`${folder.replace(WILDCARD, '*')}/*`).sort()) {
    if (regex.test(path)) continue;
    const m = folderRegex.exec(path.slice(0, path.lastIndexOf('/')));
    if (!m) continue;
    const inAllowedFolder = folderNames.every((n, i) => {
      const allowed = rules.allowed?.[n];
      const v = rules.ignoreCase ? m[i + 1]!.toLowerCase() : m[i + 1]!;
      return !allowed || (Array.isArray(allowed) ? allowed.includes(v) : (allowed as RegExp).test(v));
    });
    if (inAllowedFolder)
      throw new PipelineError(`${path} is not a file the pipeline reads: files in this folder must match ${pattern.slice(cut + 1)} (pattern ${pattern})`, 'Rename it, convert it to a format the pattern names, or move it out of the folder.');
  }
}
