// Checks the front makes before a request reaches Prism: each is something Prism 5.14 crashes on,
// hangs on or answers with a 500 (see test/PRISM-GAPS.md). A check returns a problem to answer
// with 400 bad_request, or undefined when the request may go on.
import contentType from 'content-type';

/** Deeper JSON than this is refused: the API's bodies are 3 levels deep; Prism's validator recurses. */
export const MAX_JSON_DEPTH = 64;

const isJsonType = (type) => /^application\/([\w.+-]+\+)?json$/.test(type);

/** Every path segment and query component must be valid percent-encoded UTF-8 (`%FF` crashes Prism). */
export function checkTarget(target) {
  if (!target.startsWith('/')) return { description: 'The request target must be a path starting with "/".', details: `target: ${target.slice(0, 100)}` };
  const [path, query = ''] = target.split('?', 2);
  // Routing decides on the path as sent; a dot segment (`/oauth/../stacks`, `%2e%2e` included) would be
  // resolved later by whatever reads it, so one request could be routed as one path and served as another.
  const dotSegment = path.split('/').find((part) => /^(\.|%2e){1,2}$/i.test(part));
  if (dotSegment !== undefined) return { description: 'The request path must not contain "." or ".." segments.', details: `path segment: ${JSON.stringify(dotSegment)}` };
  for (const [where, parts] of [['path segment', path.split('/')], ['query component', query.split(/[&=]/)]]) {
    for (const part of parts) {
      try {
        decodeURIComponent(part.replace(/\+/g, ' '));
      } catch {
        return { description: `A ${where} is not valid percent-encoded UTF-8.`, details: `${where}: ${JSON.stringify(part.slice(0, 100))}` };
      }
    }
  }
  return undefined;
}

/**
 * The Content-Type of a request with a body: one media type (a list gives Prism a 500), UTF-8 if a
 * charset is named (utf-16 JSON is never answered by Prism), and for JSON, a body that parses and
 * is not nested deeper than MAX_JSON_DEPTH (deep nesting gives Prism a 500).
 */
export function checkBody(header, body) {
  if (!body.length) return undefined;
  if (!header) return undefined; // Prism answers a missing Content-Type itself (415 in its violations)
  let parsed;
  try {
    parsed = contentType.parse(header);
  } catch {
    return { description: 'The Content-Type header is not a single media type.', details: `Content-Type: ${header.slice(0, 100)}` };
  }
  const charset = parsed.parameters.charset?.toLowerCase();
  if (charset && charset !== 'utf-8' && charset !== 'us-ascii') {
    return { description: `Request bodies must be UTF-8; charset=${charset} is not supported.`, details: `Content-Type: ${header.slice(0, 100)}` };
  }
  if (!isJsonType(parsed.type)) return undefined;
  if (exceedsDepth(body, MAX_JSON_DEPTH)) {
    return { description: `The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels.`, details: `body: nesting deeper than ${MAX_JSON_DEPTH}` };
  }
  try {
    JSON.parse(body.toString('utf8'));
  } catch (error) {
    return { description: 'The request body is not valid JSON.', details: `body: ${error.message}` };
  }
  return undefined;
}

/** Whether brackets nest deeper than `max`, counted over the bytes (no parse, so no recursion). */
function exceedsDepth(bytes, max) {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}
