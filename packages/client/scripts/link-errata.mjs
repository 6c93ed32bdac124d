// The bundled declarations inline generated/schema.d.ts, whose JSDoc cites "ERRATA E-…" rows of
// spec/ERRATA.md, a file the package does not ship: link each citation to the published repository.
import { readFileSync, writeFileSync } from 'node:fs';

const ERRATA_URL = 'https://github.com/cloud66-openapi/cloud66-openapi/blob/main/spec/ERRATA.md';
const files = ['dist/index.d.ts', 'dist/index.d.cts'];
for (const file of files) {
  const text = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
  // Citations already linked (the named models' summaries) keep their link.
  const linked = text.replace(/(?<!\[)ERRATA (E-[A-Z0-9-]*[A-Z0-9])/g, `[ERRATA $1](${ERRATA_URL})`);
  writeFileSync(new URL(`../${file}`, import.meta.url), linked);
}
