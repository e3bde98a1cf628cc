/** The CLI as a user types it: migrate, users, the data-folder lock, and audit verification of a tampered row. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/client.ts';
import type { Command } from 'commander';
import type { CliContext } from '../../../src/cli/context.ts';
import { buildProgram } from '../../../src/cli/main.ts';
import { runCli, startCli } from '../../support/cli.ts';

let dataDir: string;
let env: Record<string, string>;

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-cli-'));
  env = { CUSTOS_DATA_DIR: dataDir };
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

// Generous timeouts: each step starts a process (and a new embedded database is initialised on disk).
describe('custos CLI', { timeout: 300_000 }, () => {
  it('prints help with the commands and exits 0', async () => {
    const r = await runCli(['--help'], env);
    expect(r.code).toBe(0);
    for (const cmd of ['serve', 'migrate', 'users', 'audit', 'demo']) expect(r.stdout).toContain(cmd);
  });

  it('refuses an unknown command and bad options with exit 2', async () => {
    expect((await runCli(['frobnicate'], env)).code).toBe(2);
    const bad = await runCli(['demo', 'seed', '--applications', '-5'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('positive whole number');
  });

  it('refuses an id that is not a UUID, in every command that takes one, with exit 2 and the reason', async () => {
    // Every command (and subcommand) with an argument named <...Id>, found in the program itself.
    const program = buildProgram({} as CliContext);
    const withIds: { argv: string[]; name: string }[] = [];
    const walk = (command: Command, path: string[]) => {
      for (const sub of command.commands) walk(sub, [...path, sub.name()]);
      const ids = command.registeredArguments.filter((a) => a.name().endsWith('Id'));
      if (ids.length === 0) return;
      const args = command.registeredArguments.map((a) =>
        a.name() === ids[0]!.name() ? 'not-an-id' : '00000000-0000-0000-0000-000000000000',
      );
      const mandatory = command.options
        .filter((o) => o.mandatory)
        .flatMap((o) => [o.long!, o.argChoices?.[0] ?? '1']);
      withIds.push({ argv: [...path, ...args, ...mandatory], name: ids[0]!.name() });
    };
    walk(program, []);
    expect(withIds.length).toBeGreaterThan(15);
    const results: Awaited<ReturnType<typeof runCli>>[] = [];
    for (let i = 0; i < withIds.length; i += 4)
      results.push(...(await Promise.all(withIds.slice(i, i + 4).map(({ argv }) => runCli(argv, env)))));
    results.forEach((r, i) => {
      const { argv, name } = withIds[i]!;
      expect({ argv, code: r.code, stderr: r.stderr.trim().split('\n')[0] }).toEqual({
        argv,
        code: 2,
        stderr: `custos: ${name} "not-an-id" is not an id: ids are UUIDs, as the list commands print them.`,
      });
    });
  });

  it("gives a command's own --version option to the command, not the program's version", async () => {
    // A data folder of its own: the command opens (and migrates) the database, which the next tests expect empty.
    const own = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-cli-version-'));
    const respond = await runCli(
      [
        'catch-all',
        'respond',
        '00000000-0000-0000-0000-000000000000',
        '--member-state',
        'FR',
        '--version',
        '3',
      ],
      { CUSTOS_DATA_DIR: own },
    );
    fs.rmSync(own, { recursive: true, force: true });
    expect(respond.stdout).not.toContain('0.1.0');
    expect({ code: respond.code, stderr: respond.stderr.trim() }).toEqual({
      code: 3,
      stderr: 'custos: Catch-all consultation was not found.',
    });
    expect((await runCli(['--version'], env)).stdout.trim()).toBe('0.1.0');
  });

  it('migrates, creates users (password on stdin) and reports JSON', async () => {
    const m = await runCli(['migrate', '--json'], env, { cwd: os.tmpdir() });
    expect(m.code).toBe(0);
    expect(JSON.parse(m.stdout).applied).toContain('0001_foundation.sql');
    const u = await runCli(
      [
        'users',
        'create',
        '--email',
        'admin@example.test',
        '--name',
        'Admin',
        '--role',
        'administrator',
        '--organisation',
        'authority',
        '--language',
        'fr',
        '--json',
      ],
      env,
      {
        input: 'a long admin password\n',
      },
    );
    expect(u.code, u.stderr).toBe(0);
    expect(JSON.parse(u.stdout)).toMatchObject({
      email: 'admin@example.test',
      role: 'administrator',
      language: 'fr',
    });
    const dup = await runCli(
      [
        'users',
        'create',
        '--email',
        'admin@example.test',
        '--name',
        'Again',
        '--role',
        'administrator',
        '--organisation',
        'authority',
      ],
      env,
      {
        input: 'a long admin password\n',
      },
    );
    expect(dup.code).toBe(4);
    expect(dup.stderr).toContain('already exists');
    const weak = await runCli(
      [
        'users',
        'create',
        '--email',
        'x@example.test',
        '--name',
        'X',
        '--role',
        'officer',
        '--organisation',
        'authority',
      ],
      env,
      { input: 'short\n' },
    );
    expect(weak.code).toBe(2);
    expect(weak.stderr).toContain('password');
  });

  it("upkeep analyzes the embedded database's tables (PGlite has no autovacuum), then finds nothing to do", async () => {
    const first = await runCli(['upkeep', '--json'], env);
    expect(first.code, first.stderr).toBe(0);
    const done = JSON.parse(first.stdout) as {
      autovacuum: boolean;
      steps: { table: string; reason: string }[];
    };
    expect(done.autovacuum).toBe(false);
    expect(done.steps.find((s) => s.table === 'applications')?.reason).toContain('never analyzed');
    const again = await runCli(['upkeep'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Every table is up to date.');
  });

  it('verifies the audit chain, then names a tampered event and exits 7', async () => {
    const ok = await runCli(['audit', 'verify', '--json'], env);
    expect(ok.code).toBe(0);
    const report = JSON.parse(ok.stdout);
    expect(report.ok).toBe(true);
    expect(report.checked).toBeGreaterThanOrEqual(2);

    const db = await openDatabase({ kind: 'pglite', dataDir, command: 'test tamper' });
    await sql`update audit_events set payload = jsonb_set(payload, '{role}', '"exporter"') where action = 'user.created'`.execute(
      db.db,
    );
    const tampered = await sql<{
      seq: number;
    }>`select seq from audit_events where action = 'user.created'`.execute(db.db);
    await db.close();

    const bad = await runCli(['audit', 'verify'], env);
    expect(bad.code).toBe(7);
    expect(bad.stdout).toContain(`#${tampered.rows[0]!.seq} changed`);
  });

  it('checks the report source table, names what differs (exit 7) and repairs it', async () => {
    const seeded = await runCli(['demo', 'seed', '--applications', '40', '--json'], env);
    expect(seeded.code, seeded.stderr).toBe(0);
    const clean = await runCli(['report', 'check-source', '--json'], env);
    expect(clean.code, clean.stderr).toBe(0);
    const found = JSON.parse(clean.stdout) as { checked: number; missing: string[] };
    expect(found.checked).toBeGreaterThan(20);
    expect(found.missing).toEqual([]);

    const db = await openDatabase({ kind: 'pglite', dataDir, command: 'test tamper' });
    const gone = await sql<{
      id: string;
    }>`delete from report_sources where application_id = (select min(application_id::text)::uuid from report_sources)
      returning application_id as id`.execute(db.db);
    await db.close();

    const bad = await runCli(['report', 'check-source'], env);
    expect(bad.code).toBe(7);
    expect(bad.stdout).toContain('Report source differs: 0 stale, 1 missing, 0 extra');
    const repaired = await runCli(['report', 'check-source', '--repair', '--json'], env);
    expect(repaired.code, repaired.stderr).toBe(0);
    expect(JSON.parse(repaired.stdout)).toMatchObject({ missing: [gone.rows[0]!.id], repaired: 1 });
    const again = await runCli(['report', 'check-source'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Report source up to date');
  });

  it('holds an exclusive lock on the data folder while serving: a second process gets a clear error', async () => {
    const server = startCli(['serve', '--quiet'], { ...env, PORT: '0' }, 'Stop with Ctrl-C');
    try {
      const out = await server.ready;
      expect(out).toMatch(/running at http:\/\/127\.0\.0\.1:\d+/);
      // Where e-mail goes, so that a newcomer without an SMTP server knows why deliveries are retried.
      expect(out).toMatch(/E-mail: SMTP \S+:\d+ .*messages wait in the outbox/);
      const second = await runCli(['migrate'], env);
      expect(second.code).toBe(5);
      expect(second.stderr).toMatch(/in use by process \d+ \(custos serve/);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    // Released on exit: the folder can be opened again.
    expect((await runCli(['migrate'], env)).code).toBe(0);
  });

  it('on a first run seeds the demo and publishes its reports, so the public register is not empty', async () => {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-first-run-'));
    const server = startCli(
      ['serve', '--first-run', '--quiet'],
      { CUSTOS_DATA_DIR: fresh, PORT: '0' },
      'Stop with Ctrl-C',
    );
    try {
      const out = await server.ready;
      expect(out).toMatch(/Published demo transparency reports for \d{4}/);
      const url = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
      expect(out).toMatch(/classified [1-9]\d* demo items against the control list/);
      const reports = (await (await fetch(`${url}/api/reports`)).json()) as { items: { summary: string }[] };
      expect(reports.items.length).toBeGreaterThan(0);
      // the demo items are classified, so the Art 26(2) cyber-surveillance figures are not all zero
      expect(
        reports.items.some(
          (r) => Number(/(\d+) with cyber-surveillance items/.exec(r.summary)?.[1] ?? 0) > 0,
        ),
      ).toBe(true);
      const register = (await (await fetch(`${url}/api/register?limit=200`)).json()) as {
        total: number;
        items: { items: { controlEntries: string[] }[] }[];
      };
      expect(register.total).toBeGreaterThan(0);
      expect(register.items.some((r) => r.items.some((l) => l.controlEntries.length > 0))).toBe(true);
      // the first demo exporter has an open information request and a due-diligence record begun
      const staged =
        /Demo casework for (exporter1@\S+): an information request on (\S+); a due-diligence record begun on (\S+)\./.exec(
          out,
        );
      expect(staged, out).not.toBeNull();
      const login = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: staged![1], password: 'custos-demo-password' }),
      });
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      const mine = (await (
        await fetch(`${url}/api/applications?limit=200`, { headers: { cookie } })
      ).json()) as {
        items: { id: string; reference: string; status: string }[];
      };
      const asked = mine.items.find((a) => a.reference === staged![2]);
      expect(asked?.status).toBe('information_requested');
      const requests = (await (
        await fetch(`${url}/api/applications/${asked!.id}/information-requests`, { headers: { cookie } })
      ).json()) as { status: string }[];
      expect(requests.map((r) => r.status)).toEqual(['open']);
      const draft = mine.items.find((a) => a.reference === staged![3])!;
      const diligence = (await (
        await fetch(`${url}/api/applications/${draft.id}/due-diligence`, { headers: { cookie } })
      ).json()) as { record: { answers: Record<string, unknown> } | null };
      expect(Object.keys(diligence.record?.answers ?? {}).length).toBeGreaterThan(5);
    } finally {
      expect(await server.stop()).toBe(0);
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  });
});
