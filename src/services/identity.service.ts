/** Identity: local accounts (argon2id), browser sessions with CSRF tokens, and API tokens for machines. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import type { Selectable } from 'kysely';
import {
  TokenCreate,
  UserCreate,
  UserPreferences,
  type UserCreateInput,
  type UserPreferencesInput,
} from '../contracts/foundation.ts';
import { conflict, DomainError, notFound } from '../domain/errors.ts';
import { isLocale } from '../domain/locales.ts';
import type { Principal, User, UserRole } from '../domain/model.ts';
import type { UsersTable } from '../db/schema.ts';
import { appendAudit } from './audit.service.ts';
import { requireRole, requireUser } from './authorization.ts';
import type { ServiceContext } from './context.ts';
import { parseInput } from './validation.ts';

// argon2id, OWASP's second recommended configuration (m=19 MiB, t=2, p=1).
const ARGON2 = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
// A real hash of a random password, verified when the e-mail is unknown so both failures cost the same.
let dummyHash: Promise<string> | undefined;
const getDummyHash = (): Promise<string> =>
  (dummyHash ??= argonHash(randomBytes(16).toString('hex'), ARGON2));

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

export function toUser(r: Selectable<UsersTable>): User {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    email: r.email,
    displayName: r.display_name,
    role: r.role as UserRole,
    disabled: r.disabled,
    language: isLocale(r.language) ? r.language : null,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

export const hashPassword = (password: string): Promise<string> => argonHash(password, ARGON2);

export async function createUser(
  ctx: ServiceContext,
  actor: Principal,
  input: UserCreateInput,
): Promise<User> {
  requireRole(actor, 'administrator');
  const data = parseInput(UserCreate, input);
  const passwordHash = await hashPassword(data.password);
  return ctx.db.transaction().execute(async (trx) => {
    const org = await trx
      .selectFrom('organisations')
      .select(['id', 'kind'])
      .where('id', '=', data.organisationId)
      .executeTakeFirst();
    if (!org)
      throw new DomainError('INVALID', 'The organisation does not exist.', {
        issues: [{ path: 'organisationId', message: 'no such organisation' }],
      });
    const needsAuthority = data.role !== 'exporter';
    if (needsAuthority !== (org.kind === 'authority')) {
      throw new DomainError(
        'INVALID',
        `A user with role ${data.role} must belong to ${needsAuthority ? 'the licensing authority' : 'an exporter'}.`,
        {
          issues: [{ path: 'role', message: `does not fit an organisation of kind ${org.kind}` }],
        },
      );
    }
    const taken = await trx
      .selectFrom('users')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['email']), '=', data.email.toLowerCase()))
      .executeTakeFirst();
    if (taken) throw conflict(`A user with the e-mail address ${data.email} already exists.`);
    const row = await trx
      .insertInto('users')
      .values({
        id: ctx.newId(),
        organisation_id: data.organisationId,
        email: data.email,
        display_name: data.displayName,
        role: data.role,
        password_hash: passwordHash,
        language: data.language ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(ctx, trx, actor, {
      action: 'user.created',
      entityType: 'user',
      entityId: row.id,
      payload: { organisationId: row.organisation_id, role: row.role },
    });
    return toUser(row);
  });
}

/** The signed-in user's own account. */
export async function getOwnUser(ctx: ServiceContext, actor: Principal): Promise<User> {
  const { userId } = requireUser(actor);
  const row = await ctx.db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
  if (!row) throw notFound('User');
  return toUser(row);
}

/**
 * The signed-in user changes their own preferences (today: the language Custos writes to them in). Nobody changes
 * another user's: the user is the actor's own. Audited; an unchanged value writes nothing.
 * @example await setOwnPreferences(ctx, actor, { language: 'fr' })
 */
export async function setOwnPreferences(
  ctx: ServiceContext,
  actor: Principal,
  input: UserPreferencesInput,
): Promise<User> {
  const { userId } = requireUser(actor);
  const data = parseInput(UserPreferences, input, 'The preferences');
  return ctx.db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('users')
      .selectAll()
      .where('id', '=', userId)
      .forUpdate()
      .executeTakeFirst();
    if (!before || before.disabled) throw notFound('User');
    if (before.language === data.language) return toUser(before);
    const row = await trx
      .updateTable('users')
      .set((eb) => ({ language: data.language, version: eb('version', '+', 1) }))
      .where('id', '=', userId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(ctx, trx, actor, {
      action: 'user.preferences_changed',
      entityType: 'user',
      entityId: userId,
      payload: { language: { from: before.language, to: row.language } },
    });
    return toUser(row);
  });
}

export async function listUsers(ctx: ServiceContext, actor: Principal): Promise<User[]> {
  requireRole(actor, 'administrator');
  return (await ctx.db.selectFrom('users').selectAll().orderBy('email').execute()).map(toUser);
}

export interface SessionIssued {
  user: User;
  sessionToken: string;
  csrfToken: string;
  expiresAt: string;
}

/** Check a password and open a session. Wrong e-mail and wrong password give the same answer and take the same time. */
export async function login(ctx: ServiceContext, email: string, password: string): Promise<SessionIssued> {
  const row = await ctx.db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
  const ok = await argonVerify(row?.password_hash ?? (await getDummyHash()), password).catch(() => false);
  if (!row || !ok || row.disabled || !row.password_hash) {
    throw new DomainError('UNAUTHENTICATED', 'The e-mail address or password is wrong.');
  }
  const sessionToken = randomToken();
  const csrfToken = randomToken();
  const expiresAt = new Date(ctx.now().getTime() + ctx.config.sessionTtlMs);
  const user = toUser(row);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('sessions')
      .values({
        token_hash: sha256(sessionToken),
        user_id: row.id,
        csrf_token: csrfToken,
        expires_at: expiresAt,
      })
      .execute();
    await appendAudit(
      ctx,
      trx,
      { kind: 'user', userId: row.id, organisationId: row.organisation_id, role: user.role, via: 'session' },
      {
        action: 'session.opened',
        entityType: 'user',
        entityId: row.id,
      },
    );
  });
  return { user, sessionToken, csrfToken, expiresAt: expiresAt.toISOString() };
}

export interface ResolvedSession {
  principal: Extract<Principal, { kind: 'user' }>;
  user: User;
  csrfToken: string;
  expiresAt: string;
}

export async function resolveSession(
  ctx: ServiceContext,
  sessionToken: string,
): Promise<ResolvedSession | null> {
  const row = await ctx.db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select(['sessions.csrf_token', 'sessions.expires_at', 'sessions.token_hash'])
    .where('sessions.token_hash', '=', sha256(sessionToken))
    .executeTakeFirst();
  if (!row || row.disabled || new Date(row.expires_at) <= ctx.now()) return null;
  const user = toUser(row);
  return {
    principal: {
      kind: 'user',
      userId: user.id,
      organisationId: user.organisationId,
      role: user.role,
      via: 'session',
    },
    user,
    csrfToken: row.csrf_token,
    expiresAt: new Date(row.expires_at).toISOString(),
  };
}

export async function logout(ctx: ServiceContext, sessionToken: string): Promise<void> {
  await ctx.db.deleteFrom('sessions').where('token_hash', '=', sha256(sessionToken)).execute();
}

/** Constant-time comparison of a submitted CSRF token with the session's. */
export function csrfMatches(expected: string, submitted: string | undefined): boolean {
  if (!submitted) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(submitted);
  return a.length === b.length && timingSafeEqual(a, b);
}

const TOKEN_PREFIX = 'cst_';

export async function createApiToken(
  ctx: ServiceContext,
  actor: Principal,
  input: { name: string; expiresInDays?: number | undefined },
): Promise<{ id: string; name: string; token: string; expiresAt: string | null }> {
  const user = requireUser(actor);
  const data = parseInput(TokenCreate, input);
  const token = TOKEN_PREFIX + randomToken();
  const expiresAt = data.expiresInDays
    ? new Date(ctx.now().getTime() + data.expiresInDays * 86_400_000)
    : null;
  const id = ctx.newId();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('api_tokens')
      .values({ id, user_id: user.userId, name: data.name, token_hash: sha256(token), expires_at: expiresAt })
      .execute();
    await appendAudit(ctx, trx, actor, {
      action: 'api_token.created',
      entityType: 'api_token',
      entityId: id,
      payload: { name: data.name },
    });
  });
  return { id, name: data.name, token, expiresAt: expiresAt?.toISOString() ?? null };
}

export async function revokeApiToken(ctx: ServiceContext, actor: Principal, tokenId: string): Promise<void> {
  const user = requireUser(actor);
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('api_tokens')
      .select(['id', 'user_id'])
      .where('id', '=', tokenId)
      .executeTakeFirst();
    if (!row || (row.user_id !== user.userId && user.role !== 'administrator')) throw notFound('API token');
    await trx.updateTable('api_tokens').set({ revoked_at: ctx.now() }).where('id', '=', tokenId).execute();
    await appendAudit(ctx, trx, actor, {
      action: 'api_token.revoked',
      entityType: 'api_token',
      entityId: tokenId,
    });
  });
}

export async function resolveApiToken(
  ctx: ServiceContext,
  token: string,
): Promise<Extract<Principal, { kind: 'user' }> | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await ctx.db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'users.id',
      'users.organisation_id',
      'users.role',
      'users.disabled',
      'api_tokens.expires_at',
      'api_tokens.revoked_at',
      'api_tokens.id as token_id',
    ])
    .where('api_tokens.token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!row || row.disabled || row.revoked_at || (row.expires_at && new Date(row.expires_at) <= ctx.now()))
    return null;
  await ctx.db
    .updateTable('api_tokens')
    .set({ last_used_at: ctx.now() })
    .where('id', '=', row.token_id)
    .execute();
  return {
    kind: 'user',
    userId: row.id,
    organisationId: row.organisation_id,
    role: row.role as UserRole,
    via: 'token',
  };
}
