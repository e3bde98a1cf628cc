/**
 * The test run's own temporary folder (test/global-setup.ts): every file a test writes under os.tmpdir() lands in a
 * folder made for the run and removed when it ends, so runs leave nothing in the machine's temporary folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

describe('the test run temporary folder', () => {
  it('is where os.tmpdir() points in a test process, and a folder of its own', () => {
    const dir = os.tmpdir();
    expect(path.basename(dir)).toMatch(/^custos-test-run-/);
    expect(fs.statSync(dir).isDirectory()).toBe(true);
    const made = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-probe-'));
    expect(path.dirname(made)).toBe(dir);
    fs.rmSync(made, { recursive: true });
  });
});
