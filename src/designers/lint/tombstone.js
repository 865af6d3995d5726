// tombstone's lint plugin: rules that encode the contract discipline of the specs in openapi/.

import AssumptionHasReason from './rules/assumption-has-reason.js';
import AuthFailureDocumented from './rules/auth-failure-documented.js';
import ErrorResponseDocumented from './rules/error-response-documented.js';
import OperationHasHandler from './rules/operation-has-handler.js';

export default function tombstonePlugin() {
  return {
    id: 'tombstone',
    rules: {
      oas3: {
        'error-response-documented': ErrorResponseDocumented,
        'assumption-has-reason': AssumptionHasReason,
        'auth-failure-documented': AuthFailureDocumented,
        'operation-has-handler': OperationHasHandler,
      },
    },
  };
}
