// The helpers without the description: for code that reads its own copy of a document.
export { METHODS, deref, objectShape, operations, pointer, responseSchemaPointer, schemaRefName } from './document.mjs';
export { sampleBody, sampleFromSchema, sampleParams } from './samples.mjs';
export { camelCase, listOperations, methodName } from './client-methods.mjs';
