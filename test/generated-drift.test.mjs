// generated/ is committed so consumers need no toolchain; it must match what spec/ produces now.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshGenerated } from '../scripts/lib/generate.mjs';
import { repoRoot } from '../scripts/lib/spec-index.mjs';

const committed = (file) => readFileSync(join(repoRoot, 'generated', file), 'utf8');

describe('generated/ is in sync with spec/', () => {
  let fresh;
  beforeAll(async () => {
    fresh = await freshGenerated();
  });

  it('generated/openapi.json is the current bundle of spec/openapi.yaml (run `pnpm build` if not)', async () => {
    expect(committed('openapi.json') === fresh['openapi.json'], 'generated/openapi.json is stale: run `pnpm build` and commit it').toBe(true);
  });

  it('generated/schema.d.ts holds the types of the current bundle (run `pnpm build` if not)', async () => {
    expect(committed('schema.d.ts') === fresh['schema.d.ts'], 'generated/schema.d.ts is stale: run `pnpm build` and commit it').toBe(true);
  });
});
