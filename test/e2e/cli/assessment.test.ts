/** `custos assess` and `custos countries show` as a user types them. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.ts';
import { describeWithShared, sharedPath } from '../../support/shared.ts';

const FIXTURE = path.resolve('test/fixtures/assessment/syria-interception.json');

describe('assessment CLI', { timeout: 300_000 }, () => {
  it('denies interception equipment for Syria on the EU telecom-monitoring ban, writes the memo, and names unknowns', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-assess-'));
    try {
      const memo = path.join(dir, 'memo.html');
      const r = await runCli(['assess', FIXTURE, '--memo', memo, '--json'], {
        CUSTOS_REFERENCE_DATA_DIR: path.join(dir, 'none'),
      });
      expect(r.code, r.stderr).toBe(0);
      const { assessment, reference } = JSON.parse(r.stdout);
      expect(assessment.recommendation).toBe('deny');
      expect(assessment.prohibitions.map((p: { country: string }) => p.country)).toContain('SY');
      // No indicator files in the reference folder: indicators are unknown and named, never zero.
      expect(reference.missing.length).toBe(5);
      expect(assessment.unknowns.length).toBeGreaterThan(0);
      const html = fs.readFileSync(memo, 'utf8');
      expect(html).toContain('<html');
      expect(html).toMatch(/36\/2012|Syria/);
      const again = await runCli(['assess', FIXTURE, '--json'], {
        CUSTOS_REFERENCE_DATA_DIR: path.join(dir, 'none'),
      });
      expect(JSON.parse(again.stdout).assessment).toEqual(assessment);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an unknown country or party type naming the field', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-assess-'));
    try {
      const bad = JSON.parse(fs.readFileSync(FIXTURE, 'utf8'));
      bad.destination = 'XX';
      bad.parties[0].type = 'cartel';
      fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify(bad));
      const r = await runCli(['assess', path.join(dir, 'bad.json')], {});
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('destination');
      expect(r.stderr).toContain('parties.0.type');
      const c = await runCli(['countries', 'show', 'QQ'], {});
      expect(c.code).toBe(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows a country profile with its restrictive measures', async () => {
    const r = await runCli(['countries', 'show', 'ir', '--json'], {
      CUSTOS_REFERENCE_DATA_DIR: '/nonexistent',
    });
    expect(r.code, r.stderr).toBe(0);
    const { profile } = JSON.parse(r.stdout);
    expect(profile.country).toBe('IR');
    expect(profile.restrictiveMeasureIds.length).toBeGreaterThan(0);
  });
});

describeWithShared(
  'assessment with the real indicator files',
  [['data', 'human-rights', 'PTS-2024.csv']],
  () => {
    it(
      'builds the profile from Freedom House, PTS and V-Dem with source and year',
      { timeout: 300_000 },
      async () => {
        const r = await runCli(['countries', 'show', 'EG', '--json'], {
          CUSTOS_REFERENCE_DATA_DIR: sharedPath('data'),
        });
        expect(r.code, r.stderr).toBe(0);
        const { profile, reference } = JSON.parse(r.stdout);
        expect(reference.missing).toEqual([]);
        expect(Object.keys(profile.indicators).length).toBeGreaterThanOrEqual(3);
        const assessed = await runCli(['assess', FIXTURE, '--json'], {
          CUSTOS_REFERENCE_DATA_DIR: sharedPath('data'),
        });
        expect(JSON.parse(assessed.stdout).assessment.recommendation).toBe('deny');
      },
    );
  },
);
