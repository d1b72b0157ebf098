/**
 * Drops cache entries the pipeline no longer refers to. Always kept: each step's (or branch's) entry
 * for its current key, where that can be computed, and its latest entry; with `keepLast`, also its
 * N most recent other entries, so that a reverted parameter or a wave taken out for a while finds its
 * results again. Every entry removed is named with its branch, parameters, size and what differs
 * from the latest. Leftovers of killed runs are swept too.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { sweepFailed } from './failed-outputs.js';
import { join } from 'node:path';
import { familyOf } from './dag.js';
import { canonicalJson, short } from './hash.js';
import type { Manifest } from './manifest.js';
import type { Project } from './project.js';
import { differences } from './reasons.js';
import { planRun } from './status.js';

export interface GcEntry {
  /** The step or branch that made it (its folder's name when the manifest cannot be read). */
  step: string;
  key: string;
  params: unknown;
  bytes: number;
  /** When the entry was made, from its manifest. */
  ranAt: string | null;
  /** Why it is kept, or why it may go. */
  why: string;
}

export interface GcReport {
  kept: GcEntry[];
  removed: GcEntry[];
  temporaries: string[];
  /** Said before anything else: e.g. a branch whose entries are all kept because its pointer is damaged. */
  warnings: string[];
}

export interface GcOptions {
  dryRun: boolean;
  /** Also keep each step's or branch's N most recent entries besides its current and latest (default 0). */
  keepLast?: number;
}

export function collectGarbage(project: Project, options: GcOptions): GcReport {
  const report: GcReport = { kept: [], removed: [], temporaries: [], warnings: [] };
  const keep = new Map<string, string>();
  const mark = (step: string, key: string, why: string) => {
    if (!keep.has(`${familyOf(step)}/${key}`)) keep.set(`${familyOf(step)}/${key}`, why);
  };
  for (const plan of planRun(project)) if (plan.key) mark(plan.step, plan.key, 'current');
  const damaged = new Set<string>();
  const latest = new Map<string, Manifest>();
  for (const [step, path] of project.cache.latestPointers()) {
    const pointer = project.cache.pointer(step);
    if (pointer.state === 'corrupt') {
      damaged.add(step);
      report.warnings.push(`every entry of ${step} is kept: ${path.slice(project.root.length + 1)} ${pointer.reason}, so its latest entry cannot be told (a run of ${step} rewrites it)`);
    } else if (pointer.state === 'valid') {
      const m = project.cache.readManifest(step, pointer.key);
      if (typeof m === 'object') latest.set(step, m);
      mark(step, pointer.key, 'latest');
    }
  }
  const current = new Set(project.pipeline.steps.map((s) => s.name));
  // A branch that left the pipeline keeps no entry by its pointer alone: only by --keep-last.
  for (const [step, m] of latest) if (!current.has(step)) keep.delete(`${familyOf(step)}/${m.key}`);

  const entries = project.cache.entries().map(({ step: family, key }) => {
    const m = project.cache.readManifest(family, key);
    const entry: GcEntry = {
      step: typeof m === 'object' ? m.step : family,
      key,
      params: typeof m === 'object' ? m.components.params : null,
      bytes: folderBytes(project.cache.entryDir(family, key)),
      ranAt: typeof m === 'object' ? m.run.startedAt : null,
      why: typeof m === 'object' ? sinceThen(m, latest.get(m.step), current.has(m.step)) : `corrupt: ${m ?? 'manifest.json is missing'}`,
    };
    return { entry, family, manifest: typeof m === 'object' ? m : undefined };
  });
  // The N most recent entries of each branch that are not kept already.
  const byBranch = new Map<string, typeof entries>();
  for (const e of entries) if (e.manifest && !keep.has(`${e.family}/${e.entry.key}`)) byBranch.set(e.entry.step, [...(byBranch.get(e.entry.step) ?? []), e]);
  for (const [step, list] of byBranch) {
    list.sort((a, b) => (a.entry.ranAt! < b.entry.ranAt! ? 1 : a.entry.ranAt! > b.entry.ranAt! ? -1 : 0));
    list.slice(0, options.keepLast ?? 0).forEach((e) => mark(step, e.entry.key, `one of the ${options.keepLast} most recent`));
  }
  for (const e of entries) if (e.manifest && damaged.has(e.entry.step)) mark(e.entry.step, e.entry.key, 'its pointer is damaged');

  for (const { entry, family } of entries) {
    const why = keep.get(`${family}/${entry.key}`);
    if (why) report.kept.push({ ...entry, why });
    else {
      report.removed.push(entry);
      if (!options.dryRun) project.cache.discard(family, entry.key);
    }
  }
  if (!options.dryRun) {
    report.temporaries = [...project.cache.sweepTemporaries(), ...sweepFailed(project.derived)];
    // A branch that left the pipeline (a wave removed from raw/) and kept no entry is forgotten, so it
    // would count as new; one that kept entries keeps its pointer, and its history.
    const keptBranches = new Set(report.kept.map((e) => e.step));
    for (const [step, path] of project.cache.latestPointers()) if (!current.has(step) && !keptBranches.has(step)) rmSync(path, { force: true });
  }
  project.saveState();
  return report;
}

/** What differs between an entry and its branch's latest one, said as the change since then. */
function sinceThen(m: Manifest, latest: Manifest | undefined, inPipeline: boolean): string {
  if (!inPipeline) return `${m.step} is no longer in the pipeline`;
  if (!latest) return 'no latest entry to compare with';
  const diff = differences(latest.components, m.components);
  if (diff.length === 0) return 'made with what the latest entry was made with';
  return `since then: ${diff.slice(0, 2).join('; ')}${diff.length > 2 ? `; and ${diff.length - 2} more` : ''}`;
}

function folderBytes(dir: string): number {
  let total = 0;
  try {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      total += e.isDirectory() ? folderBytes(path) : statSync(path).size;
    }
  } catch {
    // Removed meanwhile: nothing to count.
  }
  return total;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

const paramsOf = (params: unknown) => {
  const text = canonicalJson(params ?? {});
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

/** One line per entry removed (or to remove), then the totals. */
export function formatGc(report: GcReport, options: GcOptions): string[] {
  const verb = options.dryRun ? 'would remove' : 'removed';
  const lines = report.warnings.map((w) => `warning: ${w}`);
  for (const e of report.removed)
    lines.push(`${verb} ${e.step}/${short(e.key)}  params ${paramsOf(e.params)}  ${formatBytes(e.bytes)}${e.ranAt ? `  made ${e.ranAt}` : ''}  (${e.why})`);
  const freed = report.removed.reduce((sum, e) => sum + e.bytes, 0);
  if (report.removed.length && !options.keepLast) lines.push("(--keep-last N keeps each step's N most recent entries besides its current and latest.)");
  lines.push(
    `${report.kept.length} entries kept, ${report.removed.length} ${options.dryRun ? 'to remove' : 'removed'} (${formatBytes(freed)}), ${report.temporaries.length} leftovers of killed or failed runs swept`,
  );
  return lines;
}
