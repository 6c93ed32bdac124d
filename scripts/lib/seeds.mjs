// Reads the two seed documents in ../shared/seeds into one list of actions, so the
// import script and the conformance test see the seeds the same way.
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Where the seeds live: $CLOUD66_SEEDS, else ../shared/seeds beside the checkout. */
export function seedsDir() {
  const dir = process.env.CLOUD66_SEEDS ?? resolve(root, '../shared/seeds');
  if (!existsSync(join(dir, 'cloud66-api-v3.apib'))) {
    throw new Error(`seeds not found in ${dir} (set CLOUD66_SEEDS to the folder holding cloud66-api-v3.apib)`);
  }
  return dir;
}

/**
 * A Blueprint parameter line such as "git_ref (optional, string `x`)" lost its comma, so
 * parsers take the whole line as the name; the real name is the first word.
 */
function cleanParamName(raw) {
  const name = raw.trim().split(/[\s(]/)[0];
  const inline = /\((required|optional)/.exec(raw);
  return { name, inlineRequired: inline ? inline[1] === 'required' : undefined };
}

const meta = (el, key) => el?.meta?.[key]?.content;
const scopeOf = (text) => /Scope:\s*_?([a-z]+)_?/i.exec(text ?? '')?.[1];

/** Parses the API Blueprint with drafter.js (tabs expanded first: drafter refuses them). */
export function readBlueprint(dir = seedsDir()) {
  const drafter = require('drafter.js');
  const source = readFileSync(join(dir, 'cloud66-api-v3.apib'), 'utf8').replace(/\t/g, '    ');
  const result = drafter.parseSync(source, { requireBlueprintName: false });
  const errors = result.content.filter(
    (c) => c.element === 'annotation' && c.meta?.classes?.content?.some((x) => x.content === 'error'),
  );
  if (errors.length) throw new Error(`drafter could not parse the Blueprint: ${errors.map((e) => e.content).join('; ')}`);
  const actions = [];
  const visit = (node, group) => {
    if (!node || typeof node !== 'object') return;
    if (node.element === 'resource') {
      const copy = node.content.filter((c) => c.element === 'copy').map((c) => c.content).join('\n');
      for (const t of node.content.filter((c) => c.element === 'transition')) {
        const tx = t.content.find((c) => c.element === 'httpTransaction');
        const req = tx.content.find((c) => c.element === 'httpRequest');
        const resp = tx.content.find((c) => c.element === 'httpResponse');
        const body = resp?.content?.find((c) => c.element === 'asset' && meta(c, 'classes')?.[0]?.content === 'messageBody');
        const vars = (t.attributes?.hrefVariables ?? node.attributes?.hrefVariables)?.content ?? [];
        const params = vars.map((m) => {
          const { name, inlineRequired } = cleanParamName(m.content.key.content);
          const typeAttr = m.attributes?.typeAttributes?.content?.map((x) => x.content) ?? [];
          return {
            name,
            required: inlineRequired ?? typeAttr.includes('required'),
            type: m.content.value?.element,
            description: meta(m, 'description'),
          };
        });
        const status = Number(resp?.attributes?.statusCode?.content ?? 200);
        actions.push({
          source: 'blueprint',
          group,
          resource: meta(node, 'title'),
          title: meta(t, 'title'),
          method: req.attributes.method.content,
          path: node.attributes.href.content,
          scope: scopeOf(copy),
          params,
          status,
          body: body?.content?.trim() || undefined,
        });
      }
      return;
    }
    const nextGroup = node.element === 'category' && meta(node, 'classes')?.[0]?.content === 'resourceGroup' ? meta(node, 'title') : group;
    if (Array.isArray(node.content)) node.content.forEach((c) => visit(c, nextGroup));
  };
  visit(result.content.find((c) => c.element === 'category'), undefined);
  return actions;
}

const SIGNATURE = /^(GET|POST|PUT|DELETE|PATCH)(\/\S*)$/;
const PARAM_TYPE = /^(string|integer|number|boolean)\s*\((required|optional)\)\s*(?:Example:\s*(.*))?$/;

/**
 * Reads the rendered page text by its structure: each action is a block that starts with its
 * resource title, a "• Scope:" line and a "METHOD https://..." example line, then "Body" and the
 * JSON, then the action title, the "METHOD/path" signature line and the URI parameters.
 */
export function readRendered(dir = seedsDir()) {
  const lines = readFileSync(join(dir, 'cloud66-api-v3-rendered.txt'), 'utf8').split('\n');
  const actions = [];
  for (let i = 0; i < lines.length; i++) {
    const sig = SIGNATURE.exec(lines[i].trim());
    if (!sig) continue;
    const title = lines[i - 1].trim();
    // Walk back to this action's "• Scope:" line; the example request follows it.
    let s = i - 1;
    while (s > 0 && !/^\s*•\s*Scope:/.test(lines[s]) && !SIGNATURE.test(lines[s].trim())) s--;
    const scope = scopeOf(lines[s]);
    const resource = lines[s - 3]?.trim() === '' ? lines[s - 4]?.trim() : undefined;
    const exampleUrl = /^(?:GET|POST|PUT|DELETE|PATCH) (\S+)/.exec(lines[s + 1]?.trim() ?? '')?.[1];
    const statusLine = /^Responses(\d{3})/.exec(lines[s + 2]?.trim() ?? '');
    const bodyStart = lines.slice(s, i).findIndex((l) => l.trim() === 'Body');
    let body;
    if (bodyStart >= 0) {
      body = lines.slice(s + bodyStart + 1, i - 1).join('\n').trim() || undefined;
    }
    const params = [];
    let j = i + 1;
    while (j < lines.length && lines[j].trim() !== 'URI Parameters' && !SIGNATURE.test(lines[j].trim()) && !/^\s*•\s*Scope:/.test(lines[j])) j++;
    if (lines[j]?.trim() === 'URI Parameters') {
      j += 2; // skip "HideShow"
      for (;;) {
        while (j < lines.length && lines[j].trim() === '') j++;
        const type = PARAM_TYPE.exec(lines[j + 1]?.trim() ?? '');
        if (!type) break;
        const { name, inlineRequired } = cleanParamName(lines[j]);
        j += 2;
        while (j < lines.length && lines[j].trim() === '') j++;
        const description = [];
        while (j < lines.length && lines[j].trim() !== '') description.push(lines[j++].trim());
        params.push({
          name,
          required: inlineRequired ?? type[2] === 'required',
          type: type[1],
          example: type[3]?.trim(),
          description: description.join(' '),
        });
      }
    }
    actions.push({
      source: 'rendered',
      resource,
      title,
      method: sig[1],
      path: sig[2],
      scope,
      exampleUrl,
      params,
      status: statusLine ? Number(statusLine[1]) : 200,
      body,
    });
  }
  return actions;
}

/** Tries to parse an example body; returns { value } or { error }. */
export function parseBody(body) {
  try {
    return { value: JSON.parse(body) };
  } catch (error) {
    return { error: error.message };
  }
}
