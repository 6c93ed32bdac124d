// generated/ is committed so consumers need no toolchain; it must match what spec/ produces now.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleSpec } from '../scripts/lib/bundle.mjs';
import { generateTypes } from '../scripts/lib/generate.mjs';
import { repoRoot } from '../scripts/lib/spec-index.mjs';

const committed = (file) => readFileSync(join(repoRoot, 'generated', file), 'utf8');

describe('generated/ is in sync with spec/', () => {
  it('generated/openapi.json is the current bundle of spec/openapi.yaml (run `pnpm build` if not)', async () => {
    const fresh = await bundleSpec();
    expect(committed('openapi.json') === fresh, 'generated/openapi.json is stale: run `pnpm build` and commit it').toBe(true);
  });

  it('generated/schema.d.ts holds the types of the current bundle (run `pnpm build` if not)', async () => {
    const fresh = await generateTypes(await bundleSpec());
    expect(committed('schema.d.ts') === fresh, 'generated/schema.d.ts is stale: run `pnpm build` and commit it').toBe(true);
  });
});
