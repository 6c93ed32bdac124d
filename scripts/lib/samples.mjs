// Realistic request values taken from the description: moved to cloud66-openapi
// (packages/openapi/src/samples.mjs); re-exported for the repository's scripts and tests.
export { sampleBody, sampleFromSchema, sampleParams } from '../../packages/openapi/src/samples.mjs';
