/**
 * EU aggregation: combines several authorities' published data packages (datapackage.json + CSV files) into
 * EU-level tables per Member State, destination, control list entry and the Art. 26(2) cyber-surveillance table.
 * Packages of another schema version or period, duplicates, and files whose hash does not match are refused.
 */
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { DomainError, type FieldIssue } from '../../domain/errors.ts';
import type { ArrayTable, Cell } from './published-tables.ts';

/** One authority's published package: its descriptor (parsed JSON) and its files' text by path. */
export interface PublishedDataPackage {
  /** Where it came from (a path or URL), for messages. */
  source: string;
  descriptor: unknown;
  files: ReadonlyMap<string, string>;
}

export interface EuAggregate {
  schemaVersion: string;
  periodId: string;
  sources: {
    authorityId: string;
    authorityName: string;
    memberState: string;
    revision: number;
    packageId: string;
  }[];
  tables: ArrayTable[];
  notes: string[];
}

const descriptorSchema = z.object({
  id: z.string(),
  custos: z.object({
    schemaVersion: z.string(),
    authority: z.object({ id: z.string(), name: z.string(), memberState: z.string() }),
    period: z.object({ id: z.string() }),
    revision: z.object({ number: z.number().int() }),
  }),
  resources: z.array(z.object({ name: z.string(), path: z.string(), hash: z.string() })),
});
type Descriptor = z.infer<typeof descriptorSchema>;

const REQUIRED = [
  'register',
  'by-destination',
  'by-control-entry',
  'by-decision',
  'cyber-surveillance',
] as const;

type Row = Record<string, string>;

function refuse(message: string, issues: FieldIssue[]): never {
  throw new DomainError('INVALID', message, { issues });
}

function readPackage(pkg: PublishedDataPackage): { d: Descriptor; tables: Map<string, Row[]> } {
  const parsed = descriptorSchema.safeParse(pkg.descriptor);
  if (!parsed.success) {
    refuse(
      `${pkg.source}: not a Custos data package (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}).`,
      [{ path: pkg.source, message: 'datapackage.json lacks the custos block or resources' }],
    );
  }
  const d = parsed.data;
  const tables = new Map<string, Row[]>();
  for (const name of REQUIRED) {
    const resource = d.resources.find((r) => r.name === name);
    const text = resource ? pkg.files.get(resource.path) : undefined;
    if (!resource || text === undefined)
      refuse(`${pkg.source}: resource ${name} is missing.`, [
        { path: `${pkg.source}:${name}`, message: 'missing' },
      ]);
    const hash = `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
    if (hash !== resource.hash) {
      refuse(
        `${pkg.source}: ${resource.path} does not match its hash in datapackage.json (altered or truncated).`,
        [{ path: `${pkg.source}:${resource.path}`, message: 'hash mismatch' }],
      );
    }
    tables.set(name, parse(text, { columns: true, skip_empty_lines: true }) as Row[]);
  }
  return { d, tables };
}

interface Acc {
  key: string[];
  applications: number;
  valueCents: number | null;
}

function accumulate(map: Map<string, Acc>, key: string[], applications: number, value: string): void {
  const k = key.join('\u0000');
  const acc = map.get(k) ?? { key, applications: 0, valueCents: 0 };
  acc.applications += applications;
  acc.valueCents =
    value === '' || acc.valueCents === null ? null : acc.valueCents + Math.round(Number(value) * 100);
  map.set(k, acc);
}

function toTable(name: string, title: string, dims: string[], map: Map<string, Acc>): ArrayTable {
  const rows = [...map.values()].sort((a, b) => {
    const ka = a.key.join('\u0000');
    const kb = b.key.join('\u0000');
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  return {
    name,
    title,
    fields: [
      ...dims.map((d) => ({
        name: d,
        type: 'string' as const,
        description: `${d} ("_other": small cells merged by the publishing authority).`,
      })),
      { name: 'applications', type: 'integer', description: 'Applications, summed over the authorities.' },
      {
        name: 'valueEur',
        type: 'number',
        description: 'Value in euro; empty when any contributing authority withholds values.',
      },
    ],
    rows: rows.map(
      (r) => [...r.key, r.applications, r.valueCents === null ? null : r.valueCents / 100] as Cell[],
    ),
    rowCount: rows.length,
    primaryKey: dims,
  };
}

/**
 * Merges published packages into EU-level tables. Refuses (INVALID, naming each package) mismatching schema
 * versions or periods, two packages of one authority, and altered files.
 * @example mergeDataPackages([{ source: 'de/', descriptor, files }, ...]).tables.map((t) => t.name)
 */
export function mergeDataPackages(packages: readonly PublishedDataPackage[]): EuAggregate {
  if (packages.length === 0)
    refuse('No data packages to merge.', [{ path: 'packages', message: 'at least one package is required' }]);
  const read = packages.map((p) => ({ source: p.source, ...readPackage(p) }));
  const versions = new Set(read.map((r) => r.d.custos.schemaVersion));
  if (versions.size > 1) {
    refuse(
      `Data packages have different schema versions: ${read.map((r) => `${r.source} ${r.d.custos.schemaVersion}`).join(', ')}. Re-export them with one Custos version.`,
      read.map((r) => ({ path: `${r.source}:custos.schemaVersion`, message: r.d.custos.schemaVersion })),
    );
  }
  const periods = new Set(read.map((r) => r.d.custos.period.id));
  if (periods.size > 1) {
    refuse(
      `Data packages cover different periods: ${read.map((r) => `${r.source} ${r.d.custos.period.id}`).join(', ')}.`,
      read.map((r) => ({ path: `${r.source}:custos.period.id`, message: r.d.custos.period.id })),
    );
  }
  const seen = new Map<string, string>();
  for (const r of read) {
    const prior = seen.get(r.d.custos.authority.id);
    if (prior)
      refuse(`Two packages of authority ${r.d.custos.authority.id}: ${prior} and ${r.source}.`, [
        { path: r.source, message: 'duplicate authority' },
      ]);
    seen.set(r.d.custos.authority.id, r.source);
  }
  read.sort((a, b) => (a.d.custos.authority.id < b.d.custos.authority.id ? -1 : 1));

  const byMemberState = new Map<string, Acc>();
  const byDestination = new Map<string, Acc>();
  const byEntry = new Map<string, Acc>();
  const byDecision = new Map<string, Acc>();
  const cyber = new Map<string, Acc>();
  const notes: string[] = [];
  for (const { d, tables } of read) {
    const ms = d.custos.authority.memberState;
    const register = tables.get('register')!;
    for (const row of register) accumulate(byMemberState, [ms], 1, row.totalValueEur ?? '');
    if (register.length === 0) accumulate(byMemberState, [ms], 0, '0');
    for (const row of tables.get('by-destination')!)
      accumulate(byDestination, [row.destinationCountry!], Number(row.applications), row.valueEur ?? '');
    for (const row of tables.get('by-control-entry')!)
      accumulate(byEntry, [row.controlEntry!], Number(row.applications), row.valueEur ?? '');
    for (const row of tables.get('by-decision')!)
      accumulate(byDecision, [ms, row.decision!], Number(row.applications), row.valueEur ?? '');
    for (const row of tables.get('cyber-surveillance')!) {
      accumulate(
        cyber,
        [row.controlEntry!, row.category!, row.memberState!, row.destinationCountry!, row.decision!],
        Number(row.applications),
        row.valueEur ?? '',
      );
    }
    if (tables.get('by-destination')!.length === 0 && register.length > 0)
      notes.push(`${d.custos.authority.id}: destination table suppressed by its policy.`);
  }
  notes.push(
    'Rows keyed "_other" sum the cells each authority merged under its own minimum group sizes; they are not comparable across rows.',
  );
  return {
    schemaVersion: [...versions][0]!,
    periodId: [...periods][0]!,
    sources: read.map(({ d }) => ({
      authorityId: d.custos.authority.id,
      authorityName: d.custos.authority.name,
      memberState: d.custos.authority.memberState,
      revision: d.custos.revision.number,
      packageId: d.id,
    })),
    tables: [
      toTable(
        'eu-by-member-state',
        'EU: applications by issuing Member State',
        ['memberState'],
        byMemberState,
      ),
      toTable('eu-by-destination', 'EU: applications by destination', ['destinationCountry'], byDestination),
      toTable('eu-by-control-entry', 'EU: applications by control list entry', ['controlEntry'], byEntry),
      toTable(
        'eu-by-decision',
        'EU: applications by Member State and decision',
        ['memberState', 'decision'],
        byDecision,
      ),
      toTable(
        'eu-cyber-surveillance',
        'EU: cyber-surveillance applications by item, Member State, destination and decision (Art. 26(2))',
        ['controlEntry', 'category', 'memberState', 'destinationCountry', 'decision'],
        cyber,
      ),
    ],
    notes,
  };
}
