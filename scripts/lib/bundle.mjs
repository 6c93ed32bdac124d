import { join } from 'node:path';
import { bundle, loadConfig } from '@redocly/openapi-core';
import { repoRoot } from './spec-index.mjs';

/** The bundled description as stable, pretty JSON text (what generated/openapi.json must hold). */
export async function bundleSpec() {
  const config = await loadConfig({ configPath: undefined });
  const { bundle: result, problems } = await bundle({ ref: join(repoRoot, 'spec/openapi.yaml'), config, dereference: false });
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length) {
    const where = (p) => p.location?.[0]?.pointer ?? '';
    throw new Error(`cannot bundle spec/openapi.yaml:\n${errors.map((p) => `  ${where(p)}: ${p.message}`).join('\n')}`);
  }
  return `${JSON.stringify(result.parsed, null, 2)}\n`;
}
