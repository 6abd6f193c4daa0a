import type { UploadedFile } from './body.js';
import { CURRENCY_EXPONENTS } from '@greenfin/core';
import type { ZodTypeAny } from 'zod';
import { z } from './zod.js';

/** A string PostgreSQL can store: no NUL characters. Use for every text input. */
export function text(min: number, max: number) {
  return z
    .string()
    .min(min)
    .max(max)
    .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters');
}

/**
 * `schema` or null, for schemas registered as OpenAPI components: written as `anyOf [$ref, null]`.
 * (zod-to-openapi renders `.nullable()` of a component it has already emitted as
 * `allOf [$ref, {type: [object, null]}]`, which rejects null.)
 */
export function orNull<T extends ZodTypeAny>(schema: T) {
  return z.union([schema, z.null()]);
}

export const Uuid = z
  .string()
  .uuid()
  .openapi({ format: 'uuid', example: '0193a0c4-3f5e-7a52-9d1e-6f0c2b7a4e11' });
export const Timestamp = z
  .string()
  .datetime()
  .openapi({ format: 'date-time', example: '2026-01-15T09:30:00.000Z' });
export const IdParams = z.object({ id: Uuid });

function isCalendarDate(date: string): boolean {
  const time = Date.parse(`${date}T00:00:00Z`);
  return Number.isFinite(time) && new Date(time).toISOString().slice(0, 10) === date;
}

/** A calendar date, ISO 8601 `YYYY-MM-DD`. */
export const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'an ISO date YYYY-MM-DD')
  .refine(isCalendarDate, 'not a calendar date')
  .openapi({ format: 'date', example: '2025-01-15' });

export const CurrencyCodeSchema = z
  .enum(
    Object.keys(CURRENCY_EXPONENTS) as [
      keyof typeof CURRENCY_EXPONENTS,
      ...(keyof typeof CURRENCY_EXPONENTS)[],
    ],
  )
  .openapi({ description: 'ISO 4217 currency code.', example: 'GBP' });

/** Money as UK Open Banking writes it: a decimal string and an ISO 4217 currency. */
export const MoneySchema = z
  .object({
    amount: z
      .string()
      .regex(/^-?\d{1,15}(\.\d{1,4})?$/, 'a decimal string such as "500000.00"')
      .openapi({ example: '500000.00' }),
    currency: CurrencyCodeSchema,
  })
  .openapi('Money', {
    description: 'An amount as a decimal string (never a binary float) with its currency.',
  });
export type MoneyJson = z.infer<typeof MoneySchema>;

/** `limit` and `cursor` query parameters shared by every list. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ description: 'Page size (1–100).' }),
  cursor: z
    .string()
    .max(500)
    .optional()
    .openapi({ description: 'Opaque cursor from the previous page’s `nextCursor`.' }),
});

/** `{ items, nextCursor }`, the shape of every list. */
export function pageOf<T extends ZodTypeAny>(item: T, name: string) {
  return z
    .object({
      items: z.array(item),
      nextCursor: z
        .string()
        .nullable()
        .openapi({ description: 'Pass as `cursor` for the next page; null on the last.' }),
    })
    .openapi(name);
}

export const ETagHeaders = z.object({
  ETag: z.string().openapi({ description: 'Version tag for If-Match / If-None-Match.', example: '"3"' }),
});
export const LocationHeaders = z.object({
  Location: z.string().openapi({ description: 'URL of the created resource.' }),
});
export const CreatedHeaders = LocationHeaders.merge(ETagHeaders);
export const IfMatchHeaders = z.object({
  'If-Match': z
    .string()
    .max(200)
    .optional()
    .openapi({ description: 'Send the ETag you read; a stale one answers 412.', example: '"3"' }),
});
export const IfNoneMatchHeaders = z.object({
  'If-None-Match': z
    .string()
    .max(200)
    .optional()
    .openapi({ description: 'An ETag you hold; unchanged → 304.' }),
});

/**
 * A file part of a multipart/form-data body (see `FormSpec` in route.ts): documented as a binary
 * string, validated as the uploaded file the seam read.
 */
export const UploadedFileSchema = z
  .custom<UploadedFile>(
    (value) =>
      typeof value === 'object' && value !== null && Buffer.isBuffer((value as UploadedFile).content),
    { message: 'Required: attach the file as a multipart file part' },
  )
  .openapi({ type: 'string', format: 'binary' });
