/**
 * Every 4xx/5xx response documents a JSON body with a schema and at least one example, so contract tests can
 * validate it and `Prefer: code=<status>` can serve it.
 * https://redocly.com/docs/cli/custom-plugins/custom-rules
 */
export default function ErrorResponseDocumented() {
  return {
    Response: {
      enter(response, ctx) {
        if (!/^[45]/.test(String(ctx.key))) return;
        const json = response.content?.['application/json'];
        if (!json) {
          ctx.report({
            message: `${ctx.key} response must document an application/json body.`,
            location: ctx.location,
          });
          return;
        }
        if (!json.schema) {
          ctx.report({
            message: `${ctx.key} response must have a schema.`,
            location: ctx.location.child(['content', 'application/json']),
          });
        }
        if (!json.examples || Object.keys(json.examples).length === 0) {
          ctx.report({
            message: `${ctx.key} response must have at least one named example.`,
            location: ctx.location.child(['content', 'application/json']),
          });
        }
      },
    },
  };
}
