/** A real portal server on a free loopback port over a given database, with a small world and the demo watch-list. */
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Database } from '../../src/db/client.ts';
import { systemPrincipal } from '../../src/domain/model.ts';
import { buildHttpApp, type App } from '../../src/http/app.ts';
import { createServiceContext, type ServiceContext } from '../../src/services/context.ts';
import { importWatchlist } from '../../src/services/watchlists.service.ts';
import { makeWorld, type World } from '../factories/world.ts';
import { testConfig } from './config.ts';

export interface PortalServer {
  url: string;
  ctx: ServiceContext;
  world: World;
  app: App;
  close(): Promise<void>;
}

/** The demo watch-list is public facts plus invented names (test/fixtures/lists/custos/README.md). */
export const DEMO_WATCHLIST = path.resolve('test/fixtures/lists/custos/demo-watchlist.csv');

export async function startPortalServer(
  database: Database,
  overrides: Record<string, string> = {},
  contextOverrides: Partial<Pick<ServiceContext, 'now'>> = {},
): Promise<PortalServer> {
  const ctx = createServiceContext(
    database.db,
    testConfig({ CUSTOS_RATE_LIMIT_PER_MINUTE: '5000', ...overrides }),
    contextOverrides,
  );
  const world = await makeWorld(ctx, 'browser');
  await importWatchlist(ctx, systemPrincipal('test'), 'custos-csv', [DEMO_WATCHLIST]);
  const app = await buildHttpApp(ctx, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    ctx,
    world,
    app,
    close: () => app.close(),
  };
}
