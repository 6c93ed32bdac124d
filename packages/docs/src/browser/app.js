// The site's script: small enhancements over pages that are complete without it (bundled by esbuild;
// the server's CSP allows only the site's own scripts). It adds:
// - the dark-mode toggle (the stored choice is applied before the first paint by the inline boot script);
// - search over everything the site says, loaded on first use (MiniSearch over search-index.json);
// - the try-it panel, with one token for the whole visit, kept in this script's memory only (never
//   stored, never logged); once something is typed there, links between the site's pages are followed
//   in place so that it survives;
// - copy buttons for the response and for the request as curl.
// The page loads this script `async` (reading a page never waits for it): if it comes before the end of
// the document, it waits for the document.
if (document.readyState === 'loading') await new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve, { once: true }));

const THEME_KEY = 'cloud66-docs-theme';
const TARGETS = {
  mock: { label: 'Example mock', url: 'http://127.0.0.1:4010', note: 'pnpm mock: answers with the description\u2019s examples; any token works.' },
  sandbox: { label: 'Sandbox', url: 'http://127.0.0.1:4011', note: 'pnpm mock --stateful --port 4011: writes take effect, actions finish; any token works.' },
  production: { label: 'Production', url: 'https://app.cloud66.com/api/3', note: 'The real API: needs your personal access token, which stays in this page\u2019s memory and goes only to this URL.' },
};
const $ = (selector, root = document) => root.querySelector(selector);

/** An element with attributes, listeners (on*), properties (value, checked) and children (nested arrays). */
function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === false || value === null) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'value' || key === 'checked') node[key] = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) if (child !== undefined && child !== null && child !== false) node.append(child);
  return node;
}

// --- dark mode -----------------------------------------------------------------------------------
const root = document.documentElement;
const systemDark = matchMedia('(prefers-color-scheme: dark)');
const isDark = () => (root.dataset.theme ? root.dataset.theme === 'dark' : systemDark.matches);
function showTheme() {
  $('#theme')?.setAttribute('aria-pressed', String(isDark()));
}
function toggleTheme() {
  const next = isDark() ? 'light' : 'dark';
  root.dataset.theme = next;
  try {
    localStorage.setItem(THEME_KEY, next);
  } catch {
    // storage refused: the choice lasts for this page
  }
  showTheme();
}
systemDark.addEventListener('change', showTheme);

// --- links followed in place (the try-it token lives in this script's memory) -------------------
const samePage = (url) => url.pathname === location.pathname;
/** Whether a full page load would lose something the reader typed (the try-it token, an edited URL). */
const holdsSession = () => Boolean(session.token) || Object.keys(session.urls).length > 0;
async function navigate(href, { push = true } = {}) {
  const url = new URL(href, location.href);
  // A plain load streams the page and lays it out as it comes: in place only to keep what was typed.
  if (url.origin !== location.origin || !/(\.html|\/)$/.test(url.pathname) || (!samePage(url) && !holdsSession())) return void (push ? location.assign(url.href) : location.replace(url.href));
  if (samePage(url)) {
    if (push) history.pushState(null, '', url.href);
    return landOn(url.hash);
  }
  let html;
  try {
    const response = await fetch(url.href, { credentials: 'same-origin' });
    if (!response.ok) throw new Error(String(response.status));
    html = await response.text();
  } catch {
    return void (location.href = url.href);
  }
  const next = new DOMParser().parseFromString(html, 'text/html');
  if (push) history.pushState(null, '', url.href);
  document.title = next.title;
  document.body.dataset.page = next.body.dataset.page;
  $('main').replaceWith(document.adoptNode($('main', next)));
  $('#site-nav').replaceWith(document.adoptNode($('#site-nav', next)));
  $('#page-data')?.remove();
  const data = $('#page-data', next);
  if (data) document.body.append(document.adoptNode(data));
  pageData = undefined;
  addTryItButtons();
  landOn(url.hash, { focusMain: true });
}
/** Scrolls to the fragment (or the top) and moves the focus there, as a full load would. */
function landOn(hash, { focusMain = false } = {}) {
  const target = hash && document.getElementById(decodeURIComponent(hash.slice(1)));
  if (target) {
    target.scrollIntoView();
    if (!target.hasAttribute('tabindex') && !/^(A|BUTTON|INPUT|SUMMARY)$/.test(target.tagName)) target.setAttribute('tabindex', '-1');
    target.focus({ preventScroll: true });
  } else {
    scrollTo(0, 0);
    if (focusMain) $('main').focus();
  }
}
document.addEventListener('click', (event) => {
  const link = event.target.closest?.('a[href]');
  if (!link || !holdsSession() || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || link.target || link.hasAttribute('download')) return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || url.pathname.endsWith('.json')) return;
  if (samePage(url) && url.hash) return; // the browser's own jump to a fragment
  event.preventDefault();
  navigate(url.href);
});
addEventListener('popstate', () => navigate(location.href, { push: false }));

// Links of earlier sites still land: the single-page site's #tag/<Tag>/operation/<id> and
// #section/<Heading>, and the per-tag pages' `deployments.html#redeployStack.200.response.…` (the
// tag's page lists each operation under its id; the rest of the fragment is kept).
function redirectOldFragment() {
  const hash = decodeURIComponent(location.hash.slice(1));
  const old = hash.match(/^tag\/[^/]+\/operation\/([\w-]+)$/);
  const moved = document.getElementById(hash.split('.')[0])?.closest('.op-index') && $(`#${CSS.escape(hash.split('.')[0])} a`);
  const forward = (href) => navigate(href, { push: false });
  if (old) {
    const link = document.querySelector(`.outline a[href$="#${CSS.escape(old[1])}"]`);
    if (link) forward(link.href);
  } else if (moved) {
    forward(`${moved.href}${location.hash}`);
  } else if (/^section\//.test(hash)) {
    forward(`api-guide.html#${hash.slice(8).toLowerCase()}`);
  }
}

// --- search ----------------------------------------------------------------------------------------
const input = $('#search');
const list = $('#search-results');
let index; // a promise of the MiniSearch index, made on first use
let results = [];
let selected = -1;

// Words keep their underscores (`finished_success`), and each part is a word too.
const tokenize = (text) => {
  const words = String(text).split(/[^\p{L}\p{N}_]+/u).filter(Boolean);
  return words.flatMap((w) => (w.includes('_') ? [w, ...w.split('_').filter(Boolean)] : [w]));
};

function loadIndex() {
  index ??= Promise.all([import('minisearch'), fetch('search-index.json').then((r) => r.json())]).then(async ([{ default: MiniSearch }, docs]) => {
    const search = new MiniSearch({ fields: ['title', 'text'], storeFields: ['title', 'kind', 'text'], tokenize, searchOptions: { boost: { title: 3 }, prefix: true, fuzzy: (term) => (term.length > 5 ? 0.15 : 0), combineWith: 'AND', tokenize } });
    // In small chunks, so that no task blocks the page for long.
    await search.addAllAsync(docs, { chunkSize: 100 });
    return search;
  });
  return index;
}

/** A short excerpt of `text` around the first word of the query, as text nodes and <mark>s. */
function snippet(text, query) {
  const words = tokenize(query).map((w) => w.toLowerCase());
  const lower = text.toLowerCase();
  const at = Math.max(0, Math.min(...words.map((w) => lower.indexOf(w)).filter((i) => i >= 0), text.length));
  const start = Math.max(0, at - 40);
  const part = (start ? '…' : '') + text.slice(start, start + 160) + (start + 160 < text.length ? '…' : '');
  const pattern = new RegExp(`(${words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`, 'gi');
  return part.split(pattern).map((piece, i) => (i % 2 ? h('mark', {}, piece) : piece));
}

async function showResults() {
  const query = input.value.trim();
  if (!query) {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    return;
  }
  list.hidden = false;
  input.setAttribute('aria-expanded', 'true');
  if (!list.children.length) list.replaceChildren(h('li', { class: 'empty', role: 'option', 'aria-disabled': 'true' }, 'Loading the search index…'));
  const search = await loadIndex();
  if (input.value.trim() !== query) return; // typed on meanwhile
  results = search.search(query).slice(0, 30);
  selected = results.length ? 0 : -1;
  list.replaceChildren(
    ...results.map((result, i) =>
      h(
        'li',
        { role: 'option', id: `search-result-${i}`, 'aria-selected': String(i === selected), 'data-href': result.id, onmousedown: (e) => (e.preventDefault(), go(result.id)) },
        h('span', { class: 'kind' }, result.kind),
        h('span', { class: 'title' }, result.title),
        h('span', { class: 'snippet' }, snippet(result.text, query)),
      ),
    ),
  );
  if (!results.length) list.replaceChildren(h('li', { class: 'empty', role: 'option', 'aria-disabled': 'true' }, `Nothing matches \u201c${query}\u201d.`));
  input.setAttribute('aria-activedescendant', results.length ? 'search-result-0' : '');
}

function move(step) {
  if (!results.length) return;
  list.children[selected]?.setAttribute('aria-selected', 'false');
  selected = (selected + step + results.length) % results.length;
  const item = list.children[selected];
  item.setAttribute('aria-selected', 'true');
  item.scrollIntoView({ block: 'nearest' });
  input.setAttribute('aria-activedescendant', item.id);
}

function go(href) {
  list.hidden = true;
  input.setAttribute('aria-expanded', 'false');
  navigate(href);
}

// --- try it ----------------------------------------------------------------------------------------
let pageData;
const pageOperations = () => (pageData ??= JSON.parse($('#page-data')?.textContent ?? '{}')).operations ?? {};
// What the reader typed during this visit: memory only.
const session = { target: 'mock', urls: {}, token: '' };
const dialog = $('#try-it');
let opener;

function addTryItButtons() {
  for (const slot of document.querySelectorAll('.try-it-slot:empty')) {
    const id = slot.dataset.operation;
    slot.append(h('button', { type: 'button', class: 'try-it-open', 'data-operation': id, 'aria-label': `Try it: ${pageOperations()[id]?.summary ?? id}`, onclick: (e) => openTryIt(id, e.currentTarget) }, 'Try it'));
  }
}

/** A labelled control on a grid row. */
const row = (label, control) => h('div', { class: 'row' }, h('label', { for: control.id }, label), control);

function openTryIt(operationId, from) {
  const op = pageOperations()[operationId];
  opener = from;
  const target = () => dialog.querySelector('input[name="target"]:checked').value;
  const urlInput = h('input', { id: 'try-url', type: 'url', spellcheck: 'false', autocomplete: 'off', 'aria-describedby': 'try-note' });
  const tokenInput = h('input', { id: 'try-token', type: 'password', autocomplete: 'off', spellcheck: 'false', value: session.token, 'aria-describedby': 'try-token-note' });
  const note = h('p', { class: 'note', id: 'try-note' });
  const showTarget = () => {
    session.target = target();
    urlInput.value = session.urls[session.target] ?? TARGETS[session.target].url;
    note.textContent = TARGETS[session.target].note;
  };
  urlInput.addEventListener('input', () => (session.urls[target()] = urlInput.value));
  tokenInput.addEventListener('input', () => (session.token = tokenInput.value));

  const fields = op.parameters.map((p, i) => row(h('span', {}, h('code', {}, p.name), ` (${p.in}${p.required ? ', required' : ''})`), h('input', { id: `try-param-${i}`, 'data-name': p.name, 'data-in': p.in, value: p.value, placeholder: p.hint, required: p.required, spellcheck: 'false' })));
  const body = op.bodies.length ? h('textarea', { id: 'try-body', rows: '8', spellcheck: 'false', value: op.bodies[0].json }) : undefined;
  const picker = op.bodies.length > 1 ? row('Example', h('select', { id: 'try-example', onchange: (e) => (body.value = op.bodies[Number(e.target.value)].json) }, op.bodies.map((b, i) => h('option', { value: String(i) }, b.label)))) : undefined;
  const answer = h('section', { class: 'answer', 'aria-live': 'polite', 'aria-label': 'Response' });
  const request = () => buildRequest(op, { url: urlInput.value, target: target(), fields, body });
  const form = h(
    'form',
    { method: 'dialog', onsubmit: (e) => (e.preventDefault(), send(request(), tokenInput.value, target(), answer)) },
    h('h2', { id: 'try-it-title' }, `Try it: ${op.summary}`),
    h('p', {}, h('span', { class: `method method-${op.method.toLowerCase()}` }, op.method), ' ', h('code', {}, op.path), op.scopes.length ? h('span', { class: 'badge scope' }, `Scope: ${op.scopes.join(', ')}`) : undefined),
    h('fieldset', { class: 'targets' }, h('legend', {}, 'Send to'), Object.entries(TARGETS).map(([key, t]) => h('label', {}, h('input', { type: 'radio', name: 'target', value: key, checked: key === session.target, onchange: showTarget }), ` ${t.label}`))),
    row('Base URL', urlInput),
    note,
    row('Token', tokenInput),
    h('p', { class: 'note', id: 'try-token-note' }, 'One token for this visit, for every operation: kept in memory only, never stored. Any token works for the mock and the sandbox.'),
    fields.length ? h('fieldset', {}, h('legend', {}, 'Parameters'), fields) : undefined,
    body ? h('fieldset', {}, h('legend', {}, `Body (JSON${op.bodyRequired ? '' : ', optional: empty sends none'})`), picker, row('JSON body', body)) : undefined,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'send' }, 'Send request'),
      h('button', { type: 'button', class: 'copy-curl', onclick: (e) => copy(e.currentTarget, curlOf(request())) }, 'Copy as curl'),
      h('button', { type: 'button', class: 'close', onclick: () => dialog.close() }, 'Close'),
    ),
    answer,
  );
  dialog.replaceChildren(form);
  showTarget();
  dialog.showModal();
}
dialog?.addEventListener('close', () => opener?.focus());

/** The request the panel describes, or { problem } saying what is wrong with it. */
function buildRequest(op, { url, target, fields, body }) {
  let path = op.path;
  const query = new URLSearchParams();
  for (const field of fields.map((f) => $('input', f))) {
    const value = field.value.trim();
    if (field.dataset.in === 'path') {
      if (!value) return { problem: `The path parameter ${field.dataset.name} is required.` };
      path = path.replace(`{${field.dataset.name}}`, encodeURIComponent(value));
    } else if (field.dataset.in === 'query' && value) query.set(field.dataset.name, value);
  }
  const headers = { Accept: 'application/json' };
  for (const field of fields.map((f) => $('input', f)).filter((f) => f.dataset.in === 'header' && f.value.trim())) headers[field.dataset.name] = field.value.trim();
  let text;
  if (body && body.value.trim()) {
    try {
      text = JSON.stringify(JSON.parse(body.value));
    } catch (error) {
      return { problem: `The body is not JSON: ${error.message}` };
    }
    headers['Content-Type'] = 'application/json';
  } else if (body && op.bodyRequired) return { problem: 'This operation needs a body.' };
  let address;
  try {
    address = new URL(url.trim().replace(/\/+$/, '') + path + (query.size ? `?${query}` : ''));
  } catch {
    return { problem: `Not a URL: ${url}` };
  }
  return { method: op.method, address, headers, body: text, target };
}

const shellQuote = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;
/** The request as a curl command; the token as $CLOUD66_TOKEN, never its value. */
function curlOf(request) {
  if (request.problem) return `# ${request.problem}`;
  const lines = [`curl -X ${request.method} ${shellQuote(request.address.href)}`, '  -H "Authorization: Bearer $CLOUD66_TOKEN"', ...Object.entries(request.headers).map(([k, v]) => `  -H ${shellQuote(`${k}: ${v}`)}`)];
  if (request.body !== undefined) lines.push(`  -d ${shellQuote(request.body)}`);
  return lines.join(' \\\n');
}

async function copy(button, text) {
  const label = button.textContent;
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
  } catch {
    button.textContent = 'Copy refused by the browser';
  }
  setTimeout(() => (button.textContent = label), 1500);
}

async function send(request, token, target, answer) {
  const show = (...children) => answer.replaceChildren(...children.flat());
  if (request.problem) return show(h('p', { class: 'problem', role: 'alert' }, request.problem));
  if (target === 'production' && !token.trim()) return show(h('p', { class: 'problem', role: 'alert' }, 'Production needs your personal access token.'));
  const headers = { ...request.headers, Authorization: `Bearer ${token.trim() || 'docs-try-it'}` };
  show(h('p', { class: 'pending' }, `${request.method} ${request.address} \u2026`));
  const started = performance.now();
  let response;
  try {
    response = await fetch(request.address, { method: request.method, headers, body: request.body, credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer' });
  } catch (error) {
    const hint = target === 'production' ? '' : ' Is it running? The page may also call only loopback addresses and app.cloud66.com (its Content-Security-Policy).';
    return show(h('p', { class: 'problem', role: 'alert' }, `Could not reach ${request.address.origin}: ${error.message}.${hint}`));
  }
  const raw = await response.text();
  let pretty = raw || '(no body)';
  try {
    if (raw) pretty = JSON.stringify(JSON.parse(raw), null, 2);
  } catch {
    // not JSON: shown as it came
  }
  const status = h('p', { class: `status status-${String(response.status)[0]}xx` }, h('strong', { 'data-status': String(response.status) }, `${response.status} ${response.statusText}`), ` \u00b7 ${Math.round(performance.now() - started)} ms`);
  const headerList = h('dl', { class: 'headers' }, [...response.headers].map(([name, value]) => [h('dt', {}, name), h('dd', {}, value)]));
  const bodyBlock = h('pre', { class: 'response-body', tabindex: '0', 'aria-label': 'Response body' }, pretty);
  show(status, h('details', { open: true }, h('summary', {}, `Headers (${[...response.headers].length})`), headerList), h('div', { class: 'actions' }, h('button', { type: 'button', class: 'copy-response', onclick: (e) => copy(e.currentTarget, pretty) }, 'Copy response')), bodyBlock);
}

// --- start ------------------------------------------------------------------------------------------
$('#theme')?.addEventListener('click', toggleTheme);
showTheme();
input?.addEventListener('input', showResults);
input?.addEventListener('focus', () => (loadIndex(), input.value.trim() && showResults()));
input?.addEventListener('blur', () => setTimeout(() => ((list.hidden = true), input.setAttribute('aria-expanded', 'false')), 150));
input?.addEventListener('keydown', (e) => {
  if (e.key === 'ArrowDown') move(1), e.preventDefault();
  else if (e.key === 'ArrowUp') move(-1), e.preventDefault();
  else if (e.key === 'Enter' && results[selected]) go(results[selected].id), e.preventDefault();
  else if (e.key === 'Escape') (input.value = ''), showResults();
});
document.addEventListener('keydown', (e) => {
  const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement?.tagName ?? '');
  if (((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') || (e.key === '/' && !typing)) {
    e.preventDefault();
    input.focus();
    input.select();
  }
});
addTryItButtons();
redirectOldFragment();
