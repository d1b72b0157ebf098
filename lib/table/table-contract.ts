/**
 * The CSV tables one step writes and another reads, as schemas/<step>.tables.json describes them: the
 * writer takes its header from the contract and every reader checks the header it finds against it, so a
 * column is named in one place and a table of another shape stops its reader naming the column.
 */
import { DataError } from '../../contract/step.js';

export interface ColumnSpec {
  name: string;
  /** integer, number, string or boolean (schemas/tables.schema.json): what a non-empty cell holds. */
  type: string;
  description: string;
  /** Readers accept a table without it. */
  optional?: boolean;
}

/** One schemas/<step>.tables.json (schemas/tables.schema.json). */
export interface TablesFile {
  $id: string;
  step: string;
  tables: ReadonlyArray<{ files: readonly string[]; description: string; columns: readonly ColumnSpec[] }>;
}

/** One table's contract: which file of which step, where it is described, its columns in order. */
export interface TableContract {
  file: string;
  step: string;
  /** schemas/<step>.tables.json */
  schema: string;
  columns: readonly ColumnSpec[];
}

/** The contract of `file` in a tables file; a table the file does not list is a programming error. */
export function tableContract(doc: TablesFile, file: string): TableContract {
  const table = doc.tables.find((t) => t.files.includes(file));
  if (!table) throw new Error(`schemas/${doc.$id} describes no table ${file}`);
  return { file, step: doc.step, schema: `schemas/${doc.$id}`, columns: table.columns };
}

/** The header the writer writes: every column, in order. */
export const headerOf = (c: TableContract): readonly string[] => c.columns.map((col) => col.name);

/**
 * Checks a header read from `path` against the contract: every column it requires, no other, in the
 * contract's order. A DataError names the file, line 1 and the first column that is missing, unexpected
 * or out of place.
 */
export function checkHeader(header: readonly string[], c: TableContract, path: string): void {
  const where = (column: string) => ({ file: path, line: 1, column });
  const known = new Set(c.columns.map((col) => col.name));
  const fix = `${path} is not the ${c.file} that step "${c.step}" writes (${c.schema}); re-run ${c.step}, or ${c.schema} and the step disagree`;
  const unexpected = header.filter((name) => !known.has(name));
  const others = unexpected.length ? `; the header has ${unexpected.map((u) => `"${u}"`).join(', ')}, which ${c.schema} does not list` : '';
  for (const col of c.columns)
    if (!col.optional && !header.includes(col.name)) throw new DataError(`missing column "${col.name}" (${col.description})${others}: ${fix}`, where(col.name));
  if (unexpected.length) throw new DataError(`unexpected column "${unexpected[0]}": ${fix}`, where(unexpected[0]!));
  const expected = c.columns.map((col) => col.name).filter((name) => header.includes(name));
  const at = header.findIndex((name, i) => name !== expected[i]);
  if (at >= 0) throw new DataError(`column ${at + 1} is "${header[at]}" where ${c.schema} puts "${expected[at]}": ${fix}`, where(header[at]!));
}
