// generated/ is committed so consumers need no toolchain; it must match what spec/ produces now.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleSpec } from '../scripts/lib/bundle.mjs';
import { repoRoot } from '../scripts/lib/spec-index.mjs';

describe('generated/ is in sync with spec/', () => {
  it('generated/openapi.json is the current bundle of spec/openapi.yaml (run `pnpm build` if not)', async () => {
    const committed = readFileSync(join(repoRoot, 'generated/openapi.json'), 'utf8');
    const fresh = await bundleSpec();
    expect(committed === fresh, 'generated/openapi.json is stale: run `pnpm build` and commit it').toBe(true);
  });
});
