// `pnpm docs:build`: writes the static reference site to packages/docs/dist/ from the bundled
// description, with Redoc's standalone bundle vendored from node_modules (nothing loads from the
// network) and x-codeSamples generated for every operation.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withCodeSamples } from './src/code-samples.mjs';
import { guides } from './src/guides.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const require = createRequire(import.meta.url);
const redocBundle = require.resolve('redoc/bundles/redoc.standalone.js');

const bundle = JSON.parse(readFileSync(join(here, '../../generated/openapi.json'), 'utf8'));
const site = withCodeSamples(bundle);
site.info.description = guides(site.info.description);
// The mock server is for local use; the published reference lists production only.
site.servers = site.servers.filter((s) => !s['x-internal']);

// A plain stand-in for the badge logo (a document icon), drawn here rather than fetched.
const LOGO_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><path fill="#0b6bcb" d="M3 1h7l3 3v11H3z"/><path fill="#fff" d="M5 7h6v1H5zm0 2h6v1H5zm0 2h4v1H5z"/></svg>\n';
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
const MONO = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace";
const options = {
  expandResponses: '200',
  pathInMiddlePanel: true,
  requiredPropsFirst: true,
  jsonSampleExpandLevel: 3,
  hideHostname: false,
  theme: {
    colors: { primary: { main: '#0b6bcb' } },
    typography: { fontFamily: FONT, headings: { fontFamily: FONT }, code: { fontFamily: MONO } },
  },
};

// JSON inside <script> must not be able to close the tag.
const embed = (value) => JSON.stringify(value).replace(/</g, '\\u003c');
const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${site.info.title} — reference</title>
<link rel="icon" href="redoc-logo.svg" type="image/svg+xml">
<meta name="description" content="Reference for the Cloud 66 REST API v3: every operation, its parameters, bodies, responses, scopes and errors, with curl and TypeScript samples.">
<style>body { margin: 0; font-family: ${FONT}; } noscript { display: block; padding: 2rem; }</style>
</head>
<body>
<noscript>This reference needs JavaScript. The description itself is <a href="openapi.json">openapi.json</a>.</noscript>
<div id="redoc"></div>
<script id="openapi" type="application/json">${embed(site)}</script>
<script src="redoc.standalone.js"></script>
<script src="init.js"></script>
</body>
</html>
`;

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
writeFileSync(join(dist, 'index.html'), html);
// No inline script, so the server's Content-Security-Policy can say script-src 'self'.
writeFileSync(join(dist, 'init.js'), `Redoc.init(JSON.parse(document.getElementById('openapi').textContent), ${embed(options)}, document.getElementById('redoc'));\n`);
writeFileSync(join(dist, 'openapi.json'), `${JSON.stringify(site, null, 2)}\n`);
// Redoc's sidebar badge loads its logo from cdn.redoc.ly: point it at a local copy so the page
// makes no request off this machine. The build fails if the bundle changes and the URL moves.
const REMOTE_LOGO = 'https://cdn.redoc.ly/redoc/logo-mini.svg';
const redocSource = readFileSync(redocBundle, 'utf8');
if (!redocSource.includes(REMOTE_LOGO)) throw new Error(`docs: ${REMOTE_LOGO} not found in ${redocBundle}; check the bundle for remote resources again`);
writeFileSync(join(dist, 'redoc.standalone.js'), redocSource.split(REMOTE_LOGO).join('redoc-logo.svg'));
writeFileSync(join(dist, 'redoc-logo.svg'), LOGO_SVG);
writeFileSync(join(dist, '.nojekyll'), '');
const operations = Object.values(site.paths).flatMap((item) => Object.values(item)).filter((op) => op && op.operationId).length;
console.log(`docs: packages/docs/dist/index.html (${operations} operations, ${(html.length / 1024).toFixed(0)} KiB) + redoc.standalone.js`);
