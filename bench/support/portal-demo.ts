/**
 * The demo instance the portal benchmark and the screenshots use: an in-memory PGlite database, migrated and seeded
 * with the synthetic demo data and its published reports (as `npm start` does), the demo accounts, the demo
 * watch-list, served on loopback.
 */
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import {
  DEMO_APPLICATIONS,
  DEMO_SEED,
  publishDemoReports,
  seedDemo,
  stageDemoCasework,
} from '../../src/cli/demo.ts';
import { createOutput } from '../../src/cli/output.ts';
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';
import { systemPrincipal } from '../../src/domain/model.ts';
import { buildHttpApp, type App } from '../../src/http/app.ts';
import { createServiceContext, type ServiceContext } from '../../src/services/context.ts';
import { ensureDemoAccounts, type DemoAccount } from '../../src/services/demo-accounts.service.ts';
import { importWatchlist } from '../../src/services/watchlists.service.ts';

export interface PortalDemo {
  url: string;
  ctx: ServiceContext;
  app: App;
  accounts: DemoAccount[];
  close(): Promise<void>;
}

export async function startPortalDemo(applications = DEMO_APPLICATIONS): Promise<PortalDemo> {
  const database = await openDatabase({ kind: 'pglite-memory' });
  await migrate(database);
  const config = loadConfig({
    CUSTOS_DATA_DIR: '/nonexistent-demo-dir',
    LOG_LEVEL: 'silent',
    CUSTOS_RATE_LIMIT_PER_MINUTE: '100000',
  });
  const ctx = createServiceContext(database.db, config);
  const quiet = createOutput(true, { out: process.stdout, err: process.stderr });
  const exporterIds = await seedDemo(ctx, quiet, { applications, seed: DEMO_SEED });
  await publishDemoReports(ctx, quiet);
  const accounts = await ensureDemoAccounts(ctx, exporterIds);
  await stageDemoCasework(ctx, quiet, accounts);
  await importWatchlist(ctx, systemPrincipal('demo'), 'custos-csv', [
    path.resolve('test/fixtures/lists/custos/demo-watchlist.csv'),
  ]);
  const app = await buildHttpApp(ctx, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    ctx,
    app,
    accounts,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** Sign in through the portal form; returns the session cookie header. */
export async function signInCookie(url: string, account: DemoAccount): Promise<string> {
  const res = await fetch(`${url}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: account.email, password: account.password }).toString(),
  });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('custos_session='));
  if (res.status !== 303 || !cookie) throw new Error(`sign-in failed for ${account.email}: ${res.status}`);
  return cookie.split(';')[0]!;
}
