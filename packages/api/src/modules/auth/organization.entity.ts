import { defineEntity, type InferEntity } from '@mikro-orm/core';

/** A tenant: one bank or lender. Every other row belongs to exactly one. */
export const Organization = defineEntity({
  name: 'Organization',
  tableName: 'organizations',
  properties: (p) => ({
    id: p.uuid().primary(),
    name: p.string().length(200),
    createdAt: p.datetime().onCreate(() => new Date()),
  }),
});
export type Organization = InferEntity<typeof Organization>;
