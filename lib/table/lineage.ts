/**
 * The row lineage of compare-waves' tables (for `explain --cell`): each row names the rows of the two
 * waves' inputs it rests on, by input file (`index[2013]:scores.arrow`, `correlate[2014]:table3-r.csv`)
 * and 1-based row. Rows of several wave pairs share one list of files.
 */
import { rowLineage } from './row-lineage.js';

/** One table row's sources: per input file, its rows. */
export type Sources = Array<[file: string, rows: number[]]>;

export class TableLineage {
  private readonly files: string[] = [];
  private readonly rows: Array<{ refs: Array<[number, number[]]> }> = [];

  /** Adds the next row's sources. */
  readonly add = (sources: Sources): void => {
    this.rows.push({ refs: sources.map(([file, rows]) => [this.indexOf(file), rows]) });
  };

  private indexOf(file: string): number {
    const at = this.files.indexOf(file);
    return at >= 0 ? at : this.files.push(file) - 1;
  }

  json(): string {
    return rowLineage(this.files, this.files.map(() => 'row' as const), this.rows);
  }
}
