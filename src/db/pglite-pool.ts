/**
 * A Kysely PostgresDialect pool over one embedded PGlite instance. PGlite is a single connection, so
 * connections are handed out one at a time (a transaction keeps its connection until released).
 */
import type { PGlite } from '@electric-sql/pglite';

const DML = /^\s*(?:--[^\n]*\n\s*)*(insert|update|delete|merge)\b/i;

interface QueryResultLike {
  command?: string;
  rowCount: number;
  rows: unknown[];
}

class PGliteConnection {
  constructor(
    private readonly pg: PGlite,
    private readonly onRelease: () => void,
  ) {}

  async query(sql: string, parameters: unknown[]): Promise<QueryResultLike> {
    const result = await this.pg.query(sql, parameters);
    const dml = DML.exec(sql);
    const trimmed = sql.trimStart().slice(0, 8).toUpperCase();
    const command = dml
      ? dml[1]!.toUpperCase()
      : trimmed.startsWith('COMMIT')
        ? 'COMMIT'
        : trimmed.startsWith('ROLLBACK')
          ? 'ROLLBACK'
          : 'SELECT';
    return { command, rowCount: result.affectedRows ?? result.rows.length, rows: result.rows };
  }

  release(): void {
    this.onRelease();
  }
}

/** The pool object Kysely's PostgresDialect expects. */
export class PGlitePool {
  private tail: Promise<void> = Promise.resolve();

  constructor(readonly pg: PGlite) {}

  connect(): Promise<PGliteConnection> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const previous = this.tail;
    this.tail = previous.then(() => released);
    return previous.then(() => new PGliteConnection(this.pg, release));
  }

  async end(): Promise<void> {
    await this.tail;
    if (!this.pg.closed) await this.pg.close();
  }
}
