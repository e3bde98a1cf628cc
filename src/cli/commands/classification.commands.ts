/** `custos classify` and `custos control-list import|search|show`. */
import fs from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import { DomainError } from '../../domain/errors.ts';
import { systemPrincipal } from '../../domain/model.ts';
import { renderClassificationText } from '../../engines/classification/classification-text.ts';
import {
  classifyProfile,
  getControlListEntry,
  importControlList,
  searchControlListEntries,
} from '../../services/classification.service.ts';
import { migrateCustos } from '../../main.ts';
import type { CliContext } from '../context.ts';

const limitArg = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 50)
    throw new InvalidArgumentError('must be a whole number from 1 to 50');
  return n;
};

function readJsonFile(file: string): unknown {
  if (!fs.existsSync(file)) throw new DomainError('NOT_FOUND', `No file ${file}.`);
  const text = fs.readFileSync(file, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new DomainError('INVALID', `${file} is not valid JSON: ${(e as Error).message}`, {
      issues: [{ path: file, message: 'invalid JSON' }],
    });
  }
}

export function registerClassificationCommands(program: Command, cli: CliContext): void {
  program
    .command('classify <item.json>')
    .description(
      'Classify an item technical profile against Annex I and Art. 2(20) (format: /schemas/technical-profile.json)',
    )
    .option(
      '--profile <id>',
      'legal (the law only), broad (the civil-society reading), or an authority profile',
      'legal',
    )
    .option('--json', 'the full result as JSON (the same as POST /api/classifications)')
    .action(async (file: string, opts: { profile: string; json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const input = readJsonFile(file);
      const result = await cli.withCustos('custos classify', async (custos) => {
        await migrateCustos(custos);
        return classifyProfile(custos.ctx, input, opts.profile);
      });
      out.result(result, () => renderClassificationText(result));
    });

  const list = program
    .command('control-list')
    .description('Annex I of Regulation (EU) 2021/821 as versioned reference data');
  list
    .command('import <file>')
    .description('Import Annex I from the official consolidated text (Markdown) as a new current version')
    .option('--cross-check <json>', "compare with a third party's JSON parse and report disagreeing entries")
    .option('--version <label>', "version label (default: from the file's front matter)")
    .option('--json', 'machine-readable output')
    .action(async (file: string, opts: { crossCheck?: string; version?: string; json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const report = await cli.withCustos('custos control-list import', async (custos) => {
        await migrateCustos(custos);
        return importControlList(custos.ctx, systemPrincipal('cli'), file, {
          ...(opts.crossCheck && { crossCheckFile: opts.crossCheck }),
          ...(opts.version && { listVersion: opts.version }),
        });
      });
      out.result(report, () =>
        report.alreadyImported
          ? `Control list ${report.version} is already imported (same file, sha256 ${report.sha256.slice(0, 12)}…). Nothing changed.`
          : [
              `Imported control list ${report.version}: ${report.entries} entries, ${report.definitions} defined terms (sha256 ${report.sha256.slice(0, 12)}…).`,
              report.crossCheck
                ? `Cross-check with ${report.crossCheck.file}: ${report.crossCheck.disagreements} entries disagree (details in the import record).`
                : '',
            ]
              .filter(Boolean)
              .join('\n'),
      );
    });
  list
    .command('search <text>')
    .description('Rank control-list entries for a free-text description and show the matching passage')
    .option('--limit <n>', 'how many entries', limitArg, 5)
    .option('--json', 'machine-readable output')
    .action(async (text: string, opts: { limit: number; json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const res = await cli.withCustos('custos control-list search', (custos) =>
        searchControlListEntries(custos.ctx, text, opts.limit),
      );
      out.result(res, () =>
        res.hits.length === 0
          ? `No entry of ${res.version} matches.`
          : res.hits
              .map(
                (h, i) =>
                  `${i + 1}. ${h.code}  (score ${h.score.toFixed(2)}${h.vocabularyPhrases.length ? `; via "${h.vocabularyPhrases.join('", "')}"` : ''})\n   ${h.passage}`,
              )
              .join('\n'),
      );
    });
  list
    .command('show <code>')
    .description('Show one entry of the current control list, with its notes')
    .option('--json', 'machine-readable output')
    .action(async (code: string, opts: { json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const e = await cli.withCustos('custos control-list show', (custos) =>
        getControlListEntry(custos.ctx, code),
      );
      out.result(e, () =>
        [
          `${e.code} (${e.version})`,
          e.text,
          ...e.notes.map((n) => `  Note: ${n}`),
          ...e.technicalNotes.map((n) => `  Technical note: ${n}`),
          e.children.length ? `  Sub-items: ${e.children.join(', ')}` : '',
        ]
          .filter(Boolean)
          .join('\n'),
      );
    });
}
