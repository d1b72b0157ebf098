/**
 * correlation-changes.csv: every correlation of Tables 3 and 4 present in two consecutive waves, and
 * whether it changed: the Fisher-z difference for independent samples (fisher-z.ts), from r as correlate
 * computed it (table3-r.csv, table4-r.csv), not as the tables print it; and, since the two waves share
 * most respondents and so are not independent, the change by a bootstrap that keeps the overlap
 * (correlation-bootstrap.ts): its standard error, percentile 95% interval and normal p. A correlation whose
 * predictor, or whose outcome, was asked differently in the two waves (the cleaning logs' changed
 * questions) is listed with comparable false, the codebook's note, and no test: the two r measure
 * different questions.
 */
import type { Artifact } from '../../contract/step.js';
import { readCsv, requiredNumber } from '../../lib/table/csv-read.js';
import { TABLE3_R, TABLE4_R } from '../../lib/table/correlation-tables.js';
import type { TableContract } from '../../lib/table/table-contract.js';
import { fixed, significant, type Cell } from '../../lib/table/csv.js';
import { itemRank, predictorNames, rankIn, type AnalysisVocabulary } from '../../lib/survey/analysis-vocabulary.js';
import type { CleaningLog } from '../../lib/survey/cleaning-log.js';
import type { Area } from '../../lib/survey/vocabulary.js';
import type { CorrelationChange } from '../../lib/stats/panel-tests.js';
import { bootstrapKey } from './correlation-bootstrap.js';
import type { Sources } from '../../lib/table/lineage.js';
import { fisherZDifference } from '../../lib/stats/fisher-z.js';
import { changedBetween, describeChanges, outcomeChanges, predictorVariable, type QuestionChange } from './question-changes.js';

interface Correlation {
  area: string;
  theme: string;
  predictor: string;
  item: string;
  r: number;
  n: number;
  /** Its row in the table (1-based), for row lineage. */
  row: number;
}

/** Table 3's or 4's r unrounded (table3-r.csv, table4-r.csv) of one wave, keyed by area, theme, predictor and item. */
export function readCorrelationTable(art: Artifact, contract: TableContract): Map<string, Correlation> {
  const t = readCsv(art, contract);
  const out = new Map<string, Correlation>();
  t.rows.forEach((r, i) => {
    const { area, theme, predictor, item } = r.cells as Record<string, string>;
    const row: Correlation = { area: area!, theme: theme!, predictor: predictor!, item: item ?? '', r: requiredNumber(t, r, 'r'), n: requiredNumber(t, r, 'n'), row: i + 1 };
    out.set(keyOf(row), row);
  });
  return out;
}

const keyOf = (c: Omit<Correlation, 'r' | 'n' | 'row'>) => `${c.area}|${c.theme}|${c.predictor}|${c.item}`;

/** Table order: area, theme, the predictor's row in the paper (unknown ones last), its sub-item; names break ties. */
function compareCorrelations(v: AnalysisVocabulary) {
  const predictors = predictorNames(v);
  const name = (c: Correlation) => `${c.predictor}|${c.item}`;
  return (a: Correlation, b: Correlation): number =>
    rankIn(v.areas, a.area) - rankIn(v.areas, b.area) ||
    rankIn(v.themes, a.theme) - rankIn(v.themes, b.theme) ||
    rankIn(predictors, a.predictor) - rankIn(predictors, b.predictor) ||
    itemRank(v, a.item) - itemRank(v, b.item) ||
    (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0);
}

export interface CorrelationSide {
  wave: number;
  log: CleaningLog;
  tables: { 3: Artifact | undefined; 4: Artifact | undefined };
}

/** `note` receives each row's sources (its row of each wave's table), in row order. */
export function correlationChangeRows(
  from: CorrelationSide,
  to: CorrelationSide,
  vocabulary: AnalysisVocabulary,
  boot: ReadonlyMap<string, CorrelationChange> = new Map(),
  note: (sources: Sources) => void = () => {},
): Cell[][] {
  const rows: Cell[][] = [];
  for (const table of [3, 4] as const) {
    const a = from.tables[table];
    const b = to.tables[table];
    if (!a || !b) continue;
    const contract = table === 3 ? TABLE3_R : TABLE4_R;
    const before = readCorrelationTable(a, contract);
    const after = readCorrelationTable(b, contract);
    const compare = compareCorrelations(vocabulary);
    // A correlation of an area the earlier wave has, whose question it did not ask: flagged, never compared.
    const areasBefore = new Set([...before.values()].map((c) => c.area));
    const added = [...after.values()].filter((c) => !before.has(keyOf(c)) && areasBefore.has(c.area));
    const both = [...before.values()].filter((c) => after.has(keyOf(c)));
    const entries = [...both.map((c) => ({ key: c, c1: c as Correlation | undefined })), ...added.map((c) => ({ key: c, c1: undefined }))].sort((x, y) => compare(x.key, y.key));
    const changesByArea = new Map<string, Map<string, QuestionChange>>();
    for (const { key, c1 } of entries) {
      const c2 = after.get(keyOf(key))!;
      note([...(c1 ? [[a.path, [c1.row]] as [string, number[]]] : []), [b.path, [c2.row]]]);
      if (!c1) {
        rows.push([from.wave, to.wave, table, c2.area, c2.theme, c2.predictor, c2.item, null, null, fixed(c2.r, 6), c2.n, null, null, null, null, null, null, null, 'false', `not asked in wave ${from.wave}`]);
        continue;
      }
      let changes = changesByArea.get(c1.area);
      if (!changes) changesByArea.set(c1.area, (changes = changedBetween({ wave: from.wave, log: from.log }, { wave: to.wave, log: to.log }, c1.area as Area)));
      const predictorChange = changes.get(predictorVariable(vocabulary, c1.theme, c1.predictor, c1.item));
      const changed = [...(predictorChange ? [predictorChange] : []), ...outcomeChanges(vocabulary, changes, c1.theme, table === 3 ? 'individual' : 'collective')];
      const test = changed.length ? null : fisherZDifference(c1.r, c1.n, c2.r, c2.n);
      const booted = changed.length ? undefined : boot.get(bootstrapKey(table, c1.area, c1.theme, c1.predictor, c1.item));
      rows.push([
        from.wave, to.wave, table, c1.area, c1.theme, c1.predictor, c1.item,
        fixed(c1.r, 6), c1.n, fixed(c2.r, 6), c2.n, fixed(test?.z ?? null, 4), significant(test?.p ?? null),
        fixed(booted?.change ?? null, 6), fixed(booted?.se ?? null, 6), fixed(booted?.ci.lower ?? null, 6), fixed(booted?.ci.upper ?? null, 6), significant(booted?.p ?? null),
        changed.length ? 'false' : 'true', describeChanges(changed),
      ]);
    }
  }
  return rows;
}
