/**
 * The figures as Vega-Lite specs, data inlined so each .vl.json stands alone:
 *
 *   levels      Table 2: individual, collective and willingness by area-theme (grouped bars)
 *   heatmap     Tables 3, 4: r by predictor (rows) and area-theme (columns); diverging colour centred
 *               on 0, significant cells outlined and starred, blank where not asked
 *   nudges      Table 5: coefficients with 95% intervals, one panel per outcome
 *   published   every published value against its recomputed one, with the identity line
 *
 * Every spec is validated against the Vega-Lite schema and compiled without warnings in the tests.
 */
import type { CorrelationRow, LevelRow, NudgeRow } from './inputs.js';
import type { Labels } from './labels.js';
import { areaThemes, printedR } from './tables.js';
import { coef1, fixed } from './words.js';

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const FONT = 'DejaVu Sans, Arial, Helvetica, sans-serif';
export const CONFIG = {
  font: FONT,
  view: { stroke: null },
  // Without a canvas vega over-estimates text widths (0.8 em a character), so labels get generous limits.
  axis: { labelFontSize: 11, titleFontSize: 11, labelLimit: 420 },
  legend: { labelFontSize: 11, titleFontSize: 11, labelLimit: 420 },
  header: { labelFontSize: 12, titleFontSize: 12 },
};

const MEASURES = ['Individual index', 'Collective (groups)', 'Willing (hours a month)'] as const;
const areaTheme = (area: string, theme: string) => `${area} · ${theme}`;

/** Every figure names what it shows and its wave inside the drawing, so a standalone SVG says which wave it is. */
export const figureTitle = (text: string, wave: number) => ({ text, subtitle: `Wave ${wave}`, anchor: 'start', fontSize: 13, subtitleFontSize: 11 });

export function levelsSpec(L: Labels, levels: readonly LevelRow[], wave: number): object {
  const rows = levels.filter((r) => r.wave === wave);
  const order = areaThemes(L, rows).map((c) => areaTheme(c.area, c.theme));
  const values = areaThemes(L, rows).flatMap(({ area, theme }) => {
    const r = rows.find((x) => x.area === area && x.theme === theme)!;
    return [
      [MEASURES[0], r.individual_pct],
      [MEASURES[1], r.collective_pct],
      [MEASURES[2], r.willing_pct],
    ]
      .filter(([, v]) => v !== null)
      .map(([measure, v]) => ({ cell: areaTheme(area, theme), measure, value: v as number, label: fixed(v as number, 0) }));
  });
  const y = { field: 'cell', type: 'nominal', sort: order, title: null };
  return {
    $schema: SCHEMA,
    title: figureTitle('Co-production and willingness to give time, by area and theme', wave),
    description: `Levels of individual and collective co-production and willingness to give time, by area and theme, wave ${wave}.`,
    data: { values },
    width: 440,
    height: { step: 13 },
    encoding: {
      y,
      yOffset: { field: 'measure', type: 'nominal', sort: MEASURES },
      x: { field: 'value', type: 'quantitative', scale: { domain: [0, 100] }, title: 'Respondents (%)' },
    },
    layer: [
      {
        mark: { type: 'bar', height: { band: 0.9 } },
        encoding: {
          color: { field: 'measure', type: 'nominal', sort: MEASURES, scale: { domain: MEASURES, range: ['#1f5f99', '#e08a1e', '#6a9f58'] }, legend: { title: null, orient: 'bottom', direction: 'horizontal' } },
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 3, fontSize: 9 },
        encoding: { text: { field: 'label', type: 'nominal' } },
      },
    ],
    config: CONFIG,
  };
}

const HEAT_LABELS: Record<string, string> = {
  conditions: 'Conditions',
  satisfaction_response: 'Satisfied: response',
  satisfaction_information: 'Satisfied: information',
  satisfaction_consultation: 'Satisfied: consultation',
  self_efficacy: 'People make a difference',
};

/** Row label of a heatmap: the predictor (shortened), with its sub-item where it has one. */
const heatRow = (L: Labels, predictor: string, item: string) => {
  const label = HEAT_LABELS[predictor] ?? L.predictorLabel(predictor);
  return item ? `${label} · ${L.itemLabel(item)}` : label;
};

export function heatmapSpec(L: Labels, rows: readonly CorrelationRow[], wave: number, kind: 'individual' | 'collective'): object {
  const current = rows.filter((r) => r.wave === wave && r.r !== null);
  const columns = areaThemes(L, current).map((c) => L.columnLabel(c.area, c.theme));
  const rowKeys = [...new Map(current.map((r) => [`${r.predictor}|${r.item}`, r])).values()]
    .sort((a, b) => L.comparePredictors(a.predictor, b.predictor) || L.compareItems(a.item, b.item))
    .map((r) => heatRow(L, r.predictor, r.item));
  const values = current
    .map((r) => ({
      column: L.columnLabel(r.area, r.theme),
      row: heatRow(L, r.predictor, r.item),
      r: r.r!,
      label: printedR(r.r!, r.stars),
      significant: r.stars !== '',
    }))
    .sort((a, b) => (a.row < b.row ? -1 : a.row > b.row ? 1 : a.column < b.column ? -1 : a.column > b.column ? 1 : 0));
  const extent = Math.max(0.1, Math.ceil(Math.max(0, ...values.map((v) => Math.abs(v.r))) * 10) / 10);
  return {
    $schema: SCHEMA,
    title: figureTitle(`Correlates of ${kind} co-production`, wave),
    description: `Correlations of ${kind} co-production with each predictor, by area and theme, wave ${wave}; blank cells were not asked.`,
    data: { values },
    width: { step: 62 },
    height: { step: 20 },
    encoding: {
      x: { field: 'column', type: 'nominal', sort: columns, title: null, axis: { orient: 'top', labelAngle: -35, labelAlign: 'left' } },
      y: { field: 'row', type: 'nominal', sort: rowKeys, title: null },
    },
    layer: [
      {
        mark: { type: 'rect' },
        encoding: {
          color: { field: 'r', type: 'quantitative', scale: { scheme: 'redblue', domain: [-extent, extent], domainMid: 0, nice: false }, legend: { title: 'r', gradientLength: 140 } },
          stroke: { condition: { test: 'datum.significant', value: '#111111' }, value: null },
          strokeWidth: { condition: { test: 'datum.significant', value: 1.5 }, value: 0 },
        },
      },
      {
        mark: { type: 'text', fontSize: 9 },
        encoding: {
          text: { field: 'label', type: 'nominal' },
          color: { condition: { test: `abs(datum.r) > ${fixed(extent * 0.6, 3)}`, value: '#ffffff' }, value: '#111111' },
        },
      },
    ],
    config: CONFIG,
  };
}

const blockLabel = (L: Labels, r: { area: string; theme: string; item: string }) => (r.item ? `${r.area} · ${r.theme} · ${L.itemLabel(r.item)}` : `${r.area} · ${r.theme}`);

export function nudgeSpec(L: Labels, rows: readonly NudgeRow[], wave: number): object {
  const current = rows.filter((r) => r.wave === wave && r.coef !== null);
  const blocks = [...new Map(current.map((r) => [blockLabel(L, r), r])).values()]
    .sort((a, b) => L.compareAreas(a.area, b.area) || L.compareThemes(a.theme, b.theme) || L.compareItems(a.item, b.item))
    .map((r) => blockLabel(L, r));
  const termOrder = L.terms().map(L.termLabel);
  const values = current
    .map((r) => ({
      block: blockLabel(L, r),
      term: L.termLabel(r.term),
      outcome: r.outcome === 'individual' ? 'Individual co-production' : 'Collective co-production',
      coef: r.coef!,
      low: r.ci_low ?? r.coef!,
      high: r.ci_high ?? r.coef!,
      label: `${coef1(r.coef!)}${r.stars}`,
      significant: r.stars !== '',
    }))
    .sort((a, b) => (a.block + a.term + a.outcome < b.block + b.term + b.outcome ? -1 : 1));
  // On the data layers only: the zero line has no row, so it spans the panel.
  const rowEncoding = { y: { field: 'block', type: 'nominal', sort: blocks, title: null }, yOffset: { field: 'term', type: 'nominal', sort: termOrder } };
  const color = { field: 'term', type: 'nominal', sort: termOrder, scale: { domain: termOrder, range: ['#1f5f99', '#e08a1e', '#6a9f58'] }, legend: { title: null, orient: 'bottom', direction: 'horizontal' } };
  return {
    $schema: SCHEMA,
    title: figureTitle('Nudges against no nudge, percentage points', wave),
    description: `Nudge coefficients (percentage points against no nudge) with 95% intervals, wave ${wave}; filled points are significant at 5%.`,
    data: { values },
    facet: { column: { field: 'outcome', type: 'nominal', sort: ['Individual co-production', 'Collective co-production'], title: null } },
    spec: {
      width: 300,
      height: { step: 12 },
      layer: [
        { mark: { type: 'rule', color: '#888888', strokeDash: [3, 3] }, encoding: { x: { datum: 0, type: 'quantitative' } } },
        {
          mark: { type: 'rule', strokeWidth: 1.5 },
          encoding: { ...rowEncoding, x: { field: 'low', type: 'quantitative', title: 'Coefficient (percentage points), 95% interval' }, x2: { field: 'high' }, color },
        },
        // Significant estimates filled, the rest hollow: two layers, so one colour legend serves both.
        {
          transform: [{ filter: 'datum.significant' }],
          mark: { type: 'point', size: 40, strokeWidth: 1.5, opacity: 1, filled: true },
          encoding: { ...rowEncoding, x: { field: 'coef', type: 'quantitative' }, color },
        },
        {
          transform: [{ filter: '!datum.significant' }],
          mark: { type: 'point', size: 40, strokeWidth: 1.5, opacity: 1, filled: false, fill: '#ffffff' },
          encoding: { ...rowEncoding, x: { field: 'coef', type: 'quantitative' }, color },
        },
      ],
    },
    resolve: { scale: { x: 'shared' } },
    config: CONFIG,
  };
}

export interface ComparedValue {
  panel: string;
  published: number;
  recomputed: number;
  verdict: string;
  suspect: boolean;
  label: string;
}

export function publishedSpec(points: readonly ComparedValue[], wave: number): object {
  const panels = [...new Set(points.map((p) => p.panel))];
  const identity = panels.flatMap((panel) => {
    const vs = points.filter((p) => p.panel === panel).flatMap((p) => [p.published, p.recomputed]);
    const lo = Math.min(...vs);
    const hi = Math.max(...vs);
    return [
      { kind: 'identity', panel, published: lo, recomputed: lo },
      { kind: 'identity', panel, published: hi, recomputed: hi },
    ];
  });
  const values = [...points.map((p) => ({ kind: 'value', ...p, suspect: p.suspect ? 'suspect in the transcription' : 'not flagged' })), ...identity];
  const verdicts = ['match', 'within tolerance', 'differs'];
  return {
    $schema: SCHEMA,
    title: figureTitle('Published against recomputed values', wave),
    description: `Each value the paper publishes against the value recomputed from the data (wave ${wave}); the line marks equality.`,
    data: { values },
    facet: { column: { field: 'panel', type: 'nominal', sort: panels, title: null } },
    spec: {
      width: 220,
      height: 220,
      layer: [
        {
          transform: [{ filter: "datum.kind === 'identity'" }],
          mark: { type: 'line', color: '#888888', strokeDash: [4, 3] },
          encoding: {
            x: { field: 'published', type: 'quantitative', title: 'Published' },
            y: { field: 'recomputed', type: 'quantitative', title: 'Recomputed' },
          },
        },
        {
          transform: [{ filter: "datum.kind === 'value'" }],
          mark: { type: 'point', filled: true, size: 30, opacity: 0.8 },
          encoding: {
            x: { field: 'published', type: 'quantitative' },
            y: { field: 'recomputed', type: 'quantitative' },
            color: { field: 'verdict', type: 'nominal', scale: { domain: verdicts, range: ['#2e7d32', '#1f5f99', '#c62828'] }, legend: { title: 'Verdict', orient: 'bottom' } },
            shape: { field: 'suspect', type: 'nominal', scale: { domain: ['not flagged', 'suspect in the transcription'], range: ['circle', 'triangle-up'] }, legend: { title: null, orient: 'bottom' } },
          },
        },
      ],
    },
    resolve: { scale: { x: 'independent', y: 'independent' } },
    config: CONFIG,
  };
}
