import { Type } from 'typebox';

/** `?limit&offset` of the admin lists read a page at a time (the review queue, the delivery log). */
export const PageQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
  },
  { additionalProperties: false },
);
