export { createCloud66Client, formEncoded, toFormBody, unwrap, PRODUCTION_BASE_URL } from './client.js';
export type {
  AsyncAction,
  Cloud66Client,
  Cloud66ClientOptions,
  Cloud66Hooks,
  Cloud66Method,
  Cloud66Response,
  ErrorHookInfo,
  RequestHookInfo,
  ResponseHookInfo,
  Schemas,
  TokenSource,
  components,
  paths,
} from './client.js';
export { createCloud66, type Cloud66 } from './cloud66.js';
export { listAll, paginate, waitForAction, withHelpers } from './helpers.js';
export type { Cloud66Helpers, ListItem, ListPath, WaitOptions } from './helpers.js';
export { bindResource } from './operations.js';
export type { ActionOptions, Body, CallOptions, OperationEntry, PathParam, Query, Result } from './operations.js';
export * from './generated/operations.js';
export { Cloud66ActionFailedError, Cloud66ApiError, Cloud66NetworkError, Cloud66RefusedError, Cloud66TimeoutError, readRateLimit } from './errors.js';
export type { RateLimit } from './errors.js';
export { parseRetryAfter } from './retry.js';
export type { RetryInfo, RetryOptions } from './retry.js';
export { authorizationUrl, Cloud66OAuthError, exchangeCode, generateState, OAUTH_BASE_URL, OOB_REDIRECT_URL } from './oauth.js';
export type { AuthorizationUrlOptions, ExchangeCodeOptions, OAuthToken, Scope } from './oauth.js';
