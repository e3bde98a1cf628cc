/** Reads the consolidated regulation text from disk and parses Annex I, recording provenance of the import. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { invalid } from '../../domain/errors.ts';
import type { ControlList } from '../../domain/classification.ts';
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
