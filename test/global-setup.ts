/**
 * Vitest global setup: migrate one template database per run, which each test file copies.
 * PostgreSQL when TEST_DATABASE_URL (or DATABASE_URL) is set, embedded PGlite otherwise.
 *
 * Every temporary file of the run (the template's dump, the fixtures tests write, downloads, browser profiles) goes
 * into one folder, set as TMPDIR before the test processes start and removed when the run ends, so a run leaves
 * nothing behind in the machine's temporary folder whatever a test forgets to delete.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabase:
      { kind: 'postgres'; adminUrl: string; template: string } | { kind: 'pglite'; dumpFile: string };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-test-run-'));
  const previousTmp = process.env.TMPDIR;
  process.env.TMPDIR = runTmp; // inherited by the forked test processes and whatever they start
  const removeRunTmp = () => {
    if (previousTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previousTmp;
    fs.rmSync(runTmp, { recursive: true, force: true });
  };
  const url = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (url) {
    const template = `custos_template_${process.pid}`;
    const admin = await openDatabase({ kind: 'postgres', url, poolSize: 1 });
    await admin.execScript(`drop database if exists ${template}`);
    await admin.execScript(`create database ${template}`);
    const templateUrl = new URL(url);
    templateUrl.pathname = `/${template}`;
    const db = await openDatabase({ kind: 'postgres', url: templateUrl.toString(), poolSize: 1 });
    await migrate(db);
    await db.close();
    project.provide('testDatabase', { kind: 'postgres', adminUrl: url, template });
    console.log(`[custos tests] database: PostgreSQL (${templateUrl.host}), template ${template}`);
    return async () => {
      await admin.execScript(`drop database if exists ${template}`).catch(() => undefined);
      await admin.close();
      removeRunTmp();
    };
  }
  const db = await openDatabase({ kind: 'pglite-memory' });
  await migrate(db);
  const dump = await db.pglite!.dumpDataDir('none');
  await db.close();
  const dumpFile = path.join(runTmp, 'template.tar');
  fs.writeFileSync(dumpFile, Buffer.from(await dump.arrayBuffer()));
  project.provide('testDatabase', { kind: 'pglite', dumpFile });
  console.log('[custos tests] database: embedded PGlite (set TEST_DATABASE_URL for PostgreSQL)');
  return async () => removeRunTmp();
}
