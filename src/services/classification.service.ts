/**
 * Classification: the control list as versioned reference data, free-text search over it, and the classification
 * of technical profiles, catalogue items and application lines under a profile (legal, broad, or an authority's own).
 */
import path from 'node:path';
import { sql } from 'kysely';
import { parseItemTechnicalProfile, type ControlListEntry } from '../domain/classification.ts';
import { DomainError, notFound } from '../domain/errors.ts';
import type { Principal } from '../domain/model.ts';
import { classifyItem, type ClassificationResult } from '../engines/classification/classifier.ts';
import {
  buildControlListIndex,
  searchControlList,
  type ControlListIndex,
  type SearchHit,
  type SearchVocabulary,
} from '../engines/classification/control-list-search.ts';
import type { ClassificationPolicy } from '../engines/classification/rule-set.ts';
import {
  DEFAULT_CLASSIFICATION_POLICY_DIR,
  loadClassificationPolicy,
  loadSearchVocabulary,
} from '../importers/control-list/classification-policy.loader.ts';
import {
  crossCheckAnnexIFile,
  importControlListFile,
} from '../importers/control-list/control-list.importer.ts';
import { appendAudit } from './audit.service.ts';
import { actorOf, assertCanReadOrganisation, isStaff, requireRole, requireUser } from './authorization.ts';
import type { Db, ServiceContext } from './context.ts';

/** Used when no control list has been imported yet: results still name the rules' own source. */
export const NO_LIST_IMPORTED = 'none-imported (rules from policy/classification)';

interface Loaded {
  policy: ClassificationPolicy;
  vocabulary: SearchVocabulary;
}
const policyCache = new Map<string, Loaded>();

/** The classification policy (rules, profiles, vocabulary), loaded and validated once per process. */
export function classificationPolicy(ctx: ServiceContext): Loaded {
  const extra = ctx.config.classificationProfilesDir;
  const key = extra ?? '';
  let loaded = policyCache.get(key);
  if (!loaded) {
    loaded = {
      policy: loadClassificationPolicy(DEFAULT_CLASSIFICATION_POLICY_DIR, extra ? [path.resolve(extra)] : []),
      vocabulary: loadSearchVocabulary(DEFAULT_CLASSIFICATION_POLICY_DIR),
    };
    policyCache.set(key, loaded);
  }
  return loaded;
}

export function listClassificationProfiles(
  ctx: ServiceContext,
): { id: string; version: string; title: string }[] {
  return [...classificationPolicy(ctx).policy.profiles.values()].map((p) => ({
    id: p.id,
    version: p.version,
    title: p.title,
  }));
}

export async function currentControlListVersion(db: Db): Promise<string | null> {
  const row = await db
    .selectFrom('control_list_versions')
    .select('version')
    .where('is_current', '=', true)
    .executeTakeFirst();
  return row?.version ?? null;
}

function assertProfile(ctx: ServiceContext, profileId: string): void {
  if (!classificationPolicy(ctx).policy.profiles.has(profileId)) {
    throw new DomainError('INVALID', `Unknown classification profile "${profileId}".`, {
      issues: [
        {
          path: 'profile',
          message: `one of: ${listClassificationProfiles(ctx)
            .map((p) => p.id)
            .join(', ')}`,
        },
      ],
    });
  }
}

/**
 * Classify a technical profile (raw JSON from a file or request) under a profile. Pure apart from reading which
 * control-list version is current, so the CLI and the API give the same result for the same input.
 */
export async function classifyProfile(
  ctx: ServiceContext,
  input: unknown,
  profileId = 'legal',
  /** The current control-list version when the caller already read it (batch classification). */
  knownListVersion?: string,
): Promise<ClassificationResult> {
  assertProfile(ctx, profileId);
  const profile = parseItemTechnicalProfile(input);
  const controlListVersion =
    knownListVersion ?? (await currentControlListVersion(ctx.db)) ?? NO_LIST_IMPORTED;
  return classifyItem(profile, classificationPolicy(ctx).policy, { profileId, controlListVersion });
}

/** A short, storable summary of a result: what the item and application lines keep. */
export function summariseClassification(r: ClassificationResult, classifiedAt: string, by: string) {
  return {
    matchedEntries: r.matchedEntries,
    listing: r.listing,
    cyberSurveillance: r.cyberSurveillance.value,
    profileFlags: r.profileFlags.filter((f) => f.value === true).map((f) => f.id),
    questions: r.questions.map((q) => q.fact),
    profile: r.profile,
    controlListVersion: r.controlListVersion,
    policyVersion: r.policyVersion,
    unverified: r.unverified,
    classifiedAt,
    classifiedBy: by,
  };
}

/** Classify a catalogue item from its stored technical profile and keep the result on the item. */
export async function classifyCatalogueItem(
  ctx: ServiceContext,
  actor: Principal,
  itemId: string,
  profileId = 'legal',
): Promise<{ result: ClassificationResult; stored: ReturnType<typeof summariseClassification> }> {
  requireUser(actor);
  const item = await ctx.db.selectFrom('items').selectAll().where('id', '=', itemId).executeTakeFirst();
  if (!item) throw notFound('Item');
  assertCanReadOrganisation(actor, item.organisation_id, 'Item');
  if (!isStaff(actor)) requireRole(actor, 'exporter');
  const result = await classifyProfile(
    ctx,
    { facts: {}, ...item.technical_profile, name: item.name, itemForm: item.item_form },
    profileId,
  );
  const stored = summariseClassification(result, ctx.now().toISOString(), actorOf(actor));
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('items')
      .set({ classification: JSON.stringify(stored), updated_at: ctx.now(), version: sql`version + 1` })
      .where('id', '=', itemId)
      .execute();
    await appendAudit(ctx, trx, actor, {
      action: 'item.classified',
      entityType: 'item',
      entityId: itemId,
      payload: {
        matchedEntries: stored.matchedEntries,
        listing: stored.listing,
        profile: stored.profile.id,
        controlListVersion: stored.controlListVersion,
        policyVersion: stored.policyVersion,
      },
    });
  });
  return { result, stored };
}

export interface ControlListImportReport {
  version: string;
  entries: number;
  definitions: number;
  sha256: string;
  crossCheck: { disagreements: number; file: string } | null;
  alreadyImported: boolean;
}

/**
 * Import Annex I from the official consolidated text (Markdown) as a new version and make it current. All or
 * nothing; importing the same version again with the same checksum changes nothing.
 */
export async function importControlList(
  ctx: ServiceContext,
  actor: Principal,
  file: string,
  options: { crossCheckFile?: string; listVersion?: string } = {},
): Promise<ControlListImportReport> {
  requireRole(actor, 'administrator');
  const list = importControlListFile(file, options.listVersion);
  const crossCheck = options.crossCheckFile
    ? crossCheckAnnexIFile(list.entries, options.crossCheckFile)
    : null;
  const existing = await ctx.db
    .selectFrom('control_list_versions')
    .select(['sha256'])
    .where('version', '=', list.listVersion)
    .executeTakeFirst();
  if (existing) {
    if (existing.sha256.trim() !== list.source.sha256) {
      throw new DomainError(
        'CONFLICT',
        `Control list version ${list.listVersion} was already imported from a different file. Give a new --version.`,
      );
    }
    return {
      version: list.listVersion,
      entries: list.entries.length,
      definitions: list.definitions.length,
      sha256: list.source.sha256,
      crossCheck: null,
      alreadyImported: true,
    };
  }
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('control_list_versions')
      .set({ is_current: false })
      .where('is_current', '=', true)
      .execute();
    await trx
      .insertInto('control_list_versions')
      .values({
        version: list.listVersion,
        source_file: list.source.file,
        sha256: list.source.sha256,
        bytes: list.source.bytes,
        entry_count: list.entries.length,
        definition_count: list.definitions.length,
        cross_check: crossCheck ? JSON.stringify(crossCheck) : null,
        is_current: true,
        imported_by: actorOf(actor),
      })
      .execute();
    for (let i = 0; i < list.entries.length; i += 500) {
      await trx
        .insertInto('control_list_entries')
        .values(
          list.entries.slice(i, i + 500).map((e, j) => ({
            version: list.listVersion,
            code: e.code,
            parent: e.parent,
            category: e.category,
            text: e.text,
            notes: JSON.stringify(e.notes),
            technical_notes: JSON.stringify(e.technicalNotes),
            definitions_used: JSON.stringify(e.definitionsUsed),
            ordinal: i + j,
          })),
        )
        .execute();
    }
    if (list.definitions.length) {
      await trx
        .insertInto('control_list_definitions')
        .values(
          list.definitions.map((d, i) => ({
            version: list.listVersion,
            term: d.term,
            categories: JSON.stringify(d.categories),
            text: d.text,
            notes: JSON.stringify(d.notes),
            ordinal: i,
          })),
        )
        .execute();
    }
    await appendAudit(ctx, trx, actor, {
      action: 'control_list.imported',
      entityType: 'control_list',
      entityId: list.listVersion,
      payload: {
        file: list.source.file,
        sha256: list.source.sha256,
        entries: list.entries.length,
        definitions: list.definitions.length,
        crossCheckDisagreements: crossCheck?.findings.length ?? null,
      },
    });
  });
  indexCache.delete(list.listVersion);
  return {
    version: list.listVersion,
    entries: list.entries.length,
    definitions: list.definitions.length,
    sha256: list.source.sha256,
    crossCheck: crossCheck
      ? { disagreements: crossCheck.findings.length, file: path.basename(options.crossCheckFile!) }
      : null,
    alreadyImported: false,
  };
}

async function loadEntries(db: Db, version: string): Promise<ControlListEntry[]> {
  const rows = await db
    .selectFrom('control_list_entries')
    .selectAll()
    .where('version', '=', version)
    .orderBy('ordinal')
    .execute();
  return rows.map((r) => ({
    code: r.code,
    parent: r.parent,
    category: r.category,
    text: r.text,
    notes: r.notes,
    technicalNotes: r.technical_notes,
    definitionsUsed: r.definitions_used,
    listVersion: r.version,
  }));
}

const indexCache = new Map<string, ControlListIndex>();

/** Rank control-list entries for a free-text description, with the matching passage. */
export async function searchControlListEntries(
  ctx: ServiceContext,
  text: string,
  limit = 10,
): Promise<{ version: string; hits: SearchHit[] }> {
  const query = text.trim();
  if (!query)
    throw new DomainError('INVALID', 'Give a description to search for.', {
      issues: [{ path: 'q', message: 'empty' }],
    });
  if (query.length > 1000)
    throw new DomainError('INVALID', 'The description is longer than 1,000 characters.', {
      issues: [{ path: 'q', message: 'too long' }],
    });
  const version = await currentControlListVersion(ctx.db);
  if (!version)
    throw new DomainError(
      'UNAVAILABLE',
      'No control list has been imported yet: run `custos control-list import <file>`.',
    );
  let index = indexCache.get(version);
  if (!index) {
    index = buildControlListIndex(await loadEntries(ctx.db, version), classificationPolicy(ctx).vocabulary);
    indexCache.set(version, index);
  }
  return { version, hits: searchControlList(index, query, limit) };
}

/** One entry of the current (or a given) list version, with its children's codes. */
export async function getControlListEntry(ctx: ServiceContext, code: string, version?: string) {
  const v = version ?? (await currentControlListVersion(ctx.db));
  if (!v)
    throw new DomainError(
      'UNAVAILABLE',
      'No control list has been imported yet: run `custos control-list import <file>`.',
    );
  const row = await ctx.db
    .selectFrom('control_list_entries')
    .selectAll()
    .where('version', '=', v)
    .where('code', '=', code)
    .executeTakeFirst();
  if (!row) throw notFound(`Control list entry ${code}`);
  const children = await ctx.db
    .selectFrom('control_list_entries')
    .select('code')
    .where('version', '=', v)
    .where('parent', '=', code)
    .orderBy('ordinal')
    .execute();
  return {
    code: row.code,
    parent: row.parent,
    category: row.category,
    text: row.text,
    notes: row.notes,
    technicalNotes: row.technical_notes,
    definitionsUsed: row.definitions_used,
    version: row.version,
    children: children.map((c) => c.code),
  };
}

/**
 * Classify every synthetic demo item that has no classification yet, from its stored technical profile, and store
 * the result on the item. Gives each item's classification (the stored JSON text) by item id, so that a seed that
 * classifies its catalogue before it writes applications can give submitted lines their snapshot as it inserts them.
 * Recorded as classified by `system:demo-seed`; only rows marked synthetic are touched.
 */
export async function classifyDemoItems(
  ctx: ServiceContext,
  profileId = 'legal',
): Promise<ReadonlyMap<string, string>> {
  const items = await ctx.db
    .selectFrom('items')
    .select(['id', 'name', 'item_form', 'technical_profile'])
    .where('synthetic', '=', true)
    .where('classification', 'is', null)
    .orderBy('id')
    .execute();
  const classifiedAt = ctx.now().toISOString();
  // read once, before the transaction (PGlite has one connection)
  const listVersion = (await currentControlListVersion(ctx.db)) ?? NO_LIST_IMPORTED;
  const stored = new Map<string, string>();
  for (const item of items) {
    const result = await classifyProfile(
      ctx,
      { facts: {}, ...item.technical_profile, name: item.name, itemForm: item.item_form },
      profileId,
      listVersion,
    );
    stored.set(item.id, JSON.stringify(summariseClassification(result, classifiedAt, 'system:demo-seed')));
  }
  await ctx.db.transaction().execute(async (trx) => {
    for (const [id, classification] of stored)
      await trx.updateTable('items').set({ classification }).where('id', '=', id).execute();
  });
  return stored;
}

/**
 * Classify the synthetic demo items that have none yet (`classifyDemoItems`), then give the lines of the demo
 * applications that left the draft state, and have no snapshot yet, the snapshot a real submission keeps (the item's
 * classification then). Without this the demo register shows no control entries and the Art 26(2) table is empty.
 * A seed that classified its catalogue first (`SeedDemoDataOptions.classifyCatalogue`) leaves no such line.
 */
export async function classifyDemoCatalogue(
  ctx: ServiceContext,
  profileId = 'legal',
): Promise<{ items: number; lines: number }> {
  const items = await classifyDemoItems(ctx, profileId);
  const lines = await sql`update application_lines set classification = items.classification
    from items, applications
    where items.id = application_lines.item_id and applications.id = application_lines.application_id
      and applications.synthetic and applications.status <> 'draft' and application_lines.classification is null
      and items.classification is not null`.execute(ctx.db);
  return { items: items.size, lines: Number(lines.numAffectedRows ?? 0) };
}
