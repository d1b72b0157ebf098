/**
 * Vega-Lite spec → SVG, headless: compile with vega-lite, run a vega View with no renderer, ask it for
 * SVG. Warnings from either library are captured instead of printed, so callers (and tests) can insist
 * on none. Without the optional canvas package vega estimates text widths from character counts, which
 * is what makes the SVG the same bytes on every machine.
 */
import * as vega from 'vega';
import * as vl from 'vega-lite';

export interface RenderedFigure {
  svg: string;
  warnings: string[];
}

function capturingLogger(sink: string[]) {
  let level = 2;
  const logger = {
    level(l?: number) {
      if (l === undefined) return level as never;
      level = l;
      return logger;
    },
    error(...args: unknown[]) {
      sink.push(`error: ${args.map(String).join(' ')}`);
      return logger;
    },
    warn(...args: unknown[]) {
      sink.push(`warning: ${args.map(String).join(' ')}`);
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  };
  return logger;
}

/** Compiles a Vega-Lite spec, reporting what vega-lite and vega warned about. */
export function compileSpec(spec: object): { vega: vega.Spec; warnings: string[] } {
  const warnings: string[] = [];
  const compiled = vl.compile(spec as vl.TopLevelSpec, { logger: capturingLogger(warnings) as any });
  return { vega: compiled.spec, warnings };
}

/**
 * Vega numbers gradients and clip paths from process-wide counters, so the same figure drawn after
 * another gets different ids. Renumbering them in order of appearance makes the bytes depend on the
 * figure alone.
 */
export function renumberIds(svg: string): string {
  const map = new Map<string, string>();
  const counts = new Map<string, number>();
  for (const [, id] of svg.matchAll(/\sid="([^"]+)"/g)) {
    if (map.has(id!)) continue;
    const stem = id!.replace(/[_-]?\d+$/, '') || 'id';
    const n = (counts.get(stem) ?? 0) + 1;
    counts.set(stem, n);
    map.set(id!, `${stem}${n}`);
  }
  const swap = (id: string) => map.get(id) ?? id;
  return svg
    .replace(/(\sid=")([^"]+)"/g, (_, pre: string, id: string) => `${pre}${swap(id)}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${swap(id)})`)
    .replace(/href="#([^"]+)"/g, (_, id: string) => `href="#${swap(id)}"`);
}

export async function renderSvg(spec: object): Promise<RenderedFigure> {
  const { vega: compiled, warnings } = compileSpec(spec);
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger: capturingLogger(warnings) as any });
  try {
    const svg = renumberIds(await view.toSVG());
    return { svg, warnings };
  } finally {
    view.finalize();
  }
}
