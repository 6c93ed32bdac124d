// cloud66-openapi: the OpenAPI 3.1 description of the Cloud 66 API v3 (the package's openapi.json) and
// the helpers over it.
import description from '../openapi.json' with { type: 'json' };

export * from './helpers.mjs';
export { description };
export default description;
