/** `custos evidence submit|list|moderate` as a user types them, on an embedded database in a temporary folder. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.ts';

describe('evidence CLI', { timeout: 300_000 }, () => {
  it('submits, moderates and lists; the public list never shows the contact', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-evidence-'));
    const env = { CUSTOS_DATA_DIR: path.join(dir, 'data') };
    try {
      const file = path.join(dir, 'evidence.json');
      fs.writeFileSync(
        file,
        JSON.stringify({
          title: 'Court ruling on unlawful interception (synthetic)',
          summary: 'Synthetic CLI test record.',
          evidenceType: 'court_ruling',
          countries: ['RS'],
          rights: [7, 8],
          submitterContact: 'canary-cli-contact@example.test',
        }),
      );
      const sub = await runCli(['evidence', 'submit', file, '--json'], env);
      expect(sub.code, sub.stderr).toBe(0);
      const { id, status } = JSON.parse(sub.stdout);
      expect(status).toBe('pending');
      const noGrade = await runCli(['evidence', 'moderate', id, '--accept', '--record-version', '1'], env);
      expect(noGrade.code).toBe(2);
      expect(noGrade.stderr).toContain('reliability');
      const mod = await runCli(
        ['evidence', 'moderate', id, '--accept', '--reliability', 'high', '--record-version', '1', '--json'],
        env,
      );
      expect(mod.code, mod.stderr).toBe(0);
      expect(JSON.parse(mod.stdout)).toMatchObject({ status: 'accepted', reliability: 'high', version: 2 });
      const pub = await runCli(['evidence', 'list', '--public', '--country', 'rs', '--json'], env);
      expect(pub.code, pub.stderr).toBe(0);
      expect(JSON.parse(pub.stdout).items.map((i: { id: string }) => i.id)).toEqual([id]);
      expect(pub.stdout).not.toContain('canary-cli-contact');
      const staff = await runCli(['evidence', 'list', '--status', 'accepted'], env);
      expect(staff.code, staff.stderr).toBe(0);
      expect(staff.stdout).toContain('court_ruling');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
