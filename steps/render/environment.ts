/**
 * The computing environment of the run, from what render is given: Node's major version as each
 * upstream entry recorded it, the lockfile's hash (a declared input, so a changed lockfile re-renders),
 * and the package versions the steps ran with. No time, host or path, so the bytes stay the same.
 */
import type { Artifact } from '../../contract/step.js';
import type { Environment } from './paper.js';
import type { ProvenanceRecord } from './provenance.js';

export function environment(lockfile: Artifact, records: readonly ProvenanceRecord[], citationStyle: string): Environment {
  const node = [...new Set(records.map((r) => r.runtime.node).filter((v): v is string => Boolean(v)))].sort();
  const packages = new Map<string, [string, string]>();
  for (const r of records) for (const [name, version] of Object.entries(r.dependencies)) packages.set(`${name}@${version}`, [name, version]);
  const sorted = [...packages.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, pair]) => pair);
  return { node, lockfileHash: lockfile.hash, packages: sorted, citationStyle };
}
