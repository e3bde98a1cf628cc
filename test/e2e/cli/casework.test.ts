/** `custos case`, `custos licence` and `custos reassessment` as a user types them: JSON output, exit codes for unknown records and bad options. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.ts';

let dataDir: string;
let env: Record<string, string>;

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-cli-case-'));
  env = { CUSTOS_DATA_DIR: dataDir };
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('custos case / licence', { timeout: 300_000 }, () => {
  it('reports SLA figures and runs the expiry on an empty register; refuses unknown cases and bad options', async () => {
    expect((await runCli(['migrate', '--json'], env)).code).toBe(0);
    const sla = await runCli(['case', 'sla', '--as-of', '2026-12-01', '--json'], env);
    expect(sla.code).toBe(0);
    expect(JSON.parse(sla.stdout)).toMatchObject({
      asOf: '2026-12-01',
      decidedCount: 0,
      calendarId: expect.stringMatching(/^DE/),
    });
    const expire = await runCli(['licence', 'expire', '--json'], env);
    expect(expire.code).toBe(0);
    expect(JSON.parse(expire.stdout)).toEqual({ expired: [] });
    const missing = await runCli(
      [
        'case',
        'transition',
        '00000000-0000-4000-8000-000000000000',
        '--to',
        'submitted',
        '--expected-version',
        '1',
      ],
      env,
    );
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('Application was not found');
    expect((await runCli(['case', 'list', '--status', 'bogus'], env)).code).toBe(2);
  });

  it('queues a re-assessment, lists proposals and refuses a bad request or an unknown proposal', async () => {
    const queued = await runCli(
      [
        'reassessment',
        'request',
        '--kind',
        'indicator',
        '--country',
        'ae',
        '--reason',
        'Profile updated',
        '--json',
      ],
      env,
    );
    expect(queued.code, queued.stderr).toBe(0);
    expect(JSON.parse(queued.stdout).jobId).toEqual(expect.any(Number));
    const nothingNamed = await runCli(
      ['reassessment', 'request', '--kind', 'evidence', '--reason', 'x y z'],
      env,
    );
    expect(nothingNamed.code).toBe(2);
    expect(nothingNamed.stderr).toContain('countries');
    const list = await runCli(['reassessment', 'proposals', '--status', 'all', '--json'], env);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
    const unknown = await runCli(
      [
        'reassessment',
        'close',
        '00000000-0000-4000-8000-000000000000',
        '--closure',
        'dismissed',
        '--note',
        'None',
      ],
      env,
    );
    expect(unknown.code).toBe(3);
  });
});
