/**
 * JSON that people edit by hand (codebooks, the study's files), read strictly: a syntax error names its
 * line and column, a key given twice in one object is an error (JSON.parse would keep the last one
 * without a word, and a mapping would be lost), and a byte-order mark, as Windows Notepad writes, is
 * accepted. Parsed with momoa, which keeps every node's position.
 */
import { evaluate, parse, type AnyNode } from '@humanwhocodes/momoa';
import { DataError } from '../../contract/step.js';

export function parseJsonSource(text: string, file: string): unknown {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let document;
  try {
    document = parse(source);
  } catch (error) {
    const { line, column } = error as { line?: number; column?: number };
    const message = String((error as Error).message).replace(/\s*\(\d+:\d+\)$/, '');
    throw new DataError(`not valid JSON${column !== undefined ? ` (column ${column})` : ''}: ${message}; check the quotes, commas and brackets there`, { file, line });
  }
  rejectDuplicateKeys(document.body, '', file);
  return evaluate(document.body);
}

function rejectDuplicateKeys(node: AnyNode, path: string, file: string): void {
  if (node.type === 'Object') {
    const seen = new Map<string, number>();
    for (const member of node.members) {
      const key = member.name.type === 'String' ? member.name.value : member.name.name;
      const first = seen.get(key);
      if (first !== undefined)
        throw new DataError(`the key ${JSON.stringify(key)} appears twice in this object (first on line ${first}); only one can count: remove or rename one`, {
          file,
          line: member.name.loc.start.line,
          path: path || '/',
        });
      seen.set(key, member.name.loc.start.line);
      rejectDuplicateKeys(member.value, `${path}/${escapePointer(key)}`, file);
    }
  } else if (node.type === 'Array') {
    node.elements.forEach((element, i) => rejectDuplicateKeys(element.value, `${path}/${i}`, file));
  }
}

/** A key as a JSON Pointer segment (RFC 6901). */
export function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * The line a JSON Pointer's value starts on in `text` (its nearest existing ancestor's when the path
 * does not exist, e.g. a required key that is missing): so an error in a hand-edited file names a line.
 */
export function lineOfPointer(text: string, pointer: string): number | undefined {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let node: AnyNode;
  try {
    node = parse(source).body;
  } catch {
    return undefined;
  }
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const next: AnyNode | undefined =
      node.type === 'Object'
        ? node.members.find((m) => (m.name.type === 'String' ? m.name.value : m.name.name) === key)?.value
        : node.type === 'Array'
          ? node.elements[Number(key)]?.value
          : undefined;
    if (!next) break;
    node = next;
  }
  return node.loc.start.line;
}
