/**
 * The power figure: per area, theme and arm, the minimum detectable effect (bar) beside the size of the
 * unadjusted estimate (point), one panel per outcome, so a reader sees at once which estimates the design
 * could have told apart from zero. Validated and compiled without warnings like every figure.
 */
import type { EstimateRow, PowerRow } from './experiment-inputs.js';
import { CONFIG, figureTitle, SCHEMA } from './figures.js';
import type { Labels } from './labels.js';
import { fixed } from './words.js';

const OUTCOME_LABELS: Record<string, string> = { individual: 'Individual co-production', collective: 'Collective co-production' };

export function powerSpec(L: Labels, power: readonly PowerRow[], estimates: readonly EstimateRow[], wave: number): object {
  const rows = power.filter((r) => r.wave === wave);
  const cells = [...new Map(rows.map((r) => [`${r.area} · ${r.theme}`, r])).values()]
    .sort((a, b) => L.compareAreas(a.area, b.area) || L.compareThemes(a.theme, b.theme))
    .map((r) => `${r.area} · ${r.theme}`);
  const termOrder = L.terms().map(L.termLabel);
  const values = rows.map((r) => {
    const e = estimates.find((x) => x.wave === wave && x.specification === 'unadjusted' && x.area === r.area && x.theme === r.theme && x.outcome === r.outcome && x.term === r.term);
    return { cell: `${r.area} · ${r.theme}`, outcome: OUTCOME_LABELS[r.outcome] ?? r.outcome, term: L.termLabel(r.term), mde: r.mde, estimate: e ? Math.abs(e.coef) : null, label: fixed(r.mde, 1) };
  });
  const rowEncoding = { y: { field: 'cell', type: 'nominal', sort: cells, title: null }, yOffset: { field: 'term', type: 'nominal', sort: termOrder } };
  const color = { field: 'term', type: 'nominal', sort: termOrder, scale: { domain: termOrder, range: ['#1f5f99', '#e08a1e', '#6a9f58'] }, legend: { title: null, orient: 'bottom', direction: 'horizontal' } };
  const { alpha, power: level } = rows[0] ?? { alpha: 0.05, power: 0.8 };
  return {
    $schema: SCHEMA,
    title: figureTitle('Minimum detectable effects of the nudge arms', wave),
    description: `Minimum detectable effects (${fixed(level * 100, 0)}% power, ${fixed(alpha * 100, 0)}% two-sided) of each nudge arm against no nudge, with the size of the unadjusted estimate, wave ${wave}.`,
    data: { values },
    facet: { column: { field: 'outcome', type: 'nominal', sort: Object.values(OUTCOME_LABELS), title: null } },
    spec: {
      width: 260,
      height: { step: 12 },
      layer: [
        { mark: { type: 'bar', opacity: 0.35, height: { band: 0.9 } }, encoding: { ...rowEncoding, x: { field: 'mde', type: 'quantitative', title: 'Percentage points' }, color } },
        { transform: [{ filter: 'datum.estimate !== null' }], mark: { type: 'point', filled: true, size: 30, opacity: 1 }, encoding: { ...rowEncoding, x: { field: 'estimate', type: 'quantitative' }, color } },
      ],
    },
    resolve: { scale: { x: 'shared' } },
    config: CONFIG,
  };
}
