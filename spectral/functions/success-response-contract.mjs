import { createRulesetFunction } from '@stoplight/spectral-core';

// What every 2xx response must carry: the rate-limit headers (option `headers`), and, for each media
// type it returns, at least one example so the mock serves realistic data (option `example`).
export default createRulesetFunction(
  {
    input: { type: 'object' },
    options: {
      type: 'object',
      properties: { headers: { type: 'array', items: { type: 'string' } }, example: { type: 'boolean' } },
      additionalProperties: false,
    },
  },
  function successResponseContract(responses, { headers = [], example = false }, context) {
    const results = [];
    for (const [code, response] of Object.entries(responses ?? {})) {
      if (!/^2\d\d$/.test(code) || !response || typeof response !== 'object') continue;
      const where = [...context.path, code];
      const declared = new Set(Object.keys(response.headers ?? {}).map((h) => h.toLowerCase()));
      for (const header of headers) {
        if (!declared.has(header.toLowerCase())) {
          results.push({ message: `${code} response does not declare the ${header} header.`, path: [...where, 'headers'] });
        }
      }
      if (!example) continue;
      for (const [mediaType, media] of Object.entries(response.content ?? {})) {
        const hasExample = media?.example !== undefined || Object.keys(media?.examples ?? {}).length > 0;
        if (!hasExample) {
          results.push({ message: `${code} response (${mediaType}) has no example.`, path: [...where, 'content', mediaType] });
        }
      }
    }
    return results;
  },
);
