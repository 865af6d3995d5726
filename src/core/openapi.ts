/** The OpenAPI 3.0 Path Item fields that hold operations (OpenAPI 3.0.3, Path Item Object). */
export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
