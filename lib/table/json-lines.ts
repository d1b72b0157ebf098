/**
 * Where each value of a JSON text sits: the first and last line (1-based) it spans, by its JSON Pointer
 * (`/correlations/entries/3`). Row lineage names a raw JSON file's lines, so an entry of a hand-made
 * transcription can be followed to the lines a reviewer opens; JSON.parse keeps no positions.
 */

export type LineSpans = Map<string, [first: number, last: number]>;

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

export function jsonLineSpans(text: string): LineSpans {
  const spans: LineSpans = new Map();
  let at = 0;
  let line = 1;
  const skipSpace = () => {
    for (; at < text.length; at++) {
      const c = text[at]!;
      if (c === '\n') line++;
      else if (c !== ' ' && c !== '\t' && c !== '\r' && c !== '\ufeff') return;
    }
  };
  const string = (): string => {
    const start = at;
    for (at++; at < text.length && text[at] !== '"'; at++) if (text[at] === '\\') at++;
    at++;
    return JSON.parse(text.slice(start, at)) as string;
  };
  const expect = (c: string) => {
    skipSpace();
    if (text[at] !== c) throw new SyntaxError(`expected "${c}" at line ${line} of the JSON text`);
    at++;
  };
  const value = (pointer: string): void => {
    skipSpace();
    const first = line;
    const c = text[at];
    if (c === '{' || c === '[') {
      at++;
      skipSpace();
      const close = c === '{' ? '}' : ']';
      for (let i = 0; text[at] !== close; i++) {
        if (i > 0) expect(',');
        if (c === '{') {
          skipSpace();
          const key = string();
          expect(':');
          value(`${pointer}/${escapePointer(key)}`);
        } else value(`${pointer}/${i}`);
        skipSpace();
      }
      at++;
    } else if (c === '"') string();
    else for (; at < text.length && !/[\s,\]}]/.test(text[at]!); at++);
    spans.set(pointer, [first, line]);
  };
  value('');
  return spans;
}

/** Every line of a span, first to last. */
export const linesOf = ([first, last]: [number, number]): number[] => Array.from({ length: last - first + 1 }, (_, i) => first + i);
