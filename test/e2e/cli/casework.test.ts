/** `custos case` and `custos licence` as a user types them: JSON output, exit codes for unknown records and bad options. */
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
});
