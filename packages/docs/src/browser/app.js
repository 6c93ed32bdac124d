// The reference page's own script (no inline script: the server's CSP says script-src 'self').
// Renders Redoc from openapi.json, then adds what Redoc lacks: search over operations, parameters,
// fields and guides (Ctrl K or /), dark mode following the system with a toggle, and a try-it panel
// per operation that sends the request to the local mock, the sandbox or production. A token typed
// into the panel lives in this page's memory only: never stored, never logged.
'use strict';
(() => {
  const THEME_KEY = 'cloud66-docs-theme';
  const TARGETS = {
    mock: { label: 'Local mock', url: 'http://127.0.0.1:4010', token: 'any-token', note: 'pnpm mock: answers with the examples; any token works.' },
    sandbox: { label: 'Sandbox', url: 'http://127.0.0.1:4010', token: 'any-token', note: 'pnpm mock --stateful: writes take effect, actions finish; any token works.' },
    production: { label: 'Production', url: 'https://app.cloud66.com/api/3', token: '', note: 'The real API. Paste a personal access token: it stays in this page, is never stored and goes only to app.cloud66.com.' },
  };
  const KIND_ORDER = { operation: 0, guide: 1, field: 2, parameter: 3 };
  const $ = (selector, root = document) => root.querySelector(selector);

  /** An element with attributes, properties (on*, value, checked...) and children. */
  function h(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes)) {
      if (value === undefined || value === false) continue;
      if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else if (['value', 'checked', 'textContent'].includes(key)) node[key] = value;
      else node.setAttribute(key, value === true ? '' : value);
    }
    for (const child of children.flat()) if (child !== undefined && child !== null) node.append(child);
    return node;
  }

  let data;
  let spec;
  let mode;
  // Per target, what the reader typed this visit (memory only).
  const session = { target: 'mock', urls: {}, tokens: {} };

  // --- dark mode ---------------------------------------------------------------------------------
  const systemDark = window.matchMedia('(prefers-color-scheme: dark)');
  const storedMode = () => {
    try {
      return localStorage.getItem(THEME_KEY);
    } catch {
      return null;
    }
  };
  function setMode(next, { remember = false, rerender = true } = {}) {
    mode = next;
    document.documentElement.dataset.theme = next;
    const button = $('#theme');
    button.setAttribute('aria-pressed', String(next === 'dark'));
    button.textContent = next === 'dark' ? 'Light' : 'Dark';
    button.title = next === 'dark' ? 'Switch to light mode' : 'Switch to dark mode';
    if (remember) {
      try {
        localStorage.setItem(THEME_KEY, next);
      } catch {
        // private mode: the choice lasts for this page only
      }
    }
    if (rerender && spec) render();
  }
  $('#theme').addEventListener('click', () => setMode(mode === 'dark' ? 'light' : 'dark', { remember: true }));
  systemDark.addEventListener('change', (e) => storedMode() || setMode(e.matches ? 'dark' : 'light'));
  setMode(storedMode() ?? (systemDark.matches ? 'dark' : 'light'), { rerender: false });

  // --- Redoc -------------------------------------------------------------------------------------
  function render() {
    document.body.classList.remove('ready');
    window.Redoc.init(spec, { ...data.options, theme: data.themes[mode] }, $('#redoc'), () => {
      document.body.classList.add('ready');
      addTryItButtons();
    });
  }

  function addTryItButtons() {
    for (const [operationId, op] of Object.entries(data.operations)) {
      const section = document.getElementById(op.anchor);
      const title = section && section.querySelector('h2');
      if (!title || section.querySelector('.try-it-open')) continue;
      title.after(h('button', { type: 'button', class: 'try-it-open', 'data-operation': operationId, onclick: () => openTryIt(operationId) }, 'Try it'));
    }
  }

  // --- search ------------------------------------------------------------------------------------
  const input = $('#search');
  const list = $('#search-results');
  let results = [];
  let selected = 0;

  function search(query) {
    const q = query.trim().toLowerCase();
    if (!q || !data) return [];
    const scored = [];
    for (const entry of data.search) {
      const title = entry.title.toLowerCase();
      const rank = title === q ? 0 : title.startsWith(q) ? 1 : title.includes(q) ? 2 : entry.terms.toLowerCase().includes(q) || entry.detail.toLowerCase().includes(q) ? 3 : -1;
      if (rank >= 0) scored.push({ entry, rank });
    }
    scored.sort((a, b) => a.rank - b.rank || KIND_ORDER[a.entry.kind] - KIND_ORDER[b.entry.kind] || a.entry.title.localeCompare(b.entry.title));
    return scored.slice(0, 30).map((s) => s.entry);
  }

  function showResults() {
    results = search(input.value);
    selected = 0;
    list.replaceChildren(
      ...results.map((entry, i) =>
        h('li', { role: 'option', id: `search-result-${i}`, 'aria-selected': String(i === 0), 'data-anchor': entry.anchor, onmousedown: (e) => (e.preventDefault(), go(entry.anchor)) }, h('span', { class: `kind kind-${entry.kind}` }, entry.kind), h('span', { class: 'title' }, entry.title), h('span', { class: 'detail' }, entry.detail)),
      ),
    );
    if (input.value.trim() && !results.length) list.replaceChildren(h('li', { class: 'empty' }, `Nothing matches “${input.value.trim()}”.`));
    list.hidden = !input.value.trim();
    input.setAttribute('aria-expanded', String(!list.hidden));
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

  function go(anchor) {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.blur();
    if (location.hash === `#${anchor}`) document.getElementById(anchor)?.scrollIntoView();
    else location.hash = anchor;
    // Redoc follows the hash; the element may also simply be scrolled to.
    setTimeout(() => document.getElementById(anchor)?.scrollIntoView(), 50);
  }

  input.addEventListener('input', showResults);
  input.addEventListener('focus', showResults);
  input.addEventListener('blur', () => setTimeout(() => (list.hidden = true), 100));
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') move(1), e.preventDefault();
    else if (e.key === 'ArrowUp') move(-1), e.preventDefault();
    else if (e.key === 'Enter' && results[selected]) go(results[selected].anchor), e.preventDefault();
    else if (e.key === 'Escape') (input.value = ''), showResults(), input.blur();
  });
  document.addEventListener('keydown', (e) => {
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement?.tagName ?? '');
    if (((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') || (e.key === '/' && !typing)) {
      e.preventDefault();
      input.focus();
      input.select();
    }
  });

  // --- try it ------------------------------------------------------------------------------------
  const dialog = $('#try-it');

  function openTryIt(operationId) {
    const op = data.operations[operationId];
    const target = () => dialog.querySelector('input[name="target"]:checked').value;
    const urlInput = h('input', { id: 'try-url', type: 'url', spellcheck: 'false', autocomplete: 'off' });
    const tokenInput = h('input', { id: 'try-token', type: 'password', autocomplete: 'off', spellcheck: 'false' });
    const note = h('p', { class: 'note' });
    const showTarget = () => {
      const t = target();
      session.target = t;
      urlInput.value = session.urls[t] ?? TARGETS[t].url;
      tokenInput.value = session.tokens[t] ?? TARGETS[t].token;
      tokenInput.placeholder = t === 'production' ? 'personal access token' : 'any token';
      note.textContent = TARGETS[t].note;
    };
    urlInput.addEventListener('input', () => (session.urls[target()] = urlInput.value));
    tokenInput.addEventListener('input', () => (session.tokens[target()] = tokenInput.value));

    const fields = op.parameters.map((p) =>
      h('label', { class: 'param' }, h('span', {}, h('code', {}, p.name), ` ${p.in}${p.required ? ', required' : ''}`), h('input', { 'data-name': p.name, 'data-in': p.in, value: p.value, placeholder: p.hint, required: p.required, spellcheck: 'false', title: p.description })),
    );
    const body = op.bodies.length ? h('textarea', { id: 'try-body', rows: '8', spellcheck: 'false', value: op.bodies[0].json }) : undefined;
    const examplePicker =
      op.bodies.length > 1
        ? h('select', { id: 'try-example', 'aria-label': 'Body example', onchange: (e) => (body.value = op.bodies[Number(e.target.value)].json) }, op.bodies.map((b, i) => h('option', { value: String(i) }, b.label)))
        : undefined;
    const answer = h('section', { class: 'answer', 'aria-live': 'polite' });
    const form = h(
      'form',
      { method: 'dialog', onsubmit: (e) => (e.preventDefault(), send(op, { url: urlInput.value, token: tokenInput.value, target: target(), fields, body, answer })) },
      h('header', {}, h('h2', { id: 'try-it-title' }, h('span', { class: `method method-${op.method.toLowerCase()}` }, op.method), ' ', h('code', {}, op.path)), h('p', {}, op.summary, op.scopes.length ? h('span', { class: 'scope' }, `scope: ${op.scopes.join(', ')}`) : undefined)),
      h('fieldset', { class: 'targets' }, h('legend', {}, 'Send to'), Object.entries(TARGETS).map(([key, t]) => h('label', {}, h('input', { type: 'radio', name: 'target', value: key, checked: key === session.target, onchange: showTarget }), ` ${t.label}`))),
      h('label', { class: 'wide' }, 'Base URL', urlInput),
      h('label', { class: 'wide' }, 'Token', tokenInput),
      note,
      fields.length ? h('fieldset', { class: 'params' }, h('legend', {}, 'Parameters'), fields) : undefined,
      body ? h('fieldset', { class: 'body' }, h('legend', {}, 'Body (JSON)'), examplePicker, body) : undefined,
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'send' }, 'Send request'), h('button', { type: 'button', class: 'close', onclick: () => dialog.close() }, 'Close')),
      answer,
    );
    dialog.replaceChildren(form);
    showTarget();
    dialog.showModal();
  }

  async function send(op, { url, token, target, fields, body, answer }) {
    const show = (...children) => answer.replaceChildren(...children);
    if (target === 'production' && !token.trim()) return show(h('p', { class: 'problem' }, 'Production needs your personal access token.'));
    let path = op.path;
    const query = new URLSearchParams();
    for (const label of fields) {
      const field = label.querySelector('input');
      const value = field.value.trim();
      if (field.dataset.in === 'path') {
        if (!value) return show(h('p', { class: 'problem' }, `Path parameter ${field.dataset.name} is required.`));
        path = path.replace(`{${field.dataset.name}}`, encodeURIComponent(value));
      } else if (value) query.set(field.dataset.name, value);
    }
    let text;
    if (body) {
      try {
        text = JSON.stringify(JSON.parse(body.value));
      } catch (error) {
        return show(h('p', { class: 'problem' }, `The body is not JSON: ${error.message}`));
      }
    }
    let address;
    try {
      address = new URL(url.replace(/\/+$/, '') + path + (query.size ? `?${query}` : ''));
    } catch {
      return show(h('p', { class: 'problem' }, `Not a URL: ${url}`));
    }
    const headers = { Accept: 'application/json', Authorization: `Bearer ${token}` };
    if (text !== undefined) headers['Content-Type'] = 'application/json';
    show(h('p', { class: 'pending' }, `${op.method} ${address} …`));
    const started = performance.now();
    let response;
    try {
      response = await fetch(address, { method: op.method, headers, body: text, credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer' });
    } catch (error) {
      const hint = target === 'production' ? '' : ' Is the mock running (pnpm mock)?';
      return show(h('p', { class: 'problem' }, `Could not reach ${address.origin}: ${error.message}.${hint}`));
    }
    const raw = await response.text();
    let pretty = raw;
    try {
      pretty = raw ? JSON.stringify(JSON.parse(raw), null, 2) : '(no body)';
    } catch {
      // not JSON: shown as it came
    }
    const status = h('p', { class: `status status-${String(response.status)[0]}xx` }, h('strong', { 'data-status': String(response.status) }, `${response.status} ${response.statusText}`), ` · ${Math.round(performance.now() - started)} ms`);
    const headerList = h('dl', { class: 'headers' }, [...response.headers].map(([name, value]) => [h('dt', {}, name), h('dd', {}, value)]));
    show(status, h('details', {}, h('summary', {}, 'Headers'), headerList), h('pre', { class: 'response-body' }, pretty));
  }

  // --- start -------------------------------------------------------------------------------------
  Promise.all([fetch('site-data.json').then((r) => r.json()), fetch('openapi.json').then((r) => r.json())])
    .then(([siteData, description]) => {
      data = siteData;
      spec = description;
      render();
      if (document.activeElement === input) showResults();
    })
    .catch((error) => {
      $('#redoc').prepend(h('p', { class: 'problem' }, `The reference could not load: ${error.message}. The description is at openapi.json.`));
    });
})();
