/** `custos screen` (one name, or a CSV file in bulk) and `custos match --pairs` (pairs scored for benchmarks). */
import fs from 'node:fs';
import os from 'node:os';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { DomainError } from '../../domain/errors.ts';
import { systemPrincipal } from '../../domain/model.ts';
import {
  DEFAULT_MATCH_THRESHOLD,
  matchPair,
  parseSchema,
  type ScreeningHit,
} from '../../engines/screening/index.ts';
import { screenParties, screenParty } from '../../services/screening.service.ts';
import { migrateCustos } from '../../main.ts';
import type { CliContext } from '../context.ts';

const unit = (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('must be a number from 0 to 1');
  return n;
};

const TYPE_TO_SCHEMA = {
  person: 'Person',
  organisation: 'Organization',
  company: 'Company',
  vessel: 'Vessel',
  any: undefined,
} as const;

function readCsv(file: string): Record<string, string>[] {
  if (!fs.existsSync(file)) throw new DomainError('NOT_FOUND', `No file ${file}.`);
  try {
    return parse(fs.readFileSync(file), {
      columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
      skip_empty_lines: true,
      bom: true,
      trim: true,
    }) as Record<string, string>[];
  } catch (e) {
    throw new DomainError('INVALID', `${file}: ${(e as Error).message}`, {
      issues: [{ path: file, message: 'malformed CSV' }],
    });
  }
}

/** One-line reason for a hit: the aligned name parts and the evidence, e.g. "petrov~petrov 1.00, ivan~iwan 0.93; country-match". */
export function summariseHit(h: ScreeningHit): string {
  const pairs = h.explanation.name.pairs
    .map((p) => `${p.query}~${p.candidate} ${p.similarity01.toFixed(2)}`)
    .join(', ');
  const unmatched = h.explanation.name.unmatchedQuery.length
    ? `; unmatched: ${h.explanation.name.unmatchedQuery.join(' ')}`
    : '';
  const evidence = h.explanation.evidence
    .map((e) => `${e.feature} ${e.delta >= 0 ? '+' : ''}${e.delta.toFixed(2)}`)
    .join(', ');
  return `${pairs}${unmatched}${evidence ? `; ${evidence}` : ''}`;
}

export function registerScreeningCommands(program: Command, cli: CliContext): void {
  program
    .command('screen [name]')
    .description('Screen a name against every loaded list (or a CSV of parties with --file)')
    .addOption(
      new Option('--type <type>', 'person or organisation')
        .choices(Object.keys(TYPE_TO_SCHEMA))
        .default('any'),
    )
    .option('--country <XX>', 'ISO 3166-1 alpha-2 country of the party (evidence for or against)')
    .option('--birth-date <date>', 'YYYY, YYYY-MM or YYYY-MM-DD (persons)')
    .option('--threshold <0..1>', 'minimum score of a hit', unit, DEFAULT_MATCH_THRESHOLD)
    .option('--limit <n>', 'hits per name', (v) => Number(v), 10)
    .option('--file <parties.csv>', 'bulk: columns name, and optionally type, country, birth_date')
    .option('--out <results.csv>', 'bulk: where to write one row per hit (and per name without hits)')
    .option('--workers <n>', 'bulk: worker threads', (v) => Number(v), os.availableParallelism())
    .option('--json', 'machine-readable output')
    .action(
      async (
        name: string | undefined,
        opts: {
          type: keyof typeof TYPE_TO_SCHEMA;
          country?: string;
          birthDate?: string;
          threshold: number;
          limit: number;
          file?: string;
          out?: string;
          workers: number;
          json?: boolean;
        },
      ) => {
        const out = cli.output(!!opts.json);
        const options = { threshold: opts.threshold, limit: opts.limit };
        if (opts.file) {
          if (!opts.out)
            throw new DomainError('INVALID', 'Give --out <results.csv> with --file.', {
              issues: [{ path: '--out', message: 'missing' }],
            });
          const rows = readCsv(opts.file);
          if (rows.length && !('name' in rows[0]!))
            throw new DomainError('INVALID', `${opts.file} has no "name" column.`, {
              issues: [{ path: 'name', message: 'missing column' }],
            });
          const queries = rows.map((r) => ({
            name: r.name ?? '',
            ...(r.type &&
              TYPE_TO_SCHEMA[r.type.toLowerCase() as keyof typeof TYPE_TO_SCHEMA] && {
                schema: TYPE_TO_SCHEMA[r.type.toLowerCase() as keyof typeof TYPE_TO_SCHEMA],
              }),
            ...(r.country && { country: r.country.toUpperCase() }),
            ...(r.birth_date && { birthDate: r.birth_date }),
          }));
          const progress = out.progress('Screening', queries.length);
          const result = await cli.withCustos('custos screen', async (custos) => {
            await migrateCustos(custos);
            return screenParties(custos.ctx, systemPrincipal('cli'), queries, options, {
              workers: opts.workers,
              onProgress: (d, t) => progress.update(d, t),
            });
          });
          progress.stop();
          const lines: (string | number)[][] = [
            ['row', 'name', 'list', 'entry_id', 'entry_name', 'matched_alias', 'score', 'explanation'],
          ];
          for (const r of result.results) {
            if (r.hits.length === 0)
              lines.push([r.index + 1, queries[r.index]!.name, '', '', '', '', '', r.error ?? 'no hit']);
            for (const h of r.hits)
              lines.push([
                r.index + 1,
                queries[r.index]!.name,
                h.listName,
                h.sourceId,
                h.entryName,
                h.matchedAlias,
                h.score01.toFixed(3),
                summariseHit(h),
              ]);
          }
          fs.writeFileSync(opts.out, stringify(lines));
          const flagged = result.results.filter((r) => r.hits.length > 0).length;
          out.result(
            {
              names: queries.length,
              flagged,
              out: opts.out,
              elapsedMs: Math.round(result.elapsedMs),
              lists: result.lists,
            },
            `Screened ${queries.length} names against ${result.lists.length} list(s) in ${(result.elapsedMs / 1000).toFixed(1)} s: ${flagged} with hits at ≥ ${result.threshold}. Results: ${opts.out}`,
          );
          return;
        }
        if (!name)
          throw new DomainError('INVALID', 'Give a name to screen, or --file with a CSV of parties.', {
            issues: [{ path: 'name', message: 'missing' }],
          });
        const schema = TYPE_TO_SCHEMA[opts.type];
        const result = await cli.withCustos('custos screen', async (custos) => {
          await migrateCustos(custos);
          return screenParty(
            custos.ctx,
            systemPrincipal('cli'),
            {
              name,
              ...(schema && { schema }),
              ...(opts.country && { country: opts.country }),
              ...(opts.birthDate && { birthDate: opts.birthDate }),
            },
            options,
          );
        });
        out.result(result, () =>
          [
            `Screened "${name}" against ${result.lists.map((l) => `${l.listName} (${l.publishedOn ?? 'undated'})`).join(', ')}:`,
            ...(result.hits.length === 0
              ? [`  no hit at ≥ ${result.threshold}`]
              : result.hits.map(
                  (h, i) =>
                    `  ${i + 1}. ${h.score01.toFixed(3)}  ${h.entryName}  [${h.listName} ${h.sourceId}]${h.matchedAlias !== h.entryName ? `  via alias "${h.matchedAlias}"` : ''}\n       ${summariseHit(h)}`,
                )),
          ].join('\n'),
        );
      },
    );

  program
    .command('match')
    .description(
      'Score name pairs: reads schema,name1,name2 and writes them back with score and match columns',
    )
    .requiredOption(
      '--pairs <pairs.csv>',
      'input CSV with columns schema,name1,name2 (schema: Person, Company, Organization, LegalEntity, Vessel)',
    )
    .requiredOption('--out <scores.csv>', 'output CSV')
    .option(
      '--threshold <0..1>',
      'the match column is true at or above this score',
      unit,
      DEFAULT_MATCH_THRESHOLD,
    )
    .option('--json', 'machine-readable summary')
    .action((opts: { pairs: string; out: string; threshold: number; json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const rows = readCsv(opts.pairs);
      for (const col of ['schema', 'name1', 'name2']) {
        if (rows.length && !(col in rows[0]!))
          throw new DomainError('INVALID', `${opts.pairs} has no "${col}" column.`, {
            issues: [{ path: col, message: 'missing column' }],
          });
      }
      const scored = rows.map((r, i) => {
        try {
          const m = matchPair(parseSchema(r.schema ?? ''), r.name1 ?? '', r.name2 ?? '', opts.threshold);
          return { ...r, score: m.score01.toFixed(4), match: String(m.match) };
        } catch (e) {
          throw new DomainError('INVALID', `${opts.pairs} line ${i + 2}: ${(e as Error).message}`, {
            issues: [{ path: `line ${i + 2}`, message: (e as Error).message }],
          });
        }
      });
      fs.writeFileSync(opts.out, stringify(scored, { header: true }));
      const matches = scored.filter((s) => s.match === 'true').length;
      out.result(
        { pairs: scored.length, matches, threshold: opts.threshold, out: opts.out },
        `Scored ${scored.length} pairs: ${matches} match at ≥ ${opts.threshold}. Written to ${opts.out}.`,
      );
    });
}
