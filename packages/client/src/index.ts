export { createCloud66Client, formEncoded, toFormBody, unwrap, PRODUCTION_BASE_URL } from './client.js';
export type {
  Cloud66Client,
  Cloud66Logger,
  Cloud66ClientOptions,
  Cloud66Hooks,
  Cloud66Method,
  Cloud66Response,
  ErrorHookInfo,
  RequestHookInfo,
  RequestOptions,
  ResponseHookInfo,
  Schemas,
  TokenSource,
  components,
  paths,
} from './client.js';
export { createCloud66, type Cloud66 } from './cloud66.js';
export { listAll, paginate, waitForAction, waitForDeployment, withHelpers } from './helpers.js';
export type { Cloud66Helpers, ListItem, ListPath, WaitOptions } from './helpers.js';
export { bindResource } from './operations.js';
export type { ActionOptions, Body, CallOptions, DeployOptions, OperationTable, PathParam, Query, Result, Waited } from './operations.js';
export * from './generated/operations.js';
// Every schema of the description by name: Stack, Server, Deployment, AsyncAction, ...
export type * from './generated/models.js';
export {
  Cloud66AbortError,
  Cloud66ActionFailedError,
  Cloud66ApiError,
  Cloud66AuthError,
  Cloud66Error,
  Cloud66ForbiddenError,
  Cloud66NetworkError,
  Cloud66NotFoundError,
  Cloud66RefusedError,
  Cloud66ServerError,
  Cloud66ThrottledError,
  Cloud66TimeoutError,
  Cloud66TokenError,
  Cloud66ValidationError,
  parseRetryAfter,
  readRateLimit,
} from './errors.js';
export type { Cloud66ApiErrorInit, Cloud66ErrorInit, RateLimit } from './errors.js';
export type { RetryInfo, RetryOptions } from './retry.js';
export { authorizationUrl, Cloud66OAuthError, exchangeCode, generateState, OAUTH_BASE_URL, OOB_REDIRECT_URL } from './oauth.js';
export type { AuthorizationUrlOptions, ExchangeCodeOptions, OAuthToken, Scope } from './oauth.js';
