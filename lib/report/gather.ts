/**
 * Render reads the analysis of every wave at once: each per-wave step hands over one table, one
 * cleaning log and one validation report per wave. These functions put the waves together in the
 * order the runner lists them (wave order), keeping the originals for the provenance appendix.
 */
import { artifact, DataError, type Artifact, type StepInputs } from '../../contract/step.js';
import type { CleaningLog } from '../survey/cleaning-log.js';
import type { ValidationReport } from '../survey/validation-report.js';
import { RowLineage } from '../table/row-lineage.js';

export interface Gathered {
  /** One artifact holding every wave's rows under a single header. */
  merged: Artifact;
  /** The per-wave artifacts it was made from. */
  parts: Artifact[];
}

/** The CSVs of one input, one per wave, as one table; every part must have the same header. */
export function gatherCsv(inputs: StepInputs, name: string): Gathered {
  const parts = inputs[name] ?? [];
  if (!parts.length) throw new DataError(`render needs at least one "${name}" input`);
  if (parts.length === 1) return { merged: parts[0]!, parts };
  const [header, ...bodies] = parts.map((p) => splitHeader(p));
  const lines = [header!.header];
  for (const [i, part] of [header!, ...bodies].entries()) {
    if (part.header !== header!.header)
      throw new DataError(`its header differs from that of ${parts[0]!.path}`, { file: parts[i]!.path, line: 1, value: part.header });
    lines.push(...part.rows);
  }
  return { merged: artifact(parts.map((p) => p.path).join(' + '), lines.join('\n') + '\n'), parts };
}

function splitHeader(a: Artifact): { header: string; rows: string[] } {
  const [header = '', ...rows] = a.text().replace(/\n$/, '').split('\n');
  return { header, rows: rows.filter((r) => r !== '') };
}

/** Cleaning logs of several waves: their files (keyed by raw path, so disjoint) side by side. */
export function mergeCleaningLogs(logs: CleaningLog[]): CleaningLog | undefined {
  if (!logs.length) return undefined;
  if (logs.length === 1) return logs[0];
  return {
    ...logs[0]!,
    synthetic: logs.some((l) => l.synthetic),
    files: Object.assign({}, ...logs.map((l) => l.files)),
  };
}

/** Validation reports of several waves, with their totals added up. */
export function mergeValidationReports(reports: ValidationReport[]): ValidationReport | undefined {
  if (!reports.length) return undefined;
  if (reports.length === 1) return reports[0];
  const sum = (key: 'raw_rows' | 'valid' | 'rejected') => reports.reduce((s, r) => s + (r.totals?.[key] ?? 0), 0);
  return {
    ...reports[0]!,
    synthetic: reports.some((r) => r.synthetic),
    files: Object.assign({}, ...reports.map((r) => r.files)),
    totals: { raw_rows: sum('raw_rows'), valid: sum('valid'), rejected: sum('rejected') },
  };
}

/** The row lineage of a gathered table (`explain --cell`): its row k is row j of the part it came from. */
export function gatheredLineage(g: Gathered): string {
  const lineage = new RowLineage(g.parts.map((p) => p.path), g.parts.map(() => 'row'));
  g.parts.forEach((part, i) => splitHeader(part).rows.forEach((_, j) => lineage.addOne(i, j + 1)));
  return lineage.json();
}
