export { createCloud66Client, formEncoded, toFormBody, unwrap, PRODUCTION_BASE_URL } from './client.js';
export type { AsyncAction, Cloud66Client, Cloud66ClientOptions, Cloud66Method, Cloud66Response, ListItem, ListPath, Schemas, WaitOptions, components, paths } from './client.js';
export { Cloud66ActionFailedError, Cloud66ApiError, Cloud66NetworkError, Cloud66TimeoutError, readRateLimit } from './errors.js';
export type { RateLimit } from './errors.js';
export { parseRetryAfter } from './retry.js';
export type { RetryInfo, RetryOptions } from './retry.js';
