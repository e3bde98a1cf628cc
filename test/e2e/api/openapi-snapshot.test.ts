/** The OpenAPI document is committed as a snapshot, so any change of the HTTP contract shows in review. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { App } from '../../../src/http/app.ts';
import { createServiceContext } from '../../../src/services/context.ts';
import { testConfig } from '../../support/config.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { buildTestApp } from '../../support/http.ts';

let database: TestDatabase;
let app: App;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(createServiceContext(database.db, testConfig()));
});
afterAll(async () => {
  await app.close();
  await database.close();
});

it('matches the committed OpenAPI snapshot (update with: npx vitest run test/e2e/api/openapi-snapshot.test.ts -u (the path first: -u takes an optional value and would swallow it, running the whole suite))', async () => {
  const doc = (await app.inject({ url: '/openapi.json' })).json();
  await expect(`${JSON.stringify(doc, null, 2)}\n`).toMatchFileSnapshot('./__snapshots__/openapi.json');
});
