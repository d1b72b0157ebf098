/**
 * JSON Schema validators for the runner's own records (manifests, run log).
 *
 * Compiling a schema with ajv costs more than a whole no-op run may take, so the build
 * (runner/launch.mjs) writes each as ajv "standalone" code beside the compiled runner; when that
 * file is absent (tests running the TypeScript sources) the schema is compiled here instead.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type SchemaName = 'manifest' | 'run-record';

export interface Validator {
  (data: unknown): boolean;
  errors?: Array<{ instancePath: string; message?: string }> | null;
}

const loaded = new Map<SchemaName, Validator>();

export async function validator(name: SchemaName): Promise<Validator> {
  let v = loaded.get(name);
  if (!v) {
    const standalone = new URL(`../schemas/${name}.validate.js`, import.meta.url);
    try {
      v = (await import(standalone.href)).default as Validator;
    } catch {
      const { default: Ajv } = await import('ajv');
      const schema = JSON.parse(readFileSync(fileURLToPath(new URL(`../schemas/${name}.schema.json`, import.meta.url)), 'utf8'));
      v = new (Ajv as any)({ allErrors: true }).compile(schema) as Validator;
    }
    loaded.set(name, v);
  }
  return v;
}

/** `"/outputs/0/hash: must match pattern …"` for each error, joined. */
export function schemaErrors(v: Validator): string {
  return (v.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`).join('; ');
}
