/**
 * `custos report` as a user types it, on two instances (two databases, two authorities): build files from the
 * database, draft -> review -> publish (idempotent), list, EU merge of both published packages, and bad input
 * (a period that does not parse, a policy that would publish a confidential field) refused with the reason.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/client.ts';
import { migrate } from '../../../src/db/migrate.ts';
import { createServiceContext } from '../../../src/services/context.ts';
import type { WrittenReportFiles } from '../../../src/services/report-build.service.ts';
import { makeDecidedApplication } from '../../factories/publication.ts';
import { makeWorld } from '../../factories/world.ts';
import { runCli } from '../../support/cli.ts';
import { testConfig } from '../../support/config.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-report-cli-'));
const INSTANCES = [
  { name: 'Bundesamt Test', country: 'DE', prefix: 'DE', dests: ['AE', 'AE', 'SG', 'AE', 'SG'] },
  { name: 'Service Test', country: 'FR', prefix: 'FR', dests: ['AE', 'SG', 'SG', 'AE'] },
] as const;
const envOf = (i: (typeof INSTANCES)[number]) => ({
  CUSTOS_DATA_DIR: path.join(root, i.country),
  CUSTOS_AUTHORITY_NAME: i.name,
  CUSTOS_AUTHORITY_COUNTRY: i.country,
  CUSTOS_REFERENCE_PREFIX: i.prefix,
  CUSTOS_PUBLIC_URL: `https://${i.country.toLowerCase()}.example.eu`,
});

beforeAll(async () => {
  for (const inst of INSTANCES) {
    const env = envOf(inst);
    const database = await openDatabase({
      kind: 'pglite',
      dataDir: env.CUSTOS_DATA_DIR,
      command: 'test setup',
    });
    await migrate(database);
    const ctx = createServiceContext(database.db, testConfig(env));
    const world = await makeWorld(ctx, inst.country);
    let n = 0;
    for (const dest of inst.dests) {
      n += 1;
      await makeDecidedApplication(ctx, (n % 2 ? world.exporterA : world.exporterB).principal, {
        submittedAt: '2025-09-01T09:00:00Z',
        decidedAt: `2025-11-${String(n + 1).padStart(2, '0')}T10:00:00Z`,
        outcome: n === 3 ? 'denied' : 'granted',
        destination: dest,
      });
    }
    await database.close();
  }
}, 300_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('custos report', { timeout: 300_000 }, () => {
  it('refuses a period that does not parse and a policy that would publish a confidential field, with the reason', async () => {
    const env = envOf(INSTANCES[0]);
    const bad = await runCli(['report', 'build', '--period', '2025-Q7', '--out', path.join(root, 'x')], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('quarter must be Q1 to Q4');
    const policy = fs
      .readFileSync('policy/redaction/default.yaml', 'utf8')
      .replace(/^(fields:\n)/m, "$1  exporterName: { publish: true, source: 'an unsafe edit' }\n");
    const policyFile = path.join(root, 'unsafe.yaml');
    fs.writeFileSync(policyFile, policy);
    const unsafe = await runCli(
      [
        'report',
        'build',
        '--period',
        '2025-Q4',
        '--out',
        path.join(root, 'x'),
        '--redaction-policy',
        policyFile,
      ],
      env,
    );
    expect(unsafe.code).toBe(2);
    expect(unsafe.stderr).toContain('exporterName');
    expect(unsafe.stderr).toMatch(/commercially sensitive/);
    expect(fs.existsSync(path.join(root, 'x'))).toBe(false);
  });

  it('builds every format from the database without publishing', async () => {
    const env = envOf(INSTANCES[0]);
    const out = path.join(root, 'build-de');
    const r = await runCli(
      [
        'report',
        'build',
        '--period',
        '2025-Q4',
        '--format',
        'json,csv,xlsx,html,pdf',
        '--out',
        out,
        '--json',
      ],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    const body = JSON.parse(r.stdout) as {
      applications: number;
      files: string[];
      cache: WrittenReportFiles['cache'];
    };
    expect(body.applications).toBe(5);
    // The first build of the instance: every month of decisions rendered, and kept in the data folder's cache.
    expect(body.cache.months).toBeGreaterThan(0);
    expect(body.cache).toMatchObject({
      reused: 0,
      rendered: body.cache.months,
      trendReused: 0,
      unused: null,
    });
    expect(body.files).toEqual(
      expect.arrayContaining(['report.json', 'report.pdf', 'report.xlsx', 'report.html', 'datapackage.json']),
    );
    expect(fs.readFileSync(path.join(out, 'report.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    // Written into the folder: the files it names, and nothing else (no staging folder left behind).
    expect(fs.readdirSync(out).sort()).toEqual([...body.files].sort());
    const list = JSON.parse((await runCli(['report', 'list', '--json'], env)).stdout) as {
      published: unknown[];
    };
    expect(list.published).toEqual([]);

    // Without --json it says what it is doing, step by step, on stderr; the files are the same (the months now come
    // from the cache).
    const again = path.join(root, 'build-de-steps');
    const steps = await runCli(
      ['report', 'build', '--period', '2025-Q4', '--format', 'csv,json', '--out', again],
      env,
    );
    expect(steps.code, steps.stderr).toBe(0);
    expect(steps.stderr).toMatch(/Reading the applications of 2025-Q4 \.\.\./);
    expect(steps.stderr).toMatch(
      new RegExp(
        `Read \\d+ applications; ${body.cache.months} of ${body.cache.months} months of decisions and ${body.cache.trendMonths} of ${body.cache.trendMonths} months of the trend from the cache \\(\\d+\\.\\d s\\); building the report`,
      ),
    );
    expect(steps.stderr).toMatch(/Built, rendered and wrote csv, json: 5 register rows \(\d+\.\d s\)\./);
    expect(steps.stdout).toContain('2025-Q4: 5 applications');
    for (const name of ['register.csv', 'register-items.csv', 'by-destination.csv'])
      expect(fs.readFileSync(path.join(again, name)).equals(fs.readFileSync(path.join(out, name)))).toBe(
        true,
      );
  });

  it('draft -> review -> publish on both instances (publishing twice is idempotent), then merges them into EU tables', async () => {
    const packages: string[] = [];
    for (const inst of INSTANCES) {
      const env = envOf(inst);
      const noDraft = await runCli(['report', 'publish', '--period', '2025-Q4'], env);
      expect(noDraft.code).toBe(4);
      expect(noDraft.stderr).toContain('No approved draft');
      const draft = await runCli(['report', 'draft', '--period', '2025-Q4', '--json'], env);
      expect(draft.code, draft.stderr).toBe(0);
      const id = (JSON.parse(draft.stdout) as { id: string }).id;
      const review = await runCli(['report', 'review', id, '--approve', '--json'], env);
      expect(review.code, review.stderr).toBe(0);
      const out = path.join(root, `published-${inst.country}`);
      const pub = await runCli(['report', 'publish', '--period', '2025-Q4', '--out', out, '--json'], env);
      expect(pub.code, pub.stderr).toBe(0);
      expect(JSON.parse(pub.stdout)).toMatchObject({ action: 'published', revision: { revision: 1 } });
      const again = await runCli(['report', 'publish', '--period', '2025-Q4', '--json'], env);
      expect(JSON.parse(again.stdout)).toMatchObject({ action: 'unchanged', revision: { revision: 1 } });
      packages.push(out);
    }
    const eu = path.join(root, 'eu');
    const merged = await runCli(['report', 'merge', ...packages, '--out', eu, '--json'], envOf(INSTANCES[0]));
    expect(merged.code, merged.stderr).toBe(0);
    const result = JSON.parse(merged.stdout) as { sources: { memberState: string }[]; files: string[] };
    expect(result.sources.map((s) => s.memberState).sort()).toEqual(['DE', 'FR']);
    const aggregate = JSON.parse(fs.readFileSync(path.join(eu, 'eu-aggregate.json'), 'utf8')) as {
      periodId: string;
    };
    expect(aggregate.periodId).toBe('2025-Q4');
    const csvs = result.files.filter((f) => f.endsWith('.csv'));
    expect(csvs.length).toBeGreaterThan(2);
    const all = csvs.map((f) => fs.readFileSync(path.join(eu, f), 'utf8')).join('\n');
    expect(all).toContain('DE');
    expect(all).toContain('FR');
    // The same authority twice is refused.
    const twice = await runCli(
      ['report', 'merge', packages[0]!, packages[0]!, '--out', eu],
      envOf(INSTANCES[0]),
    );
    expect(twice.code).toBe(2);
  });
});
