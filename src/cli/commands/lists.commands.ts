/** `custos lists import|update|show`: restricted-party lists. */
import fs from 'node:fs';
import { type Command, Option } from 'commander';
import { z } from 'zod';
import { DomainError } from '../../domain/errors.ts';
import { systemPrincipal } from '../../domain/model.ts';
import { WATCHLIST_SOURCE_KINDS } from '../../domain/watchlist.ts';
import { importWatchlist, listWatchlists, updateWatchlists } from '../../services/watchlists.service.ts';
import { parseInput } from '../../services/validation.ts';
import { migrateCustos } from '../../main.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../output.ts';

const SourcesFile = z
  .array(z.strictObject({ kind: z.enum(WATCHLIST_SOURCE_KINDS), urls: z.array(z.url()).min(1) }))
  .min(1);

export function registerListCommands(program: Command, cli: CliContext): void {
  const lists = program
    .command('lists')
    .description('Sanctions and restricted-party lists (screening reference data)');
  lists
    .command('import <files...>')
    .description(
      "Import a list file in its publisher's format (OFAC: give sdn.csv; add/alt/comments are found beside it)",
    )
    .addOption(
      new Option('--source <kind>', 'the file format')
        .choices([...WATCHLIST_SOURCE_KINDS])
        .makeOptionMandatory(),
    )
    .option(
      '--name <list>',
      'list name (default from the source, e.g. "OFAC SDN"); versions of one list share it',
    )
    .option('--json', 'machine-readable output')
    .action(async (files: string[], opts: { source: string; name?: string; json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const report = await cli.withCustos('custos lists import', async (custos) => {
        await migrateCustos(custos);
        return importWatchlist(
          custos.ctx,
          systemPrincipal('cli'),
          opts.source,
          files,
          opts.name ? { listName: opts.name } : {},
        );
      });
      const v = report.version;
      out.result(report, () =>
        report.unchanged
          ? `${v.listName}: the file is identical to the current version (imported ${v.importedAt}). Nothing changed.`
          : [
              `Imported ${v.listName} (${v.publisher}${v.publishedOn ? `, published ${v.publishedOn}` : ''}): ${String(v.counts.entries)} entries, ${String(v.counts.aliases)} aliases; sha256 ${v.checksum.slice(0, 12)}…`,
              v.diff
                ? `Changes since the previous version: ${v.diff.added} added, ${v.diff.removed} removed, ${v.diff.changed} changed, ${v.diff.unchanged} unchanged.`
                : 'First version of this list.',
              v.warnings.length ? `${v.warnings.length} warning(s), e.g. ${v.warnings[0]}` : '',
              'Parties will be re-screened against it by the background worker.',
            ]
              .filter(Boolean)
              .join('\n'),
      );
    });
  lists
    .command('update')
    .description('Download the official lists and import each (sources: built-in, or --sources <file.json>)')
    .option('--sources <file>', 'JSON array of {"kind": "...", "urls": ["..."]}')
    .option('--json', 'machine-readable output')
    .action(async (opts: { sources?: string; json?: boolean }) => {
      const out = cli.output(!!opts.json);
      let sources: z.infer<typeof SourcesFile> | undefined;
      if (opts.sources) {
        if (!fs.existsSync(opts.sources)) throw new DomainError('NOT_FOUND', `No file ${opts.sources}.`);
        let raw: unknown;
        try {
          raw = JSON.parse(fs.readFileSync(opts.sources, 'utf8'));
        } catch (e) {
          throw new DomainError('INVALID', `${opts.sources} is not valid JSON: ${(e as Error).message}`);
        }
        sources = parseInput(SourcesFile, raw, opts.sources);
      }
      const results = await cli.withCustos('custos lists update', async (custos) => {
        await migrateCustos(custos);
        return updateWatchlists(custos.ctx, systemPrincipal('cli'), sources);
      });
      out.result(results, () =>
        results.map((r) => `${r.outcome.padEnd(9)} ${r.kind}: ${r.message}`).join('\n'),
      );
      if (results.some((r) => r.outcome === 'failed')) process.exitCode = EXIT.CHECK_FAILED;
    });
  lists
    .command('show')
    .description('The lists loaded, with publisher, publication date, import time, checksum and counts')
    .option('--all', 'every version, not only the current ones')
    .option('--json', 'machine-readable output')
    .action(async (opts: { all?: boolean; json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const versions = await cli.withCustos('custos lists show', async (custos) => {
        await migrateCustos(custos);
        return listWatchlists(custos.ctx, { currentOnly: !opts.all });
      });
      out.result(versions, () =>
        versions.length === 0
          ? 'No list is loaded yet: run `custos lists import <file> --source <kind>` or `custos lists update`.'
          : versions
              .map(
                (v) =>
                  `${v.isCurrent ? '*' : ' '} ${v.listName.padEnd(24)} ${String(v.counts.entries).padStart(6)} entries  published ${v.publishedOn ?? 'n/a'}  imported ${v.importedAt}  sha256 ${v.checksum.slice(0, 12)}…`,
              )
              .join('\n'),
      );
    });
}
