// Types of src/helpers.mjs (document.mjs, samples.mjs, client-methods.mjs); the build copies them to dist/.

/** An OpenAPI 3.1 document: the fields the helpers read, the rest left open. */
export interface OpenAPIDocument {
  openapi: string;
  info: { title: string; version: string; description?: string; [key: string]: unknown };
  servers?: Array<{ url: string; description?: string; [key: string]: unknown }>;
  security?: Array<Record<string, string[]>>;
  tags?: Array<{ name: string; description?: string; [key: string]: unknown }>;
  paths: Record<string, PathItem>;
  components?: {
    schemas?: Record<string, any>;
    parameters?: Record<string, any>;
    responses?: Record<string, any>;
    headers?: Record<string, any>;
    examples?: Record<string, any>;
    requestBodies?: Record<string, any>;
    securitySchemes?: Record<string, any>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch';

/** A path item: its operations by method, and shared parameters. */
export interface PathItem {
  parameters?: any[];
  get?: Operation;
  put?: Operation;
  post?: Operation;
  delete?: Operation;
  patch?: Operation;
  [key: string]: any;
}

/** An operation object, loosely typed (its nodes may be `$ref`s: pass them through `deref`). */
export interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: any[];
  requestBody?: any;
  responses: Record<string, any>;
  security?: Array<Record<string, string[]>>;
  [key: string]: any;
}

/** One operation of a document, as `operations()` lists it. */
export interface OperationEntry {
  method: HttpMethod;
  path: string;
  operation: Operation;
  pathItem: PathItem;
}

/** The methods `operations()` looks for, in order: get, put, post, delete, patch. */
export declare const METHODS: readonly HttpMethod[];
/** Every operation of the document, in path order. */
export declare function operations(doc: OpenAPIDocument): OperationEntry[];
/** A local JSON pointer from its parts, escaped: `pointer('paths', '/stacks', 'get')` is `#/paths/~1stacks/get`. */
export declare function pointer(...parts: Array<string | number>): string;
/** Follows local `$ref`s (`#/components/...`) inside the document until a node that is not one; undefined when a ref points nowhere. */
export declare function deref<T = any>(doc: OpenAPIDocument, node: unknown): T;
/** The name of the component schema a `$ref` points at (`#/components/schemas/Stack` is `Stack`), or undefined. */
export declare function schemaRefName(node: unknown): string | undefined;
/** The properties and required names of an object schema, its top-level `allOf` members merged. */
export declare function objectShape(doc: OpenAPIDocument, node: unknown): { properties: Record<string, any>; required: string[] };
/** The JSON pointer of a response's `application/json` schema (through a `$ref`'d response), or undefined. */
export declare function responseSchemaPointer(doc: OpenAPIDocument, path: string, method: HttpMethod, status: number | string): string | undefined;

/** A value that satisfies the schema, from its examples where the document gives them (then const, default, enum, format). */
export declare function sampleFromSchema(doc: OpenAPIDocument, node: unknown): unknown;
/** Path values and required query values for an operation, from the document's examples. */
export declare function sampleParams(doc: OpenAPIDocument, op: { operation: Operation; pathItem: PathItem }): { path: Record<string, unknown>; query: Record<string, unknown> };
/** The operation's JSON request body: its example, its first named example, or one built from its schema; undefined without one. */
export declare function sampleBody(doc: OpenAPIDocument, op: { operation: Operation }): unknown;

/** One operation as cloud66-client names it. */
export interface ClientOperation {
  /** The client's resource: the first tag in camelCase (`environmentVariables`). */
  resource: string;
  /** The method: `x-client-method`, or the operationId without its resource noun (`listStacks` is `list`). */
  name: string;
  operationId: string;
  method: HttpMethod;
  path: string;
  pathParams: string[];
  body: 'required' | 'optional' | undefined;
  /** A GET whose success body is a page (`response` array and `pagination`). */
  paged: boolean;
  /** The success body's `response` is an `AsyncAction`. */
  action: boolean;
  /** The success body's `response` may name an action by `async_action_id` (a redeploy). */
  actionId: boolean;
  summary: string;
  /** The OAuth2 scopes the operation requires (its own security, else the document's). */
  scopes: string[];
}
/** Every operation as cloud66-client names it; throws when one lacks an operationId or tag, or two get the same name. */
export declare function listOperations(doc: OpenAPIDocument): ClientOperation[];
/** The client's method name for an operation of the given tag. */
export declare function methodName(operation: { operationId: string; 'x-client-method'?: string }, tag: string): string;
/** `Environment Variables` is `environmentVariables`, `stack_id` is `stackId`. */
export declare function camelCase(text: string): string;
