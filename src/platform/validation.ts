import { Ajv, type Options } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';

const shared: Options = {
  allErrors: false,
  // Request schemas say `additionalProperties: false`, and an unknown property is refused
  // (400), not silently dropped: a client sending `points` must learn it is not honoured.
  removeAdditional: false,
  useDefaults: true,
  strict: false,
};

// Query strings and path parameters arrive as text, so they are coerced ("10" → 10);
// JSON bodies have real types, and a number where a string belongs is a client bug.
const coercing = new Ajv({ ...shared, coerceTypes: 'array' });
const exact = new Ajv({ ...shared, coerceTypes: false });

/** Fastify validator compiler: exact types for bodies, coercion for everything else. */
export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? exact : coercing;
  return ajv.compile(schema);
};
