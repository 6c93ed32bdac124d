// Our own Spectral rules for this description. `.spectral.yaml` extends this file; the unit tests
// in spectral/test load it directly.
import { oas3 } from '@stoplight/spectral-formats';
import operationIdForm from './functions/operation-id-form.mjs';
import pagedList from './functions/paged-list.mjs';
import requiredResponses from './functions/required-responses.mjs';
import requiredScope from './functions/required-scope.mjs';
import successResponseContract from './functions/success-response-contract.mjs';

const OPERATIONS = '$.paths[*][get,put,post,delete,patch]';

export default {
  formats: [oas3],
  rules: {
    'c66-operation-id-form': {
      description: 'Every operation has a verb-first camelCase operationId whose verb fits its HTTP method.',
      message: '{{error}}',
      severity: 'error',
      given: OPERATIONS,
      then: { function: operationIdForm },
    },
    'c66-required-scope': {
      description: 'Every operation requires exactly one declared oauth2 scope in its own security.',
      message: '{{error}}',
      severity: 'error',
      given: OPERATIONS,
      then: { function: requiredScope, functionOptions: { scheme: 'oauth2' } },
    },
    'c66-error-responses': {
      description: 'Every operation declares the 401, 403 and 503 responses every call can meet.',
      message: '{{error}}',
      severity: 'error',
      given: OPERATIONS,
      then: { function: requiredResponses, functionOptions: { codes: ['401', '403', '503'] } },
    },
    'c66-rate-limit-headers': {
      description: 'Every success response declares X-RateLimit-Limit and X-RateLimit-Remaining.',
      message: '{{error}}',
      severity: 'error',
      given: `${OPERATIONS}.responses`,
      then: { function: successResponseContract, functionOptions: { headers: ['X-RateLimit-Limit', 'X-RateLimit-Remaining'] } },
    },
    'c66-success-example': {
      description: 'Every media type of every success response has an example, so the mock serves realistic data.',
      message: '{{error}}',
      severity: 'error',
      given: `${OPERATIONS}.responses`,
      then: { function: successResponseContract, functionOptions: { example: true } },
    },
    'c66-paged-list': {
      description: 'Every list operation accepts the page query parameter.',
      message: '{{error}}',
      severity: 'error',
      given: OPERATIONS,
      then: { function: pagedList },
    },
  },
};
