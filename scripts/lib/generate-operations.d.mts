// Types of generate-operations.mjs for the TypeScript tests that read the operation list (the list
// itself is cloud66-openapi's: packages/openapi/src/client-methods.mjs).
export type { ClientOperation as OperationInfo } from '../../packages/openapi/src/helpers.mjs';
export { listOperations, methodName } from '../../packages/openapi/src/helpers.mjs';
export function generateOperations(bundleText: string): string;
export function generateModels(bundleText: string): string;
/** A resource's runtime table (the format src/operations.ts decodes). */
export function encodeTable(ops: Array<{ method: string; path: string; name: string; body?: unknown; paged?: boolean; action?: boolean; actionId?: boolean }>): string;
