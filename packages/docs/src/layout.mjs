// The shell of every page: a skip link, the header (brand, search, dark mode), the site navigation,
// the page's main content and a footer. Readable without any script; the scripted controls are hidden
// until the inline boot script marks the page as scripted (no layout shift either way).
import { escapeHtml } from './markdown.mjs';
import { SITE_STYLE } from './style.mjs';
import { THEME_BOOT } from './theme.mjs';

const DESCRIPTION = 'Reference for the Cloud 66 REST API v3: every operation, parameter, field, scope and error, with samples, guides and a try-it panel.';

/**
 * `nav` is [{ heading, links: [{ href, text, current?, children? }] }]. `data` is JSON for the page's
 * script (the try-it panel's operations), embedded as a non-executable script element.
 */
export function page({ title, file, main, nav, data }) {
  const link = ({ href, text, current, children }) =>
    `<li><a href="${escapeHtml(href)}"${current ? ' aria-current="page"' : ''}>${text}</a>${children?.length ? `<ul>${children.map(link).join('')}</ul>` : ''}</li>`;
  const navHtml = nav.map((group) => `<h2 class="nav-heading">${escapeHtml(group.heading)}</h2><ul>${group.links.map(link).join('')}</ul>`).join('');
  const json = data ? `<script type="application/json" id="page-data">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>\n` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)} · Cloud 66 API v3</title>
<meta name="description" content="${escapeHtml(DESCRIPTION)}">
<script>${THEME_BOOT}</script>
<style>${SITE_STYLE}</style>
<link rel="icon" href="favicon.svg" type="image/svg+xml">
<script type="module" src="app.js" async></script>
</head>
<body data-page="${escapeHtml(file)}">
<a class="skip" href="#main">Skip to content</a>
<header class="bar">
<a class="brand" href="index.html">Cloud 66 API <span>v3</span></a>
<div class="search scripted" role="search">
<label class="visually-hidden" for="search">Search the reference</label>
<input id="search" type="search" placeholder="Search (Ctrl K)" autocomplete="off" spellcheck="false" role="combobox" aria-autocomplete="list" aria-controls="search-results" aria-expanded="false">
<ul id="search-results" role="listbox" aria-label="Search results" hidden></ul>
</div>
<a class="contents-link" href="#site-nav">Contents</a>
<button id="theme" class="scripted" type="button" aria-pressed="false">Dark mode</button>
</header>
<div class="layout">
<main id="main" tabindex="-1">
${main}
</main>
<nav id="site-nav" aria-label="Site">${navHtml}</nav>
</div>
<footer><p>Built from the <a href="openapi.json">OpenAPI description</a> (MIT). Works offline.</p></footer>
${json}<dialog id="try-it" aria-labelledby="try-it-title"></dialog>
</body>
</html>
`;
}
