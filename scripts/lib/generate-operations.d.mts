// Types of generate-operations.mjs for the TypeScript tests that read the operation list.
export interface OperationInfo {
  resource: string;
  name: string;
  operationId: string;
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  pathParams: string[];
  body: 'required' | 'optional' | undefined;
  paged: boolean;
  action: boolean;
  summary: string;
  scopes: string[];
}
export function methodName(operation: { operationId: string; 'x-client-method'?: string }, tag: string): string;
export function listOperations(doc: unknown): OperationInfo[];
export function generateOperations(bundleText: string): string;
