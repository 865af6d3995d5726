/**
 * `x-assumption` marks what a vendor page leaves open; the value must say why the choice was made.
 */
const MIN_REASON_LENGTH = 20;

export default function AssumptionHasReason() {
  return {
    any: {
      enter(node, ctx) {
        if (!node || typeof node !== 'object' || !('x-assumption' in node)) return;
        const reason = node['x-assumption'];
        if (typeof reason !== 'string' || reason.trim().length < MIN_REASON_LENGTH) {
          ctx.report({
            message: `x-assumption must be a sentence giving the reason (at least ${MIN_REASON_LENGTH} characters).`,
            location: ctx.location.child('x-assumption'),
          });
        }
      },
    },
  };
}
