/** Shared zod building blocks: ids, ISO codes, pagination, problem details. */
import { z } from 'zod';
import { isCountryCode, isCurrencyCode } from '../domain/codes.ts';
import { ISSUE_CODES, REASON_CODES } from '../domain/errors.ts';

export const Uuid = z.uuid();
export const CountryCode = z
  .string()
  .refine(isCountryCode, {
    message: 'must be an ISO 3166-1 alpha-2 country code in upper case, e.g. DE',
    params: { code: 'country_code' },
  })
  .meta({ description: 'ISO 3166-1 alpha-2 country code', example: 'DE' });
export const CurrencyCode = z
  .string()
  .refine(isCurrencyCode, {
    message: 'must be an ISO 4217 currency code, e.g. EUR',
    params: { code: 'currency_code' },
  })
  .meta({ description: 'ISO 4217 currency code', example: 'EUR' });
export const NonEmptyText = (max: number) => z.string().trim().min(1).max(max);
export const Version = z
  .number()
  .int()
  .positive()
  .meta({ description: 'Record version for optimistic concurrency' });

export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const Page = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  });

/** RFC 9457 problem details, with the field issues Custos adds. */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    code: z.string(),
    requestId: z.string().optional(),
    reason: z
      .enum(REASON_CODES)
      .optional()
      .describe('Why, as a stable code, for a refusal of a known kind (stale_version: reload and try again)'),
    issues: z
      .array(
        z.object({
          path: z.string(),
          message: z.string(),
          code: z
            .enum(ISSUE_CODES)
            .optional()
            .describe('What kind of problem (stable, for clients and translations); absent for others'),
          params: z
            .record(z.string(), z.union([z.string(), z.number()]))
            .optional()
            .describe("The code's parameters: the limit, the allowed values, the unknown keys"),
        }),
      )
      .optional(),
  })
  .meta({ id: 'Problem' });
