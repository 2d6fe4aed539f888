import { Ajv, type Options } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';

const shared: Options = {
  allErrors: false,
  // Where a schema says `additionalProperties: false` (every request body schema here
  // does), unknown properties are dropped rather than rejected: clients may send fields a
  // newer API reads. ('all' would also strip inside anyOf branches, which breaks unions.)
  removeAdditional: true,
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
