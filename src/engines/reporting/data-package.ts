/** The Frictionless Tabular Data Package descriptor (`datapackage.json`) describing the CSV resources. */
import { createHash } from 'node:crypto';
import type { PublishedTable } from './published-tables.ts';
import type { ReportShell, TransparencyReport } from './report-model.ts';
import { buildReportUrls } from './stable-urls.ts';

export interface PublicationContext {
  /** Public base URL of the instance, e.g. `https://exports.example.eu`. */
  baseUrl: string;
  /** SPDX id and title of the data licence, e.g. `{ name: 'CC-BY-4.0', title: 'Creative Commons Attribution 4.0' }`. */
  licence: { name: string; title: string; path: string };
}

export interface DataPackageDescriptor {
  profile: 'tabular-data-package';
  name: string;
  id: string;
  title: string;
  created: string;
  licenses: { name: string; title: string; path: string }[];
  custos: {
    schemaVersion: string;
    reportId: string;
    authority: TransparencyReport['authority'];
    period: TransparencyReport['period'];
    revision: TransparencyReport['revision'];
    policy: TransparencyReport['policy'];
    vocabulary: TransparencyReport['vocabulary'];
  };
  resources: {
    name: string;
    path: string;
    title: string;
    profile: 'tabular-data-resource';
    format: 'csv';
    mediatype: 'text/csv';
    encoding: 'utf-8';
    bytes: number;
    hash: string;
    dialect: { delimiter: ','; lineTerminator: '\r\n'; header: true };
    schema: {
      fields: { name: string; type: string; description: string }[];
      missingValues: [''];
      primaryKey?: string[];
      foreignKeys?: PublishedTable['foreignKeys'];
    };
  }[];
}

/** A written file's size in bytes and SHA-256 (hex). */
export interface FileFacts {
  bytes: number;
  sha256: string;
}

/** The size and SHA-256 of bytes in hand. */
export const factsOf = (content: Uint8Array): FileFacts => ({
  bytes: content.length,
  sha256: createHash('sha256').update(content).digest('hex'),
});

/**
 * Builds `datapackage.json` for CSV files already rendered (`csvByName` maps a table name to its CSV file's facts).
 * @example buildDataPackage(report, tables, csvByName, context).resources[0].path // 'register.csv'
 */
export function buildDataPackage(
  report: ReportShell,
  tables: readonly PublishedTable[],
  csvByName: ReadonlyMap<string, FileFacts>,
  context: PublicationContext,
): DataPackageDescriptor {
  const urls = buildReportUrls(
    context.baseUrl,
    report.authority.id,
    report.period.id,
    report.revision.number,
  );
  return {
    profile: 'tabular-data-package',
    name: `custos-${report.authority.id}-${report.period.id}-r${report.revision.number}`.toLowerCase(),
    id: urls.file('datapackage.json'),
    title: `${report.authority.name}: export licensing transparency report ${report.period.id} (revision ${report.revision.number})`,
    created: report.publishedAt,
    licenses: [context.licence],
    custos: {
      schemaVersion: report.schemaVersion,
      reportId: report.reportId,
      authority: report.authority,
      period: report.period,
      revision: report.revision,
      policy: report.policy,
      vocabulary: report.vocabulary,
    },
    resources: tables.map((t) => {
      const csv = csvByName.get(t.name) ?? factsOf(new Uint8Array());
      return {
        name: t.name,
        path: `${t.name}.csv`,
        title: t.title,
        profile: 'tabular-data-resource',
        format: 'csv',
        mediatype: 'text/csv',
        encoding: 'utf-8',
        bytes: csv.bytes,
        hash: `sha256:${csv.sha256}`,
        dialect: { delimiter: ',', lineTerminator: '\r\n', header: true },
        schema: {
          fields: t.fields.map((f) => ({ name: f.name, type: f.type, description: f.description })),
          missingValues: [''],
          ...(t.primaryKey ? { primaryKey: t.primaryKey } : {}),
          ...(t.foreignKeys ? { foreignKeys: t.foreignKeys } : {}),
        },
      };
    }),
  };
}
