/**
 * compare-waves receives one artifact per wave for each input (the runner gathers the per-wave branches).
 * Here they are matched up by the wave each one holds, read from its content, so that nothing depends on
 * the order the list came in; a wave missing one of its parts is a DataError naming the files.
 */
import { DataError, type Artifact, type StepInputs } from '../../contract/step.js';
import { readScores } from '../../lib/table/scores.js';
import { readProvenanceRecord } from '../../lib/table/provenance-record.js';
import { readCleaningLog, type CleaningLog } from '../../lib/survey/cleaning-log.js';
import { exportWave } from '../../lib/survey/exports.js';
import { readValidationReport, type ValidationReport } from '../../lib/survey/validation-report.js';
import { branchWave, readPanelScores, scoresWave, type WaveScores } from './panel-scores.js';

export interface WaveBundle {
  wave: number;
  /** Read when first asked for: a first wave, with nothing before it to compare with, never needs it. */
  readonly scores: WaveScores;
  table3: Artifact | undefined;
  table4: Artifact | undefined;
  cleaning: { file: string; log: CleaningLog };
  validation: { file: string; report: ValidationReport } | undefined;
  /** Raw export path → sha256, from clean's provenance record when it is an input. */
  rawHashes: Map<string, string> | undefined;
}

/** The wave of a per-wave artifact: the waves its content names, or else its branch name. */
function waveOf(art: Artifact, fromContent: number[]): number {
  const distinct = [...new Set(fromContent)];
  if (distinct.length > 1) throw new DataError(`expected one wave per input, found waves ${distinct.sort((a, b) => a - b).join(', ')}`, { file: art.path, value: distinct });
  const wave = distinct[0] ?? branchWave(art.path);
  if (wave === null || wave === undefined) throw new DataError('cannot tell which wave this input belongs to: it holds no rows and its path names no wave', { file: art.path });
  return wave;
}

/** Waves named in the first column of a CSV whose header starts with `wave`. */
function csvWaves(art: Artifact): number[] {
  const lines = art.text().replace(/^\uFEFF/, '').split('\n').filter((l) => l !== '');
  if (!lines[0]?.startsWith('wave,')) throw new DataError('expected a table whose first column is "wave"', { file: art.path, line: 1, value: lines[0] ?? '' });
  return lines.slice(1).map((l, i) => {
    const w = Number(l.slice(0, l.indexOf(',')));
    if (!Number.isInteger(w)) throw new DataError('wave is not a whole number', { file: art.path, line: i + 2, column: 'wave', value: l.slice(0, l.indexOf(',')) });
    return w;
  });
}

function byWave<T>(list: readonly Artifact[], name: string, read: (a: Artifact) => { wave: number; value: T }): Map<number, T> {
  const out = new Map<number, T>();
  const paths = new Map<number, string>();
  for (const art of list) {
    const { wave, value } = read(art);
    if (out.has(wave)) throw new DataError(`two "${name}" inputs for wave ${wave} (also ${paths.get(wave)})`, { file: art.path, value: wave });
    out.set(wave, value);
    paths.set(wave, art.path);
  }
  return out;
}

/**
 * Like byWave, for inputs that may come as one artifact per export of a wave (clean and validate run
 * per wave and area): the parts of one wave are merged, their paths joined with " + ".
 */
function mergedByWave<T>(list: readonly Artifact[], read: (a: Artifact) => { wave: number; value: T }, merge: (a: T, b: T) => T): Map<number, { value: T; path: string }> {
  const out = new Map<number, { value: T; path: string }>();
  for (const art of [...list].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const { wave, value } = read(art);
    const known = out.get(wave);
    out.set(wave, known ? { value: merge(known.value, value), path: `${known.path} + ${art.path}` } : { value, path: art.path });
  }
  return out;
}

/** Every wave's parts, in wave order. */
export function gatherWaves(inputs: StepInputs): WaveBundle[] {
  const scores = byWave(inputs.scores ?? [], 'scores', (art) => {
    const table = readScores(art.bytes, art.path);
    return { wave: scoresWave(table, art), value: { art, table } };
  });
  const csv = (name: string) => byWave(inputs[name] ?? [], name, (a) => ({ wave: waveOf(a, csvWaves(a)), value: a }));
  const table3 = csv('tables3');
  const table4 = csv('tables4');
  const cleaningParts = mergedByWave(
    inputs.cleaning ?? [],
    (a) => {
      const log = readCleaningLog(a);
      return { wave: waveOf(a, Object.values(log.files).map((f) => f.wave)), value: log };
    },
    (a, b) => ({ ...a, synthetic: a.synthetic || b.synthetic, files: { ...a.files, ...b.files } }),
  );
  const cleaning = new Map([...cleaningParts].map(([wave, { value, path }]) => [wave, { file: path, log: value }]));
  const validationParts = mergedByWave(
    inputs.validation ?? [],
    (a) => {
      const report = readValidationReport(a);
      return { wave: waveOf(a, Object.keys(report.files).map((f) => exportWave(f))), value: report };
    },
    (a, b) => ({
      ...a,
      synthetic: a.synthetic || b.synthetic,
      files: { ...a.files, ...b.files },
      totals: { raw_rows: a.totals.raw_rows + b.totals.raw_rows, valid: a.totals.valid + b.totals.valid, rejected: a.totals.rejected + b.totals.rejected },
    }),
  );
  const validation = new Map([...validationParts].map(([wave, { value, path }]) => [wave, { file: path, report: value }]));
  const hashParts = mergedByWave(
    inputs.cleanProvenance ?? [],
    (a) => {
      const exports = readProvenanceRecord(a).inputs.exports ?? [];
      return { wave: waveOf(a, exports.map((e) => exportWave(e.path))), value: new Map(exports.map((e) => [e.path, e.hash])) };
    },
    (a, b) => new Map([...a, ...b]),
  );
  const hashes = new Map([...hashParts].map(([wave, { value }]) => [wave, value]));

  const waves = [...scores.keys()].sort((a, b) => a - b);
  const given = (m: Map<number, unknown>) => m.size > 0;
  for (const [name, m] of [['tables3', table3], ['tables4', table4], ['cleaning', cleaning], ['validation', validation], ['cleanProvenance', hashes]] as const) {
    if (name === 'cleaning' || given(m)) {
      const extra = [...m.keys()].filter((w) => !scores.has(w));
      const missing = waves.filter((w) => !m.has(w));
      if (extra.length || missing.length)
        throw new DataError(`the "${name}" inputs cover waves ${[...m.keys()].sort().join(', ') || 'none'}, the scores waves ${waves.join(', ') || 'none'}: every input needs one artifact per wave`, {
          value: { missing, extra },
        });
    }
  }
  return waves.map((wave) => {
    let read: WaveScores | undefined;
    const { art, table } = scores.get(wave)!;
    return {
      wave,
      get scores() {
        return (read ??= readPanelScores(art, table));
      },
      table3: table3.get(wave),
      table4: table4.get(wave),
      cleaning: cleaning.get(wave)!,
      validation: validation.get(wave),
      rawHashes: hashes.get(wave),
    };
  });
}
