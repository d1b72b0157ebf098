/**
 * Checks that a new wave is a wave: run before anything is compared, so that a bad wave stops the
 * comparison (and render, which reads it) while every earlier wave's cached results stay as they are.
 *
 *   - Every area an earlier wave has must have valid records where it has an export; an area without an
 *     export is left out of the comparison (the panel table says so), unless the study marks it required
 *     (a council that must send every wave: then its missing export stops the comparison).
 *   - No export may repeat an earlier wave's unchanged: the same bytes (sha256 of the raw file, from
 *     clean's provenance record when given) or, whatever the bytes, the same respondents with equal scores
 *     and predictors in every theme (which also catches a copy re-saved with other line ends or spacing).
 *     Only the scores table is compared, not the raw answers, and the message says so.
 *
 * A missing column is clean's to report (it names the file and the column).
 */
import { DataError } from '../../contract/step.js';
import { rankIn } from '../../lib/survey/analysis-vocabulary.js';
import type { WaveBundle } from './wave-inputs.js';

interface Problem {
  file: string;
  message: string;
  /** What to do about it; said once however many files share it. */
  advice?: string;
}

const OWN_EXPORT = "each wave's folder must hold that wave's own export";

/** Export file per area of a wave, from its cleaning log. */
function exportsOf(b: WaveBundle): Map<string, string> {
  return new Map(Object.entries(b.cleaning.log.files).map(([file, f]) => [f.area, file]));
}

function folderOf(b: WaveBundle): string {
  const file = Object.keys(b.cleaning.log.files).sort()[0];
  return file ? file.slice(0, file.lastIndexOf('/') + 1) : `raw/${b.wave}/`;
}

/** "2013", "2013 and 2014", "2012, 2013 and 2014". */
const listed = (xs: readonly number[]) => (xs.length < 2 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

function problemsOf(b: WaveBundle, earlier: readonly WaveBundle[]): Problem[] {
  const problems: Problem[] = [];
  const files = exportsOf(b);
  const wavesWith = new Map<string, number[]>();
  for (const e of earlier) for (const area of exportsOf(e).keys()) wavesWith.set(area, [...(wavesWith.get(area) ?? []), e.wave]);
  const areaRank = (area: string) => rankIn(b.scores.vocabulary.areas, area);
  const areas = [...wavesWith.keys()].sort((x, y) => areaRank(x) - areaRank(y));
  const had = (waves: readonly number[]) => `which ${waves.length === 1 ? 'wave' : 'waves'} ${listed(waves)} ${waves.length === 1 ? 'has' : 'have'}`;
  // Areas missing alike (the same earlier waves had them) are named in one sentence.
  const missing = new Map<string, string[]>();
  for (const area of areas) {
    const file = files.get(area);
    if (file === undefined) {
      if (!b.scores.vocabulary.required.includes(area)) continue;
      const key = wavesWith.get(area)!.join(',');
      missing.set(key, [...(missing.get(key) ?? []), area]);
    } else if (!b.scores.areas.some((a) => a.area === area)) {
      const report = b.validation?.report.files[file];
      const counts = report ? ` (${report.valid} valid of ${report.raw_rows} rows read)` : '';
      problems.push({ file, message: `no valid respondent for ${area}${counts}, ${had(wavesWith.get(area)!)}` });
    }
  }
  problems.unshift(
    ...[...missing].map(([key, names]) => ({
      file: folderOf(b),
      message: `no export for ${names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`}, ${had(key.split(',').map(Number))}, and the study (raw/study.json) marks ${names.length === 1 ? 'it' : 'them'} required`,
    })),
  );

  for (const [area, file] of [...files].sort(([x], [y]) => areaRank(x) - areaRank(y))) {
    const hash = b.rawHashes?.get(file);
    for (const e of earlier) {
      const mine = b.scores.areas.find((a) => a.area === area);
      const same = [...exportsOf(e)].find(([, other]) => hash !== undefined && e.rawHashes?.get(other) === hash);
      if (same) {
        problems.push({ file, message: `repeats ${same[1]} of wave ${e.wave} unchanged (same bytes, sha256 ${hash})`, advice: OWN_EXPORT });
        break;
      }
      const theirs = e.scores.areas.find((a) => a.area === area);
      if (mine && theirs && mine.ids.size > 0 && mine.fingerprint === theirs.fingerprint) {
        problems.push({
          file,
          message: `repeats ${exportsOf(e).get(area) ?? `wave ${e.wave}`} of wave ${e.wave}: the same ${mine.ids.size} respondents with equal scores in every theme (each index, indicator, willingness and predictor was compared; the raw answers were not)`,
          advice: OWN_EXPORT,
        });
        break;
      }
    }
  }
  return problems;
}

/** Throws a DataError naming the first bad wave's file(s) and what is wrong with them. */
export function checkWaves(bundles: readonly WaveBundle[]): void {
  bundles.forEach((b, k) => {
    const problems = problemsOf(b, bundles.slice(0, k));
    if (problems.length === 0) return;
    // The messages name the areas, files and hashes themselves: `file: message` reads best without a value.
    const advice = [...new Set(problems.flatMap((p) => (p.advice ? [p.advice] : [])))].map((a) => `; ${a}`).join('');
    if (problems.length === 1) throw new DataError(problems[0]!.message + advice, { file: problems[0]!.file });
    throw new DataError(`wave ${b.wave} cannot be compared with earlier waves: ${problems.map((p) => `${p.file}: ${p.message}`).join('; ')}${advice}`, { file: folderOf(b) });
  });
}
