/**
 * The row lineage of compare-waves' tables (for `explain --cell`): each row names the rows of the two
 * waves' inputs it rests on, by input file (`index[2013]:scores.arrow`, `correlate[2014]:table3-r.csv`)
 * and 1-based row. Rows of several wave pairs share one list of files.
 */
import { rangesOf, RowLineage } from './row-lineage.js';

/** One table row's sources: per input file, its rows. */
export type Sources = Array<[file: string, rows: number[]]>;

export class TableLineage {
  private readonly files: string[] = [];
  private readonly rows: Array<Array<[number, number[]]>> = [];

  /** Adds the next row's sources. */
  readonly add = (sources: Sources): void => {
    this.rows.push(sources.map(([file, rows]) => [this.indexOf(file), rows]));
  };

  private indexOf(file: string): number {
    const at = this.files.indexOf(file);
    return at >= 0 ? at : this.files.push(file) - 1;
  }

  json(): string {
    // The files are known only once every row is in: rows name them by position meanwhile.
    const lineage = new RowLineage(this.files, this.files.map(() => 'row' as const));
    for (const refs of this.rows) lineage.add(refs.map(([at, rows]) => [at, rangesOf(rows)]));
    return lineage.json();
  }
}
