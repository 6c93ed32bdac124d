// `pnpm docs:build`: writes the static reference site to packages/docs/dist/ from the bundled
// description. Every page is pre-rendered HTML that needs no script to be read: a landing page with
// the outline of the whole reference, one page per operation (every parameter, field, scope, error,
// example and sample, each with an anchor), one page per tag listing its operations, the guides (spec/guides.md and every
// packages/docs/guides/*.md), the errors, the changelog and the errata. The page script (src/browser/
// app.js, bundled with esbuild) adds search, try-it and the dark-mode toggle; the search index is a
// separate file loaded on first use. See README.md ("Renderer: measured") for why.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { parse as parseYaml } from 'yaml';
import { deref, operations } from 'cloud66-openapi/helpers';
import { withCodeSamples } from './src/code-samples.mjs';
import { guides } from './src/guides.mjs';
import { page } from './src/layout.mjs';
import { escapeHtml, idAllocator, renderInline, renderMarkdown, slugify } from './src/markdown.mjs';
import { errorIds, operationPage, operationSection, operationUrl, SchemaRenderer, SearchCollector, tagPage } from './src/reference.mjs';
import { tryItData } from './src/site-data.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '../..');
const dist = join(here, 'dist');
const require = createRequire(import.meta.url);

// The description as the cloud66-openapi package ships it (its build copies generated/openapi.json).
const bundle = JSON.parse(readFileSync(require.resolve('cloud66-openapi/openapi.json'), 'utf8'));
const site = withCodeSamples(bundle);
const ops = operations(site);
const search = new SearchCollector();
const schemas = new SchemaRenderer(site, search);
const files = new Map(); // file name -> HTML

/** Links to the repository's errata become the site's errata page. */
const rewriteLink = (href) => href.replace(/^(?:https:\/\/github\.com\/[^#]*\/)?(?:spec\/)?ERRATA\.md(#.*)?$/, (_, hash = '') => `errata.html${hash}`);

// --- guides -------------------------------------------------------------------------------------
/** packages/docs/guides/*.md, each with front matter (title, order); none is fine. */
function loadGuides() {
  const dir = join(here, 'guides');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.md'))
    .map((name) => {
      const file = join(dir, name);
      const source = readFileSync(file, 'utf8');
      const match = source.match(/^---\r?\n([\s\S]*?)\r?\n---\r?\n/);
      let meta = {};
      try {
        meta = match ? (parseYaml(match[1]) ?? {}) : {};
      } catch (error) {
        throw new Error(`docs: ${file}: front matter is not YAML: ${error.message}`);
      }
      const body = match ? source.slice(match[0].length) : source;
      const title = meta.title ?? body.match(/^# (.+)$/m)?.[1] ?? basename(name, '.md');
      return { file: `guide-${slugify(basename(name, '.md'))}.html`, title: String(title), order: Number(meta.order ?? 1000), description: meta.description ? String(meta.description) : '', body: body.replace(/^# .+\n/m, '') };
    })
    .sort((a, b) => a.order - b.order || a.title.localeCompare(b.title));
}
const extraGuides = loadGuides();

/** The shift that makes a Markdown document's top heading level an h2. */
const shiftToH2 = (source) => {
  const levels = [...source.matchAll(/^(#{1,6}) /gm)].map((m) => m[1].length);
  return levels.length ? 2 - Math.min(...levels) : 0;
};

// --- navigation -----------------------------------------------------------------------------------
const byTag = new Map(site.tags.map((t) => [t.name, []]));
for (const op of ops) byTag.set(op.operation.tags[0], [...(byTag.get(op.operation.tags[0]) ?? []), op]);
const tags = [...byTag].filter(([, list]) => list.length);
const GUIDE_PAGES = [
  { file: 'index.html', title: 'Overview' },
  { file: 'api-guide.html', title: 'Using the API' },
  ...extraGuides,
  { file: 'errors.html', title: 'Errors' },
  { file: 'changelog.html', title: 'Changelog' },
  { file: 'errata.html', title: 'Errata' },
];
/** The site navigation; on an operation's page, its tag's operations too, the current one marked. */
function navFor(file, operationsHere = [], current = '') {
  return [
    { heading: 'Guides', links: GUIDE_PAGES.map((g) => ({ href: g.file, text: escapeHtml(g.title), current: g.file === file })) },
    {
      heading: 'Reference',
      links: tags.map(([tag]) => ({
        href: tagPage(tag),
        text: escapeHtml(tag),
        current: tagPage(tag) === file && !current,
        children: tagPage(tag) === file ? operationsHere.map((op) => ({ href: operationPage(op), text: escapeHtml(op.operation.summary), current: operationPage(op) === current })) : [],
      })),
    },
  ];
}

/** A page of prose from Markdown: its blocks become search documents landing on each paragraph. */
function prosePage(file, title, markdown, { shift = shiftToH2(markdown), lead = '' } = {}) {
  search.page = file;
  const { html, blocks } = renderMarkdown(markdown, { shift, ids: idAllocator(), rewriteLink });
  for (const block of blocks) search.add({ id: block.id, kind: 'guide', title: block.heading && block.heading !== title ? `${title} › ${block.heading}` : title, text: block.text });
  files.set(file, page({ title, file, nav: navFor(file), main: `<h1>${escapeHtml(title)}</h1>${lead}${html}` }));
}

// --- reference: a page per operation, and a page per tag listing its operations -------------------
for (const [tag, list] of tags) {
  const file = tagPage(tag);
  search.page = file;
  const tagObject = site.tags.find((t) => t.name === tag) ?? {};
  const ids = idAllocator();
  for (const op of list) ids(op.operation.operationId);
  const intro = tagObject.description ? renderMarkdown(tagObject.description, { shift: 1, ids, rewriteLink, section: 'about' }) : { html: '', blocks: [] };
  for (const block of intro.blocks) search.add({ id: block.id, kind: 'guide', title: `${tag} › ${block.heading || 'About'}`, text: block.text });
  // Each entry carries its operation's id: a link of the earlier per-tag pages lands on it (and the
  // page script forwards it, with the rest of its fragment, to the operation's page).
  const entries = list.map((op) => `<li id="${op.operation.operationId}"><a href="${operationPage(op)}"><span class="method method-${op.method}">${op.method.toUpperCase()}</span> ${escapeHtml(op.operation.summary)}</a> <code>${escapeHtml(op.path)}</code></li>`);
  files.set(file, page({ title: tag, file, nav: navFor(file, list), main: `<h1>${escapeHtml(tag)}</h1><div class="doc">${intro.html}</div><h2 id="operations">Operations</h2><ul class="op-list op-index">${entries.join('')}</ul>` }));

  for (const op of list) {
    const opFile = operationPage(op);
    search.page = opFile;
    const section = operationSection(site, op, { schemas, search, errorsUrl: 'errors.html' });
    files.set(
      opFile,
      page({
        title: op.operation.summary,
        file: opFile,
        nav: navFor(file, list, opFile),
        main: `<p class="crumbs"><a href="${file}">${escapeHtml(tag)}</a></p>\n${section}`,
        data: { operations: tryItData(site, [op]) },
      }),
    );
  }
}

// --- landing page ---------------------------------------------------------------------------------
{
  const file = 'index.html';
  search.page = file;
  const intro = renderMarkdown(bundle.info.description.replace(/`spec\/ERRATA\.md`/g, 'the [errata](errata.html)').replace(/The guides \(`spec\/guides\.md`\) explain/g, 'The [guides](api-guide.html) explain'), { ids: idAllocator(), section: 'intro', rewriteLink });
  for (const block of intro.blocks) search.add({ id: block.id, kind: 'guide', title: 'Overview', text: block.text });
  const scopes = Object.entries(site.components.securitySchemes.oauth2?.flows?.authorizationCode?.scopes ?? {});
  const scopeRows = scopes.map(([scope, text]) => {
    search.add({ id: `scope-${scope}`, kind: 'scope', title: `Scope: ${scope}`, text: `${scope} scope ${text}` });
    return `<li id="scope-${scope}"><code>${escapeHtml(scope)}</code> — ${renderInline(text)}</li>`;
  });
  const schemes = Object.entries(site.components.securitySchemes).map(([name, scheme]) => {
    search.add({ id: `auth-${slugify(name)}`, kind: 'guide', title: `Authentication: ${name}`, text: scheme.description ?? '' });
    return `<li id="auth-${slugify(name)}"><strong>${escapeHtml(name)}</strong> — ${renderInline(scheme.description ?? '')}</li>`;
  });
  const guideLinks = GUIDE_PAGES.slice(1).map((g) => `<li><a href="${g.file}">${escapeHtml(g.title)}</a></li>`).join('');
  // The outline of the whole reference: every operation, linked to its page and anchor.
  const outline = `<div class="outline">${tags.map(([tag, list]) => `<h3 id="outline-${slugify(tag)}"><a href="${tagPage(tag)}">${escapeHtml(tag)}</a></h3><ul class="op-list">${list.map((op) => `<li><a href="${operationUrl(op)}"><span class="method method-${op.method}">${op.method.toUpperCase()}</span> ${escapeHtml(op.operation.summary)}</a></li>`).join('')}</ul>`).join('\n')}</div>`;
  const main = `<h1>${escapeHtml(site.info.title)} v${escapeHtml(site.info.version)} reference</h1>
<div class="doc">${intro.html}</div>
<h2 id="guides">Guides</h2><ul>${guideLinks}</ul>
<h2 id="authentication">Authentication and scopes</h2><ul>${schemes.join('')}</ul><p>Scopes (each operation names the one it needs):</p><ul>${scopeRows.join('')}</ul>
<h2 id="reference">Reference: ${ops.length} operations</h2>
${outline}`;
  files.set(file, page({ title: 'Overview', file, nav: navFor(file), main }));
}

// --- guides, changelog, errata --------------------------------------------------------------------
prosePage('api-guide.html', 'Using the API', guides(bundle.info.description).replace(/^([^#][\s\S]*?)(?=^# )/m, ''), { shift: 1 });
for (const guide of extraGuides) prosePage(guide.file, guide.title, guide.body, { lead: guide.description ? `<p class="lead">${renderInline(guide.description)}</p>` : '' });
{
  const changelogs = readdirSync(join(repo, 'packages'))
    .map((dir) => ({ dir, path: join(repo, 'packages', dir, 'CHANGELOG.md') }))
    .filter(({ path }) => existsSync(path))
    .map(({ dir, path }) => {
      const name = JSON.parse(readFileSync(join(repo, 'packages', dir, 'package.json'), 'utf8')).name;
      // Each package's changelog under its name; the description's (cloud66-openapi) first.
      return { name, text: readFileSync(path, 'utf8').replace(/^# .*\n/, `# ${name}\n`) };
    })
    .sort((a, b) => (b.name === 'cloud66-openapi') - (a.name === 'cloud66-openapi') || a.name.localeCompare(b.name));
  prosePage('changelog.html', 'Changelog', changelogs.map((c) => c.text).join('\n\n'), { shift: 1, lead: '<p>The changes of the description (<code>cloud66-openapi</code>) and of the packages built on it, newest first in each.</p>' });
}
prosePage('errata.html', 'Errata', readFileSync(join(repo, 'spec/ERRATA.md'), 'utf8').replace(/^# .*\n/, ''), { lead: '<p>Where the sources disagree, and what this description does: every decision with its evidence.</p>' });

// --- errors ---------------------------------------------------------------------------------------
{
  const file = 'errors.html';
  search.page = file;
  const statusOf = new Map();
  for (const op of ops) for (const [code, response] of Object.entries(op.operation.responses)) if (response.$ref) statusOf.set(response.$ref.split('/').pop(), code);
  const sections = Object.entries(site.components.responses).map(([name, response]) => {
    const id = `error-${slugify(name)}`;
    const code = statusOf.get(name) ?? '';
    const ids = errorIds(site, { $ref: `#/components/responses/${name}` });
    const media = response.content?.['application/json'];
    search.add({ id, kind: 'error', title: `${code} ${name}`, text: `${code} ${name} ${ids.join(' ')} ${response.description ?? ''}` });
    const example = media?.example ?? Object.values(media?.examples ?? {}).map((e) => deref(site, e).value)[0];
    return `<section id="${id}" aria-labelledby="${id}-title"><h2 id="${id}-title">${escapeHtml(code)} ${escapeHtml(name)}</h2>
<p>${ids.map((e) => `<code>${escapeHtml(e)}</code>`).join(' or ')} — ${renderInline(response.description ?? '')}</p>
${media?.schema ? schemas.body(media.schema, id) : ''}
${example !== undefined ? `<pre tabindex="0"><code>${escapeHtml(JSON.stringify(example, null, 2))}</code></pre>` : ''}</section>`;
  });
  files.set(file, page({ title: 'Errors', file, nav: navFor(file), main: `<h1>Errors</h1><p>Every error answer is JSON with an <code>error</code> id and an <code>error_description</code>; each operation lists the ones it may answer. See also <a href="api-guide.html#status-codes-and-errors">Status codes and errors</a>.</p>${sections.join('\n')}` }));
}

// --- write --------------------------------------------------------------------------------------
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
for (const [file, html] of files) writeFileSync(join(dist, file), html);
writeFileSync(join(dist, 'search-index.json'), JSON.stringify(search.docs));
writeFileSync(join(dist, 'openapi.json'), `${JSON.stringify(bundle)}\n`);
writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><path fill="#0b6bcb" d="M3 1h7l3 3v11H3z"/><path fill="#fff" d="M5 7h6v1H5zm0 2h6v1H5zm0 2h4v1H5z"/></svg>\n');
writeFileSync(join(dist, '.nojekyll'), '');
await esbuild({
  entryPoints: [join(here, 'src/browser/app.js')],
  outdir: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  minify: true,
  target: ['chrome110', 'firefox110', 'safari16'],
  chunkNames: '[name]-[hash]',
  logLevel: 'warning',
});
const indexKiB = (readFileSync(join(dist, 'index.html')).length / 1024).toFixed(0);
console.log(`docs: packages/docs/dist/index.html (${ops.length} operations, each on its page, in ${tags.length} tags, ${files.size} pages, index ${indexKiB} KiB, ${search.docs.length} search entries, ${extraGuides.length} guides from packages/docs/guides)`);
