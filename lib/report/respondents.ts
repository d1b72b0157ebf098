/**
 * Respondents achieved per area and wave, from the cleaning log (which file is which wave and area)
 * joined with the validation report (how many of its rows were valid). When either is missing a file,
 * the largest respondents count Table 2 gives for the area stands in.
 */
import type { CleaningLog } from '../survey/cleaning-log.js';
import type { ValidationReport } from '../survey/validation-report.js';
import type { LevelRow } from './inputs.js';

export interface AreaCount {
  wave: number;
  area: string;
  raw_rows: number | null;
  valid: number | null;
  rejected: number | null;
  source: 'validation' | 'table2';
}

export function respondentsByArea(cleaning: CleaningLog | undefined, validation: ValidationReport | undefined, levels: readonly LevelRow[]): AreaCount[] {
  const out = new Map<string, AreaCount>();
  for (const [file, log] of Object.entries(cleaning?.files ?? {})) {
    const report = validation?.files?.[file];
    if (!report || typeof log?.wave !== 'number' || typeof log?.area !== 'string') continue;
    const key = `${log.wave}|${log.area}`;
    const prev = out.get(key);
    out.set(key, {
      wave: log.wave,
      area: log.area,
      raw_rows: (prev?.raw_rows ?? 0) + report.raw_rows,
      valid: (prev?.valid ?? 0) + report.valid,
      rejected: (prev?.rejected ?? 0) + report.rejected,
      source: 'validation',
    });
  }
  for (const row of levels) {
    const key = `${row.wave}|${row.area}`;
    if (out.has(key) && out.get(key)!.source === 'validation') continue;
    const prev = out.get(key);
    const n = Math.max(prev?.valid ?? 0, row.respondents ?? 0);
    out.set(key, { wave: row.wave, area: row.area, raw_rows: null, valid: n, rejected: null, source: 'table2' });
  }
  return [...out.values()];
}

export function respondentsFor(counts: readonly AreaCount[], wave: number, area: string): number | null {
  return counts.find((c) => c.wave === wave && c.area === area)?.valid ?? null;
}
