/** Configuration: the environment parsed once with zod into a frozen object, passed down from main.ts. */
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const EnvSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  CUSTOS_DATA_DIR: z.string().min(1).default('./.custos'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('127.0.0.1'),
  CUSTOS_PUBLIC_URL: z.string().url().optional(),
  CUSTOS_SECURE_COOKIES: bool.optional(),
  CUSTOS_SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
  CUSTOS_MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  CUSTOS_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  CUSTOS_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  CUSTOS_AUTHORITY_NAME: z.string().default('Demo National Licensing Authority'),
  CUSTOS_AUTHORITY_COUNTRY: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .default('DE'),
  CUSTOS_REFERENCE_PREFIX: z
    .string()
    .regex(/^[A-Z]{2,8}$/)
    .default('CUS'),
  CUSTOS_REFERENCE_DATA_DIR: z.string().default('./reference-data'),
  CUSTOS_CLASSIFICATION_PROFILES_DIR: z.string().min(1).optional(),
  CUSTOS_JOB_WORKERS: z.coerce.number().int().min(0).default(1),
  CUSTOS_REPORT_CACHE_DIR: z.string().min(1).optional(),
  CUSTOS_SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  CUSTOS_SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(25),
  CUSTOS_SMTP_SECURE: bool.default(false),
  CUSTOS_SMTP_FROM: z.string().min(3).default('Custos <no-reply@custos.invalid>'),
  CUSTOS_OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  CUSTOS_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  CUSTOS_HOLIDAY_CALENDAR: z.enum(['de', 'fr']).default('de'),
  CUSTOS_AUTHORITY_ADDRESS: z
    .string()
    .default('Address of the licensing authority (set CUSTOS_AUTHORITY_ADDRESS)'),
  CUSTOS_APPEAL_BODY: z.string().default('the administrative court competent for the seat of the authority'),
  CUSTOS_APPEAL_DAYS: z.coerce.number().int().positive().default(30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly port: number;
  readonly host: string;
  readonly publicUrl: string;
  readonly secureCookies: boolean;
  readonly sessionTtlMs: number;
  readonly maxUploadBytes: number;
  readonly maxBodyBytes: number;
  readonly rateLimitPerMinute: number;
  readonly authority: { readonly name: string; readonly country: string; readonly referencePrefix: string };
  readonly referenceDataDir: string;
  /** An authority's own classification profiles (YAML files), added to legal and broad. */
  readonly classificationProfilesDir: string | undefined;
  readonly jobWorkers: number;
  /** The cache of rendered register blocks (ADR 0009), or null when switched off (`CUSTOS_REPORT_CACHE_DIR=off`). */
  readonly reportCacheDir: string | null;
  /** Outgoing e-mail (notifications outbox): SMTP server and sender address. */
  readonly smtp: {
    readonly host: string;
    readonly port: number;
    readonly secure: boolean;
    readonly from: string;
  };
  /** Notifications outbox: delivery attempts before a message goes to the dead letters; webhook call timeout. */
  readonly outbox: { readonly maxAttempts: number; readonly webhookTimeoutMs: number };
  /** Case handling (issue 6): holiday calendar policy/workflow/holidays-<id>.yaml and the appeal notice. */
  readonly casework: {
    readonly holidayCalendar: 'de' | 'fr';
    readonly authorityAddress: string;
    readonly appealBody: string;
    readonly appealDays: number;
  };
  readonly logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
}

/** Parse the environment. Throws an Error listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const publicUrl = e.CUSTOS_PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`;
  return Object.freeze({
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(cwd, e.CUSTOS_DATA_DIR),
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    secureCookies: e.CUSTOS_SECURE_COOKIES ?? publicUrl.startsWith('https:'),
    sessionTtlMs: e.CUSTOS_SESSION_TTL_HOURS * 3_600_000,
    maxUploadBytes: e.CUSTOS_MAX_UPLOAD_BYTES,
    maxBodyBytes: e.CUSTOS_MAX_BODY_BYTES,
    rateLimitPerMinute: e.CUSTOS_RATE_LIMIT_PER_MINUTE,
    authority: Object.freeze({
      name: e.CUSTOS_AUTHORITY_NAME,
      country: e.CUSTOS_AUTHORITY_COUNTRY,
      referencePrefix: e.CUSTOS_REFERENCE_PREFIX,
    }),
    referenceDataDir: path.resolve(cwd, e.CUSTOS_REFERENCE_DATA_DIR),
    classificationProfilesDir: e.CUSTOS_CLASSIFICATION_PROFILES_DIR
      ? path.resolve(cwd, e.CUSTOS_CLASSIFICATION_PROFILES_DIR)
      : undefined,
    jobWorkers: e.CUSTOS_JOB_WORKERS,
    reportCacheDir:
      e.CUSTOS_REPORT_CACHE_DIR === 'off'
        ? null
        : path.resolve(cwd, e.CUSTOS_REPORT_CACHE_DIR ?? path.join(e.CUSTOS_DATA_DIR, 'report-cache')),
    smtp: Object.freeze({
      host: e.CUSTOS_SMTP_HOST,
      port: e.CUSTOS_SMTP_PORT,
      secure: e.CUSTOS_SMTP_SECURE,
      from: e.CUSTOS_SMTP_FROM,
    }),
    outbox: Object.freeze({
      maxAttempts: e.CUSTOS_OUTBOX_MAX_ATTEMPTS,
      webhookTimeoutMs: e.CUSTOS_WEBHOOK_TIMEOUT_MS,
    }),
    casework: Object.freeze({
      holidayCalendar: e.CUSTOS_HOLIDAY_CALENDAR,
      authorityAddress: e.CUSTOS_AUTHORITY_ADDRESS,
      appealBody: e.CUSTOS_APPEAL_BODY,
      appealDays: e.CUSTOS_APPEAL_DAYS,
    }),
    logLevel: e.LOG_LEVEL,
  });
}
