/** Reads the consolidated regulation text from disk and parses Annex I, recording provenance of the import. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { invalid } from '../../domain/errors.ts';
import type { ControlList, ControlListEntry } from '../../domain/classification.ts';
import { crossCheckAnnexI } from './annex-i-cross-check.ts';
import type { CrossCheckReport } from './annex-i-cross-check.ts';
import { parseAnnexI } from './annex-i-parser.ts';

export interface ControlListImport extends ControlList {
  source: { file: string; sha256: string; bytes: number; entryCount: number; definitionCount: number };
}

/** Version label from the file's front matter (`last_updated`), else the given fallback. */
function readListVersion(markdown: string, fallback: string): string {
  const m = /^last_updated:\s*"?([0-9-]+)"?/m.exec(markdown.slice(0, 4000));
  return m ? `reg-2021-821@${m[1]}` : fallback;
}

/** Reads and parses an Annex I Markdown file. The version is taken from its front matter unless given. */
export function importControlListFile(filePath: string, listVersion?: string): ControlListImport {
  if (!fs.existsSync(filePath))
    throw invalid(`Control-list file not found: ${filePath}`, [{ path: 'file', message: 'not found' }]);
  const buf = fs.readFileSync(filePath);
  const markdown = buf.toString('utf8');
  const version = listVersion ?? readListVersion(markdown, path.basename(filePath));
  const list = parseAnnexI(markdown, version);
  return {
    ...list,
    source: {
      file: path.basename(filePath),
      sha256: createHash('sha256').update(buf).digest('hex'),
      bytes: buf.length,
      entryCount: list.entries.length,
      definitionCount: list.definitions.length,
    },
  };
}

/** Reads the third party's JSON parse of Annex I and cross-checks the official entries against it. */
export function crossCheckAnnexIFile(
  entries: readonly ControlListEntry[],
  jsonPath: string,
): CrossCheckReport {
  if (!fs.existsSync(jsonPath))
    throw invalid(`Cross-check file not found: ${jsonPath}`, [{ path: 'file', message: 'not found' }]);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
  } catch (e) {
    throw invalid(`${path.basename(jsonPath)} is not valid JSON: ${(e as Error).message}`, [
      { path: 'file', message: 'JSON syntax' },
    ]);
  }
  return crossCheckAnnexI(entries, json);
}
