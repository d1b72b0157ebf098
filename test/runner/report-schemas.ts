/**
 * Checks the runner's JSON reports against their schemas in schemas/ (status, last run, gc, verify),
 * naming every violation.
 */
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import * as assert from 'uvu/assert';

const read = (name: string) => JSON.parse(readFileSync(new URL(`../../schemas/${name}.schema.json`, import.meta.url), 'utf8'));
const ajv = new (Ajv as any)({ allErrors: true, strict: true });
ajv.addSchema(read('run-record'));

export type ReportSchema = 'status' | 'last-run' | 'gc-report' | 'verify-report';

export function assertSchema(name: ReportSchema, value: unknown): void {
  const validate = ajv.getSchema(`${name}.schema.json`) ?? ajv.compile(read(name));
  const ok = validate(value);
  assert.ok(ok, `${name}: ${(validate.errors ?? []).map((e: any) => `${e.instancePath || '/'} ${e.message}`).join('; ')}`);
}
