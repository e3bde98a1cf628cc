/**
 * Restricted-party lists (sanctions, denied persons, other Member States' denials, civil-society watch-lists) in
 * one shape, whatever the publisher's format. Importers produce it; the screening engine indexes it.
 */

export const WATCHLIST_SOURCE_KINDS = [
  'ofac-sdn',
  'ofac-nonsdn',
  'bis-dpl',
  'us-csl',
  'un-sc',
  'eu-fsf',
  'uk-fcdo',
  'ftm-jsonl',
  'custos-csv',
] as const;
export type WatchlistSourceKind = (typeof WATCHLIST_SOURCE_KINDS)[number];

export const ENTITY_SCHEMAS = [
  'Person',
  'Organization',
  'Company',
  'LegalEntity',
  'Vessel',
  'Aircraft',
] as const;
export type EntitySchema = (typeof ENTITY_SCHEMAS)[number];

export interface WatchlistIdentifier {
  /** e.g. passport, national_id, tax_id, registration, imo, swift, other */
  type: string;
  value: string;
  country?: string;
}

export interface WatchlistAddress {
  full: string;
  city?: string;
  country?: string;
}

export interface WatchlistEntry {
  /** The publisher's own id, unique within one list version (e.g. OFAC ent_num, UN DATAID, EU logicalId). */
  sourceId: string;
  schema: EntitySchema;
  /** Primary name as published. */
  name: string;
  /** Aliases as published; weak aliases ("low quality" a.k.a.) flagged. */
  aliases: { name: string; weak?: boolean; script?: string }[];
  /** ISO 3166-1 alpha-2 codes of countries linked to the entry (nationality, citizenship, address, jurisdiction). */
  countries: string[];
  /** ISO dates (YYYY, YYYY-MM or YYYY-MM-DD) of birth or incorporation. */
  birthDates: string[];
  identifiers: WatchlistIdentifier[];
  addresses: WatchlistAddress[];
  /** Sanctions programmes or list sections, e.g. SDGT, CYBER2, EU-RUS, Entity List. */
  programs: string[];
  /** When the entry was listed, if the publisher says. */
  listedOn?: string;
  remarks?: string;
  sourceUrl?: string;
}

export interface WatchlistProvenance {
  sourceKind: WatchlistSourceKind;
  /** A stable name of the list, e.g. "OFAC SDN" or "DE denials"; versions of the same list share it. */
  listName: string;
  publisher: string;
  /** Publication date as the publisher states it (ISO date), when known. */
  publishedOn: string | null;
  importedAt: string;
  /** SHA-256 of the imported file(s), hex. */
  checksum: string;
  files: string[];
  counts: { entries: number; aliases: number; bySchema: Partial<Record<EntitySchema, number>> };
}
