/** What every service receives: the database, a clock, an id source and the configuration. */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Config } from '../config.ts';
import type { DB } from '../db/schema.ts';

export type Db = Kysely<DB>;
export type Tx = Transaction<DB>;

export interface ServiceContext {
  readonly db: Db;
  readonly config: Config;
  /** The current time; tests pass a fixed clock. */
  readonly now: () => Date;
  readonly newId: () => string;
}

export function createServiceContext(
  db: Db,
  config: Config,
  overrides: Partial<ServiceContext> = {},
): ServiceContext {
  return { db, config, now: () => new Date(), newId: () => randomUUID(), ...overrides };
}
