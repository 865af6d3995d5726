/**
 * A secured operation documents how it refuses a caller: 401 for missing or wrong credentials (RFC 9110, 15.5.2),
 * and 403 as well when its security asks for scopes, since a valid token without them is refused with 403
 * `insufficient_scope` (RFC 6750, 3.1). Without these, contract tests and `Prefer: code=401` have nothing to
 * check or serve. An operation is secured when its security (or the spec's) names a scheme; `security: []` or a
 * lone `{}` requirement makes it public. An optional scheme (`[{scheme: []}, {}]`) still counts: a wrong
 * credential is refused.
 * https://spec.openapis.org/oas/v3.0.3#security-requirement-object
 */
export default function AuthFailureDocumented() {
  let rootSecurity = [];
  return {
    Root: {
      enter(root) {
        rootSecurity = root.security ?? [];
      },
    },
    Operation: {
      enter(operation, ctx) {
        const requirements = operation.security ?? rootSecurity;
        const schemes = requirements.flatMap((requirement) => Object.keys(requirement ?? {}));
        if (schemes.length === 0) return;
        const needsScopes = requirements.some((requirement) =>
          Object.values(requirement ?? {}).some((scopes) => scopes.length > 0),
        );
        const documented = Object.keys(operation.responses ?? {});
        const missing = ['401', ...(needsScopes ? ['403'] : [])].filter((status) => !documented.includes(status));
        if (missing.length === 0) return;
        ctx.report({
          message:
            `Operation is secured (${[...new Set(schemes)].join(', ')}) but documents no ` +
            `${missing.join(' and ')} response for a refused caller.`,
          location: ctx.location.child('responses').key(),
        });
      },
    },
  };
}
