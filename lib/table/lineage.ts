/**
 * The row lineage of compare-waves' tables (for `explain --cell`): each row names the rows of the two
 * waves' inputs it rests on, by input file (`index[2013]:scores.arrow`, `correlate[2014]:table3-r.csv`)
 * and 1-based row. Rows of several wave pairs share one list of files.
 */
import { rangesOf, RowLineage } from './row-lineage.js';

/** One table row's sources: per input file, its rows. */
export type Sources = Array<[file: string, rows: number[]]>;

export class TableLineage {
  // The writer reads the files only when it writes: they are added as rows first name them.
  private readonly files: string[] = [];
  private readonly units: Array<'row'> = [];
  private readonly lineage = new RowLineage(this.files, this.units);

  /** Adds the next row's sources. */
  readonly add = (sources: Sources): void => {
    this.lineage.add(sources.map(([file, rows]) => [this.indexOf(file), rangesOf(rows)]));
  };

  private indexOf(file: string): number {
    const at = this.files.indexOf(file);
    if (at >= 0) return at;
    this.units.push('row');
    return this.files.push(file) - 1;
  }

  json(): string {
    return this.lineage.json();
  }
}
