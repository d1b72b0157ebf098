/**
 * The graph for people and tools: nodes and labelled edges (one per producer, file and consumer,
 * however many inputs name it), drawn as text, Mermaid or Graphviz DOT. Either the declared steps,
 * or every branch as found on disk now (`dag --branches`).
 */
import type { Pipeline, StepSpec } from './dag.js';

export interface GraphNode {
  id: string;
  kind: 'step' | 'raw' | 'publish';
  label: string;
}

export interface GraphEdge {
  from: string;
  to: string;
  /** What flows: a file name, `provenance`, or nothing for a raw file. */
  label: string;
  /** The reader takes the previous branch's output (the wave before its own). */
  previous: boolean;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** `branches`: the expanded pipeline's branches, without raw files (they are per branch). */
export function graphOf(pipeline: Pipeline, options: { raw: boolean }): Graph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const seen = new Set<string>();
  const edge = (e: GraphEdge) => {
    const id = JSON.stringify(e);
    if (!seen.has(id)) (seen.add(id), edges.push(e));
  };
  for (const s of pipeline.steps) {
    nodes.push({ id: s.name, kind: 'step', label: s.forEach?.length && !s.family ? `${s.name} (per ${s.forEach.join(', ')})` : s.name });
    for (const list of Object.values(s.inputs))
      for (const i of list) {
        if (i.kind === 'raw') {
          if (!options.raw) continue;
          if (!nodes.some((n) => n.id === `raw:${i.glob}`)) nodes.push({ id: `raw:${i.glob}`, kind: 'raw', label: i.glob });
          edge({ from: `raw:${i.glob}`, to: s.name, label: '', previous: false });
        } else edge({ from: i.step, to: s.name, label: i.kind === 'provenance' ? 'provenance' : i.file, previous: Boolean(i.previous) });
      }
    if (s.publish) {
      nodes.push({ id: `publish:${s.publish}`, kind: 'publish', label: `${s.publish}/` });
      edge({ from: s.name, to: `publish:${s.publish}`, label: '', previous: false });
    }
  }
  return { nodes, edges };
}

/** Edges between the same two nodes merged into one, their labels listed once each. */
function merged(graph: Graph): Array<{ from: string; to: string; label: string; dashed: boolean }> {
  const byPair = new Map<string, { from: string; to: string; labels: Map<string, Set<boolean>>; dashed: boolean }>();
  for (const e of graph.edges) {
    const key = `${e.from}\u0000${e.to}`;
    const at = byPair.get(key) ?? { from: e.from, to: e.to, labels: new Map(), dashed: true };
    if (e.label) at.labels.set(e.label, (at.labels.get(e.label) ?? new Set()).add(e.previous));
    at.dashed &&= e.label === 'provenance';
    byPair.set(key, at);
  }
  const labelOf = (label: string, previous: Set<boolean>) => (previous.has(true) ? `${label} (${previous.has(false) ? 'this and previous' : 'previous'})` : label);
  return [...byPair.values()].map((p) => ({ from: p.from, to: p.to, label: [...p.labels].map(([l, prev]) => labelOf(l, prev)).join(', '), dashed: p.dashed }));
}

export function toMermaidGraph(graph: Graph): string {
  const id = new Map(graph.nodes.map((n, i) => [n.id, n.kind === 'step' ? n.id.replace(/[^A-Za-z0-9_]/g, '_') : `${n.kind}${i}`]));
  const lines = ['flowchart LR'];
  for (const n of graph.nodes) {
    const label = n.label.replace(/"/g, '#quot;');
    lines.push(`  ${id.get(n.id)}${n.kind === 'raw' ? `[/"${label}"/]` : n.kind === 'publish' ? `[("${label}")]` : `["${label}"]`}`);
  }
  for (const e of merged(graph)) lines.push(`  ${id.get(e.from)} ${e.dashed ? '-.->' : '-->'}${e.label ? `|${e.label}|` : ''} ${id.get(e.to)}`);
  return lines.join('\n');
}

export function toDot(graph: Graph): string {
  const q = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const lines = ['digraph pipeline {', '  rankdir=LR;', '  node [fontname="Helvetica"];', '  edge [fontname="Helvetica", fontsize=10];'];
  for (const n of graph.nodes)
    lines.push(`  ${q(n.id)} [label=${q(n.label)}, shape=${n.kind === 'raw' ? 'note' : n.kind === 'publish' ? 'folder' : 'box'}];`);
  for (const e of merged(graph)) lines.push(`  ${q(e.from)} -> ${q(e.to)}${e.label || e.dashed ? ` [${[e.label ? `label=${q(e.label)}` : '', e.dashed ? 'style=dashed' : ''].filter(Boolean).join(', ')}]` : ''};`);
  lines.push('}');
  return lines.join('\n');
}

/** What a step reads, one entry per producer and file (`index:scores.arrow (this and previous wave)`). */
export function readsOf(s: StepSpec): string[] {
  const out: string[] = [];
  for (const [name, list] of Object.entries(s.inputs)) {
    const labels = list.map((i) => (i.kind === 'raw' ? i.glob : `${i.step}:${i.kind === 'provenance' ? 'provenance.json' : i.file}`));
    const previous = list.map((i) => i.kind !== 'raw' && Boolean(i.previous));
    const distinct = [...new Set(labels)];
    for (const label of distinct) {
      const at = labels.flatMap((l, k) => (l === label ? [previous[k]] : []));
      const when = at.length > 1 && at.includes(true) && at.includes(false) ? ' (this and the previous branch)' : at.every(Boolean) ? ' (previous branch)' : '';
      out.push(`${name}=${label}${when}`);
    }
  }
  return out;
}
