import { isRowLineage, lineageLength, lineageRows } from '../contract/row-lineage.js';

/**
 * A row-lineage sidecar read back row by row, each input's runs spelled out as its rows: what each
 * output row rests on, to compare whole. Fails on a sidecar not in the shape of the schema.
 */
export function expandedRows(json: string): Array<Array<[number, number[]]>> {
  const parsed: unknown = JSON.parse(json);
  if (!isRowLineage(parsed)) throw new Error(`not a row lineage of version 2: ${json.slice(0, 200)}`);
  const refsOf = lineageRows(parsed);
  return Array.from({ length: lineageLength(parsed) }, (_, k) =>
    refsOf(k + 1)!.map(([input, ranges]): [number, number[]] => [input, ranges.flatMap(([first, last]) => Array.from({ length: last - first + 1 }, (_, i) => first + i))]),
  );
}
