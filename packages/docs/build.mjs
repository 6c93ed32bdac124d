// `pnpm docs:build`: writes the static reference site to packages/docs/dist/ from the bundled
// description. Redoc renders the reference (its standalone bundle vendored from node_modules, so
// nothing loads from the network); the page's own script (src/browser/app.js) adds search over every
// operation, parameter and field, dark mode, and a try-it panel. The HTML carries a static outline of
// the reference, so the first paint does not wait for Redoc.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deref, operations } from 'cloud66-openapi/helpers';
import { withCodeSamples } from './src/code-samples.mjs';
import { guides } from './src/guides.mjs';
import { searchIndex, tryItData, operationAnchor, sectionAnchor } from './src/site-data.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const require = createRequire(import.meta.url);
const redocBundle = require.resolve('redoc/bundles/redoc.standalone.js');

// The description as the cloud66-openapi package ships it (its build copies generated/openapi.json).
const bundle = JSON.parse(readFileSync(require.resolve('cloud66-openapi/openapi.json'), 'utf8'));
const site = withCodeSamples(bundle);
site.info.description = guides(site.info.description);
// The mock server is for local use (the try-it panel offers it); the published reference lists production.
site.servers = site.servers.filter((s) => !s['x-internal']);

const errorIds = (response) => {
  const schema = deref(site, deref(site, response).content?.['application/json']?.schema);
  const pinned = (schema?.allOf ?? []).map((part) => part.properties?.error).find(Boolean);
  return pinned?.const ?? pinned?.enum?.join(' or ') ?? '';
};
for (const op of operations(site)) {
  const { operation } = op;
  // The scope next to the title, not only under "Authorizations".
  const scopes = (operation.security ?? site.security ?? []).flatMap((s) => s.oauth2 ?? []);
  operation['x-badges'] = scopes.map((scope) => ({ name: `scope: ${scope}`, color: '#0b6bcb' }));
  // Where the operation is documented or used, and since when, so a reader can tell a 2015 shape from a 2025 one.
  const evidence = operation['x-evidence'] ?? [];
  if (evidence.length) {
    const since = evidence.map((e) => e.date).filter(Boolean).sort()[0];
    if (since) operation['x-badges'].push({ name: `since ${since.slice(0, 4)}`, color: '#555f6d' });
    const rows = evidence.map((e) => `| ${e.date ?? '?'} | [${e.repo}](https://github.com/${e.repo}/blob/${e.commit}/${e.file}) | \`${e.file}\` ${e.line} |`);
    operation.description = `${operation.description ?? ''}\n\n**Sources** (newest first${since ? `; shown since ${since}` : ''}):\n\n| Date | Repository | Where |\n| --- | --- | --- |\n${rows.join('\n')}`;
  }
  // The error responses, alike on every operation, as one collapsed entry after the success response, so
  // the success response and the samples come first (on a phone, before eight error boxes).
  const errors = Object.keys(operation.responses).filter((code) => Number(code) >= 400);
  if (errors.length) {
    const list = errors.map((code) => `**${code}** \`${errorIds(operation.responses[code])}\``).join(' · ');
    for (const code of errors) delete operation.responses[code];
    operation.responses.default = {
      description: `Errors: ${list}. The body is an \`ApiError\`; see [Status codes and errors](#${sectionAnchor('Status codes and errors')}).`,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } },
    };
  }
}

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
const MONO = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace";
const HEADER_HEIGHT = 52;
const options = {
  expandResponses: '200',
  pathInMiddlePanel: true,
  requiredPropsFirst: true,
  jsonSampleExpandLevel: 3,
  hideHostname: false,
  disableSearch: true, // the page's own search covers fields and parameters too
  scrollYOffset: HEADER_HEIGHT,
};
const typography = { fontFamily: FONT, headings: { fontFamily: FONT }, code: { fontFamily: MONO } };
const themes = {
  light: { colors: { primary: { main: '#0b6bcb' } }, typography },
  dark: {
    colors: {
      primary: { main: '#58a6ff' },
      text: { primary: '#e6edf3', secondary: '#9da7b3' },
      border: { dark: '#30363d', light: '#21262d' },
      success: { main: '#3fb950' },
      warning: { main: '#d29922' },
      error: { main: '#f85149' },
    },
    schema: { nestedBackground: '#161b22', linesColor: '#30363d', typeNameColor: '#9da7b3', typeTitleColor: '#9da7b3' },
    typography: { ...typography, code: { ...typography.code, color: '#ff7b72', backgroundColor: '#161b22' }, links: { color: '#58a6ff' } },
    sidebar: { backgroundColor: '#0d1117', textColor: '#e6edf3', activeTextColor: '#58a6ff' },
    rightPanel: { backgroundColor: '#010409', textColor: '#e6edf3' },
    codeBlock: { backgroundColor: '#161b22' },
    fab: { backgroundColor: '#161b22', color: '#e6edf3' },
  },
};

const headings = [...site.info.description.matchAll(/^# (.+)$/gm)].map((m) => m[1].trim());
const siteData = { options, themes, search: searchIndex(site, headings), operations: tryItData(site) };

const escapeHtml = (text) => String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const byTag = new Map();
for (const op of operations(site)) byTag.set(op.operation.tags[0], [...(byTag.get(op.operation.tags[0]) ?? []), op]);
// The outline painted before any script runs: the introduction and every operation, linked.
const outline = `<div class="outline">
<h1>${escapeHtml(site.info.title)} v${escapeHtml(site.info.version)} reference</h1>
<p>${escapeHtml(bundle.info.description.split('\n\n')[0].replace(/\n/g, ' '))}</p>
<p class="loading">Loading the interactive reference…</p>
<h2>Guides</h2><ul>${headings.map((h) => `<li><a href="#${sectionAnchor(h)}">${escapeHtml(h)}</a></li>`).join('')}</ul>
${[...byTag].map(([tag, ops]) => `<h2>${escapeHtml(tag)}</h2><ul>${ops.map((op) => `<li><a href="#${operationAnchor(op)}"><code>${op.method.toUpperCase()}</code> ${escapeHtml(op.operation.summary)}</a></li>`).join('')}</ul>`).join('\n')}
</div>`;

const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(site.info.title)} — reference</title>
<link rel="icon" href="redoc-logo.svg" type="image/svg+xml">
<meta name="description" content="Reference for the Cloud 66 REST API v3: every operation, its parameters, bodies, responses, scopes and errors, with curl and TypeScript samples you can run, and a try-it panel for the local mock.">
<link rel="stylesheet" href="app.css">
<script src="redoc.standalone.js" defer></script>
<script src="app.js" defer></script>
</head>
<body>
<header class="bar">
  <a class="brand" href="#">Cloud 66 API <span>v3</span></a>
  <div class="search" role="search">
    <input id="search" type="search" placeholder="Search operations, parameters, fields (Ctrl K)" autocomplete="off" spellcheck="false" aria-label="Search the reference" aria-controls="search-results" aria-expanded="false">
    <ul id="search-results" role="listbox" hidden></ul>
  </div>
  <button id="theme" type="button" aria-pressed="false" title="Dark mode">Dark</button>
</header>
<main>
<noscript><p class="noscript">The interactive reference needs JavaScript. The description itself is <a href="openapi.json">openapi.json</a>.</p></noscript>
<div id="redoc">${outline}</div>
</main>
<dialog id="try-it" aria-labelledby="try-it-title"></dialog>
</body>
</html>
`;

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
writeFileSync(join(dist, 'index.html'), html);
copyFileSync(join(here, 'src/browser/app.js'), join(dist, 'app.js'));
copyFileSync(join(here, 'src/browser/app.css'), join(dist, 'app.css'));
writeFileSync(join(dist, 'openapi.json'), `${JSON.stringify(site)}\n`);
writeFileSync(join(dist, 'site-data.json'), `${JSON.stringify(siteData)}\n`);
// Redoc's sidebar badge loads its logo from cdn.redoc.ly: point it at a local copy so the page
// makes no request off this machine. The build fails if the bundle changes and the URL moves.
const REMOTE_LOGO = 'https://cdn.redoc.ly/redoc/logo-mini.svg';
const LOGO_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><path fill="#0b6bcb" d="M3 1h7l3 3v11H3z"/><path fill="#fff" d="M5 7h6v1H5zm0 2h6v1H5zm0 2h4v1H5z"/></svg>\n';
const redocSource = readFileSync(redocBundle, 'utf8');
if (!redocSource.includes(REMOTE_LOGO)) throw new Error(`docs: ${REMOTE_LOGO} not found in ${redocBundle}; check the bundle for remote resources again`);
writeFileSync(join(dist, 'redoc.standalone.js'), redocSource.split(REMOTE_LOGO).join('redoc-logo.svg'));
writeFileSync(join(dist, 'redoc-logo.svg'), LOGO_SVG);
writeFileSync(join(dist, '.nojekyll'), '');
console.log(`docs: packages/docs/dist/index.html (${operations(site).length} operations, ${(html.length / 1024).toFixed(0)} KiB, ${siteData.search.length} search entries) + redoc.standalone.js`);
