// Markdown to HTML for the site (markdown-it), with an anchor on every heading, paragraph, list item,
// table row and code block, so that a search result can land on the exact place that matched. Each
// anchored block is also returned as a search document.
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

/** A fragment id from a text: lower case, words joined by dashes. */
export const slugify = (text) =>
  String(text)
    .toLowerCase()
    .replace(/<[^>]+>/g, '')
    .replace(/[`*_[\]()]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '') || 'section';

/** Plain text of an inline Markdown source, for search and for headings' names. */
export const plainText = (source) =>
  String(source)
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*_]/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/** Allocates unique ids within one page. */
export function idAllocator() {
  const used = new Map();
  return (wanted) => {
    const count = used.get(wanted) ?? 0;
    used.set(wanted, count + 1);
    return count ? `${wanted}-${count + 1}` : wanted;
  };
}

// Tables become a focusable, labelled region that scrolls sideways on a phone, not the page.
md.renderer.rules.table_open = (tokens, idx, options, env, self) => `<div class="table-wrap" tabindex="0" role="region" aria-label="${md.utils.escapeHtml(tokens[idx].meta?.label ?? 'Table')}">${self.renderToken(tokens, idx, options)}`;
md.renderer.rules.table_close = (tokens, idx, options, env, self) => `${self.renderToken(tokens, idx, options)}</div>`;
// Code blocks may scroll sideways: focusable, so a keyboard can scroll them too.
const fence = md.renderer.rules.fence;
md.renderer.rules.fence = (tokens, idx, options, env, self) => fence(tokens, idx, options, env, self).replace(/^<pre>/, `<pre tabindex="0"${tokens[idx].meta?.id ? ` id="${tokens[idx].meta.id}"` : ''}>`);

/**
 * Renders `source`. Options: `shift` demotes headings (## becomes ### with shift 1), `ids` is the page's
 * id allocator, `rewriteLink(href)` maps link targets. Returns { html, headings, blocks }.
 */
export function renderMarkdown(source, { shift = 0, ids = idAllocator(), rewriteLink = (href) => href, section = '' } = {}) {
  const tokens = md.parse(source, {});
  const headings = [];
  const blocks = [];
  const tableLabels = new Map();
  let heading = { id: section, text: '' };
  // The text of the block opened at `from`: its inline content, without that of nested lists.
  const textOf = (from) => {
    const { level } = tokens[from];
    const parts = [];
    for (let i = from + 1; i < tokens.length && tokens[i].level > level; i++) if (tokens[i].type === 'inline' && tokens[i].level <= level + 2) parts.push(tokens[i].content);
    return plainText(parts.join(' '));
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.type === 'heading_open') {
      const level = Math.min(6, Number(token.tag.slice(1)) + shift);
      token.tag = `h${level}`;
      tokens.find((t, j) => j > i && t.type === 'heading_close').tag = `h${level}`;
      const text = plainText(tokens[i + 1].content);
      const id = ids(slugify(text));
      token.attrSet('id', id);
      heading = { id, text };
      headings.push({ level, text, id });
      blocks.push({ id, heading: text, text });
    } else if (token.type === 'paragraph_open' && !token.hidden) {
      const id = ids(`${heading.id || 'p'}-p`);
      token.attrSet('id', id);
      blocks.push({ id, heading: heading.text, text: textOf(i) });
    } else if (token.type === 'list_item_open' || token.type === 'tr_open') {
      // A row whose first cell is an id (the errata's `E-DEPLOY-1`) is anchored by that id.
      const firstCell = token.type === 'tr_open' ? plainText(tokens[i + 2]?.content ?? '') : '';
      const id = ids(/^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/.test(firstCell) ? slugify(firstCell) : `${heading.id || 'p'}-${token.type === 'tr_open' ? 'row' : 'item'}`);
      token.attrSet('id', id);
      // A list item's own text (its nested items are documents of their own).
      blocks.push({ id, heading: heading.text, text: textOf(i) });
    } else if (token.type === 'table_open') {
      // Landmarks need distinct names: a second table under the same heading is "(2)".
      const label = heading.text ? `Table: ${heading.text}` : 'Table';
      const seen = (tableLabels.get(label) ?? 0) + 1;
      tableLabels.set(label, seen);
      token.meta = { label: seen > 1 ? `${label} (${seen})` : label };
    } else if (token.type === 'fence') {
      const id = ids(`${heading.id || 'p'}-code`);
      token.meta = { id };
      blocks.push({ id, heading: heading.text, text: token.content });
    } else if (token.type === 'inline') {
      for (const child of token.children ?? []) if (child.type === 'link_open') child.attrSet('href', rewriteLink(child.attrGet('href')));
    }
  }
  return { html: md.renderer.render(tokens, md.options, {}), headings, blocks };
}

/** One line of Markdown (a field's description) as inline HTML. */
export const renderInline = (source) => md.renderInline(String(source ?? ''));
export const escapeHtml = (text) => md.utils.escapeHtml(String(text ?? ''));
