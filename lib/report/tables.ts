/**
 * Tables 1-5 laid out as the paper lays them out: area-theme columns and predictor rows for the
 * correlations, sub-item values inside one cell ("Crime: 0.160** ASB: 0.168**"), "-" where a question
 * was not asked. Built as document Tables, printed by markdown.ts and html.ts.
 */
import { coefficientPhrase } from './coefficient.js';
import { address, cell, num, partsCell, type Cell, type Row, type Table } from './document.js';
import type { CorrelationRow, LevelRow, NudgeRow, TimeItemRow } from './inputs.js';
import { capitaliseTheme, type Labels } from './labels.js';
import type { PublishedArea } from './published.js';
import { respondentsFor, type AreaCount } from './respondents.js';
import { coef1, fixed, numberWord, r3 } from './words.js';

export const DASH = '-';

const byAreaTheme = (L: Labels) => <T extends { area: string; theme: string }>(a: T, b: T) => L.compareAreas(a.area, b.area) || L.compareThemes(a.theme, b.theme);

/** The area-theme columns present in some rows, in the paper's order. */
export function areaThemes<T extends { area: string; theme: string }>(L: Labels, rows: readonly T[]): Array<{ area: string; theme: string }> {
  const seen = new Map<string, { area: string; theme: string }>();
  for (const r of rows) seen.set(`${r.area}|${r.theme}`, { area: r.area, theme: r.theme });
  return [...seen.values()].sort(byAreaTheme(L));
}

const pctCell = (x: number | null, ref?: string) => (x === null ? cell(DASH) : partsCell([[num(fixed(x, 0), ref)]]));
const countCell = (x: number | null, ref?: string) => (x === null ? cell(DASH) : partsCell([[num(String(x), ref)]]));
/** A level with its 95% interval on a second line, when there is one; each number with its cell's address. */
function levelCell(x: number | null, ci: [number, number] | null | undefined, r: LevelRow, name: string): Cell {
  const at = (column: string) => (r.cells ? r.cells[column] : address('table2.csv', r.at, column));
  if (x === null || !ci) return pctCell(x, at(`${name}_pct`));
  return partsCell([[num(fixed(x, 0), at(`${name}_pct`))], ['(', num(fixed(ci[0], 0), at(`${name}_ci_low`)), '-', num(fixed(ci[1], 0), at(`${name}_ci_high`)), ')']]);
}
const tone = (value: number, stars: string): Cell['tone'] => (stars ? (value > 0 ? 'positive' : value < 0 ? 'negative' : undefined) : undefined);

export function table1(L: Labels, areas: readonly PublishedArea[], counts: readonly AreaCount[], wave: number, dataAreas: readonly string[]): Table {
  const names = [...new Set([...areas.map((a) => a.area), ...dataAreas])].sort(L.compareAreas);
  const rows: Row[] = names.map((name) => {
    // The paper's row where it has one; an area it does not have is described by the study.
    const s = L.areaFacts(name);
    const a = areas.find((x) => x.area === name) ?? (s && { ...s, nudges_tested: s.experiment, respondents: undefined });
    const n = respondentsFor(counts, wave, name);
    return {
      cells: [
        cell(a ? `${name} (${a.authority})` : name),
        cell(a?.country ?? DASH),
        cell(a?.population !== undefined ? `${a.population.toLocaleString('en-GB')}${a.population_year !== undefined ? ` (${a.population_year})` : ''}` : DASH),
        cell(a?.area_type ? `${capitaliseTheme(a.area_type)}${a.authority_tier ? `, ${a.authority_tier} authority` : ''}` : DASH),
        cell(a ? a.themes.slice().sort(L.compareThemes).join(', ') : DASH),
        cell(a ? (a.nudges_tested ? 'yes' : 'no') : DASH),
        cell(a?.respondents !== undefined ? String(a.respondents) : DASH),
        cell(n === null ? DASH : String(n)),
      ],
    };
  });
  return {
    id: 'tbl-1',
    label: 'Table 1',
    caption: `The ${numberWord(names.length)} study areas, with the respondents the paper reports and those in the data (wave ${wave})`,
    head: ['Area (authority)', 'Country', 'Population (year)', 'Kind of area', 'Themes', 'Nudges tested', 'Respondents (paper)', 'Respondents (data)'],
    align: ['left', 'left', 'right', 'left', 'left', 'left', 'right', 'right'],
    rows,
    notes: [['Respondents (data): valid records after cleaning and validation, from the validation report.']],
  };
}

export function table2(L: Labels, levels: readonly LevelRow[], wave: number, label = 'Table 2', id = 'tbl-2'): Table {
  const rows: Row[] = [];
  const sorted = levels.filter((r) => r.wave === wave).sort(byAreaTheme(L));
  let area = '';
  for (const r of sorted) {
    if (r.area !== area) {
      area = r.area;
      rows.push({ group: true, cells: [cell(r.area)] });
    }
    rows.push({
      cells: [
        cell(r.theme),
        levelCell(r.individual_pct, r.ci?.individual, r, 'individual'),
        levelCell(r.collective_pct, r.ci?.collective, r, 'collective'),
        levelCell(r.willing_pct, r.ci?.willing, r, 'willing'),
        countCell(r.respondents, r.cells ? r.cells.respondents : address('table2.csv', r.at, 'respondents')),
      ],
    });
  }
  const intervals = sorted.some((r) => r.ci);
  return {
    id,
    label,
    caption: `Levels of individual and collective co-production by area and theme (wave ${wave})`,
    head: ['Area and theme', 'Individual co-production index (%)', 'Collective: takes part in groups (%)', 'Willing to give at least a few hours a month (%)', 'Respondents'],
    align: ['left', 'right', 'right', 'right', 'right'],
    rows,
    notes: [
      ['"-": question not asked in that area. Percentages are rounded to whole numbers; unrounded values are in ', { code: 'tables/table2.csv' }, '.'],
      ...(intervals ? [['Below each level, its 95% interval: the t interval of the mean index, Wilson\'s score interval for the shares.']] : []),
    ],
  };
}

export function timeTable(L: Labels, items: readonly TimeItemRow[], wave: number, label = 'Table 2a', id = 'tbl-2a'): Table {
  const keys = areaThemes(L, items.filter((r) => r.wave === wave));
  const value = (area: string, theme: string, item: string) => items.find((r) => r.wave === wave && r.area === area && r.theme === theme && r.item === item);
  const columns = L.itemOutcomes();
  const rows: Row[] = keys.map(({ area, theme }) => {
    const found = columns.map((c) => value(area, theme, c.name));
    // n of the first item answered, as the items were asked of the same respondents.
    const nRow = found.find((r) => r?.n != null) ?? found.at(-1);
    const at = (r: TimeItemRow | undefined, column: string) => address('time-items.csv', r?.at, column);
    return { cells: [cell(area), cell(theme), ...found.map((r) => pctCell(r?.pct ?? null, at(r, 'pct'))), countCell(nRow?.n ?? null, at(nRow, 'n'))] };
  });
  return {
    id,
    label,
    caption: `Time given now and extra time offered, where the questionnaire asked about both (wave ${wave})`,
    head: ['Area', 'Theme', ...columns.map((c) => c.heading), 'n'],
    align: ['left', 'left', ...columns.map(() => 'right' as const), 'right'],
    rows,
    notes: [],
  };
}

/** One correlation as printed: "0.162**". */
export const printedR = (r: number, stars: string) => `${r3(r)}${stars}`;

export function correlationTable(L: Labels, rows: readonly CorrelationRow[], wave: number, kind: 'individual' | 'collective', label: string, id: string, csv: string): Table {
  const current = rows.filter((r) => r.wave === wave);
  const file = csv.replace(/^tables\//, '');
  const columns = areaThemes(L, current);
  const predictors = [...new Set(current.map((r) => r.predictor))].sort(L.comparePredictors);
  const body: Row[] = predictors.map((predictor) => ({
    cells: [
      cell(L.predictorLabel(predictor)),
      ...columns.map(({ area, theme }) => {
        const values = current
          .filter((r) => r.area === area && r.theme === theme && r.predictor === predictor && r.r !== null)
          .sort((a, b) => L.compareItems(a.item, b.item));
        if (values.length === 0) return cell(DASH);
        const lines = values.map((v) => [...(v.item ? [`${L.itemLabel(v.item)}: `] : []), num(r3(v.r!), v.cells ? v.cells.r : address(file, v.at, 'r')), v.stars]);
        const tones = values.map((v) => tone(v.r!, v.stars));
        // One mark for the cell when every line carries it; otherwise each line carries its own.
        if (tones.every((t) => t !== undefined && t === tones[0])) return partsCell(lines, { tone: tones[0] });
        return tones.some((t) => t !== undefined) ? partsCell(lines, { lineTones: tones }) : partsCell(lines);
      }),
    ],
  }));
  return {
    id,
    label,
    caption: `Correlates of ${kind} co-production: ${coefficientPhrase(current, wave)} by area and theme (wave ${wave})`,
    head: ['', ...columns.map((c) => L.columnLabel(c.area, c.theme))],
    align: ['left', ...columns.map(() => 'right' as const)],
    rows: body,
    notes: [
      ['** p < .01, * p < .05 (two-sided). "-": not asked in that area and theme. "Don\'t know" answers are left out of each correlation.'],
      ['In paper.html, significant positive values are bold and significant negative values shaded. Each value\'s n, p, 95% interval and Benjamini-Hochberg adjusted p are in ', { code: csv }, `; the adjustment's family is the ${current.filter((r) => r.p !== null).length} correlations of this table in wave ${wave} (every area, theme, predictor and item), stars use the unadjusted p.`],
    ],
  };
}

export function nudgeTable(L: Labels, rows: readonly NudgeRow[], wave: number, label = 'Table 5', id = 'tbl-5'): Table {
  const current = rows.filter((r) => r.wave === wave);
  const blocks = new Map<string, { area: string; theme: string; item: string }>();
  for (const r of current) blocks.set(`${r.area}|${r.theme}|${r.item}`, { area: r.area, theme: r.theme, item: r.item });
  const ordered = [...blocks.values()].sort((a, b) => byAreaTheme(L)(a, b) || L.compareItems(a.item, b.item));
  const body: Row[] = [];
  let lastArea = '';
  for (const b of ordered) {
    const terms = [...new Set(current.filter((r) => r.area === b.area && r.theme === b.theme && r.item === b.item).map((r) => r.term))].sort(L.compareTerms);
    terms.forEach((term, i) => {
      const value = (outcome: string): Cell => {
        const r = current.find((x) => x.area === b.area && x.theme === b.theme && x.item === b.item && x.term === term && x.outcome === outcome);
        if (!r || r.coef === null) return cell(DASH);
        return partsCell([[num(coef1(r.coef), address('table5.csv', r.at, 'coef')), r.stars]], { tone: tone(r.coef, r.stars) });
      };
      body.push({
        cells: [
          cell(i === 0 && b.area !== lastArea ? b.area : ''),
          cell(i === 0 ? (b.item ? `${capitaliseTheme(b.theme)}: ${b.item}` : capitaliseTheme(b.theme)) : ''),
          cell(L.termLabel(term)),
          value('individual'),
          value('collective'),
        ],
      });
      if (i === 0) lastArea = b.area;
    });
  }
  return {
    id,
    label,
    caption: `Nudges and the level of co-production: regression coefficients against no nudge, in percentage points (wave ${wave})`,
    head: ['Area', 'Theme', 'Nudge', 'Individual co-production', 'Collective co-production'],
    align: ['left', 'left', 'left', 'right', 'right'],
    rows: body,
    notes: [
      ['** p < .01, * p < .05 (two-sided). Each coefficient compares respondents given that nudge with those given none. Standard errors, HC3 robust standard errors and 95% intervals are in ', { code: 'tables/table5.csv' }, ' and Figure 4.'],
    ],
  };
}

