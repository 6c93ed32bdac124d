// Types of cloud66-openapi's main entry: the helpers and the description.
import type { OpenAPIDocument } from './helpers.mjs';

export * from './helpers.mjs';
/** The OpenAPI 3.1 description of the Cloud 66 API v3: the package's openapi.json, parsed. */
export declare const description: OpenAPIDocument;
export default description;
