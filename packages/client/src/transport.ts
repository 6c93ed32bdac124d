import { Cloud66RefusedError } from './errors.js';
import { assertSecureUrl, FetchFailure } from './retry.js';

/** Default `maxResponseBytes`: far above any Cloud 66 answer (30 items a page), far below memory trouble. */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

const refuse = (message: string) => new Cloud66RefusedError('redirect', message);

/**
 * Sends `init` (with `redirect: 'manual'`) to `url` with `send`, and follows up to 5 redirects itself,
 * so every hop passes the same https-or-loopback rule; the token goes to the first origin only, and a
 * body is never sent to another origin. What fetch throws comes out as a FetchFailure.
 */
export async function sendFollowingRedirects(url: string, init: RequestInit, send: (url: string, init: RequestInit) => Promise<Response>): Promise<Response> {
  for (let hops = 0; ; hops++) {
    let response;
    try {
      response = await send(url, init);
    } catch (error) {
      throw new FetchFailure(error, new URL(url).host);
    }
    const { status } = response;
    const location = status > 300 && status < 309 && response.headers.get('location');
    // Browsers hide the target of a redirect from code that asked for 'manual' (type "opaqueredirect").
    if (!location && response.type != 'opaqueredirect') return response;
    await response.body?.cancel();
    if (!location || hops > 4) throw refuse(location ? `more than 5 redirects from ${url}` : `${url} redirects, and this runtime hides where to`);
    const target = assertSecureUrl(new URL(location, url).href);
    const crossOrigin = target.origin != new URL(url).origin;
    // RFC 9110 §15.4: 303, and 301/302 after a POST, continue as a GET without a body.
    const asGet = status == 303 || (status < 303 && init.method == 'POST');
    const headers = new Headers(init.headers);
    if (crossOrigin) headers.delete('authorization');
    if (asGet) headers.delete('content-type');
    if (init.body != null && !asGet && crossOrigin) throw refuse(`refusing to send the request body on to ${target.origin}`);
    // The body is the serialized one (text, form data, a blob): it can be sent again as it is.
    init = { ...init, method: asGet ? 'GET' : init.method, headers, body: asGet ? undefined : init.body };
    url = target.href;
  }
}

/**
 * The response, its body capped at `limit` bytes: a Content-Length over it is refused at once; a
 * body without one (chunked, or compressed) is counted as `text()` reads it, and reading stops past
 * the limit. (The client reads bodies with text(); a `parseAs` of blob, arrayBuffer or stream is
 * the caller's choice, capped by Content-Length only.)
 */
export function capResponse(response: Response, limit: number): Response {
  const tooLarge = () => new Cloud66RefusedError('too_large', `the response is larger than maxResponseBytes (${limit})`);
  const declared = response.headers.get('content-length');
  if (+declared! > limit) {
    void response.body?.cancel();
    throw tooLarge();
  }
  // A Content-Length frames an uncompressed body exactly; only other bodies need counting.
  if (!response.body || (declared && !response.headers.has('content-encoding'))) return response;
  const body = response.body;
  // Own properties over Response.prototype's: cheaper than a new Response around a counting stream.
  const text = async () => {
    const reader = body.getReader();
    const chunks: Uint8Array[] = [];
    for (let seen = 0, part; !(part = await reader.read()).done; chunks.push(part.value)) {
      if ((seen += part.value.byteLength) > limit) {
        void reader.cancel();
        throw tooLarge();
      }
    }
    return new Blob(chunks as BlobPart[]).text();
  };
  response.text = text;
  return response;
}
