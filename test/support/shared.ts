/**
 * Access to ../shared (real public data and labelled benchmark data), which is never copied into the repository.
 * When it is absent the tests that need it are skipped with a visible message, never passed silently.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The shared folder: $CUSTOS_SHARED_DIR, or ../shared beside the repository. */
export const SHARED_DIR = path.resolve(process.env.CUSTOS_SHARED_DIR ?? path.join(repoRoot, '..', 'shared'));

/** Absolute path of a file under the shared folder, e.g. sharedPath('data', 'sanctions', 'un', 'x.xml'). */
export const sharedPath = (...parts: string[]): string => path.join(SHARED_DIR, ...parts);

export const hasShared = (...parts: string[]): boolean => fs.existsSync(sharedPath(...parts));

/** describe() that runs only when the shared files exist, and otherwise says so in the test output. */
export function describeWithShared(name: string, files: string[][], fn: () => void): void {
  const missing = files.filter((f) => !hasShared(...f)).map((f) => path.join(...f));
  if (missing.length > 0) {
    console.warn(
      `[custos tests] SKIPPED "${name}": shared data missing in ${SHARED_DIR}: ${missing.join(', ')}`,
    );
    // Not `fn`: vitest still runs a skipped describe's body to collect its tests, and a body that reads the missing
    // files at that point would fail the whole file.
    describe.skip(`${name} (SKIPPED: shared data missing: ${missing.join(', ')})`, () => {
      it(`needs ${missing.join(', ')}`, () => undefined);
    });
  } else {
    describe(name, fn);
  }
}
