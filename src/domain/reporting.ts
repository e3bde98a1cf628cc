/**
 * Transparency reporting vocabulary: the input the reporting engine reads (one application as the register sees it,
 * confidential fields included) and the closed lists it publishes. Plain types; no I/O.
 */
import type { LicenceType, PartyRole, PartyType, QuantityUnit } from './model.ts';

/** Outcome as the register shows it; `pending` = received, not yet decided. */
export const REGISTER_DECISIONS = [
  'granted',
  'granted_with_conditions',
  'denied',
  'withdrawn',
  'pending',
] as const;
export type RegisterDecision = (typeof REGISTER_DECISIONS)[number];

/**
 * Cyber-surveillance categories (Art. 2(20) items). This is Custos's own public taxonomy, not a list in the
 * Regulation; the Art. 26(2) table counts applications per control entry and shows the category beside it.
 */
export const CYBER_SURVEILLANCE_CATEGORIES = [
  'telecom_interception',
  'internet_monitoring',
  'intrusion_software',
  'monitoring_centre',
  'data_retention',
  'digital_forensics',
  'biometric_identification',
  'location_tracking',
  'other',
] as const;
export type CyberSurveillanceCategory = (typeof CYBER_SURVEILLANCE_CATEGORIES)[number];

/** Public end-user sectors (a description of the end user without its name). */
export const END_USER_SECTORS = [
  'law_enforcement',
  'intelligence',
  'defence',
  'border_control',
  'government_administration',
  'telecommunications',
  'critical_infrastructure',
  'finance',
  'academia_research',
  'commercial',
  'other',
] as const;
export type EndUserSector = (typeof END_USER_SECTORS)[number];

/** One line of an application. `confidentialDescription` is the exporter's own text and is NEVER published. */
export interface RegisterSourceLine {
  lineNo: number;
  /** Annex I entries, e.g. `['5A001.j']`; empty for a non-listed item caught by a catch-all (Art. 4, 5, 9, 10). */
  controlEntries: string[];
  /** Null when the item is not a cyber-surveillance item. */
  cyberSurveillanceCategory: CyberSurveillanceCategory | null;
  /** A code of the controlled public description vocabulary (policy/vocabulary). */
  publicDescriptionCode: string;
  /** CONFIDENTIAL: the exporter's description. */
  confidentialDescription: string;
  quantity: number;
  unit: QuantityUnit;
  valueEur: number;
}

/** A party on the application. `name` is published only for legal persons and only when the policy says so. */
export interface RegisterSourceParty {
  role: PartyRole;
  partyType: PartyType;
  sector: EndUserSector | null;
  /** CONFIDENTIAL unless the policy publishes legal persons' names; a natural person's name is never published. */
  name: string;
  naturalPerson: boolean;
  country: string;
}

/** One application (decided or pending) as the reporting engine receives it from the database. */
export interface RegisterSourceRecord {
  /** CONFIDENTIAL internal id (never published). */
  applicationId: string;
  /** The public reference, e.g. `DE-2025-000123`. Must not encode the exporter's identity. */
  reference: string;
  /** Issuing Member State (ISO 3166-1 alpha-2). */
  memberState: string;
  /** ISO dates `YYYY-MM-DD`. */
  receivedOn: string;
  decidedOn: string | null;
  licenceType: LicenceType;
  lines: RegisterSourceLine[];
  destinationCountry: string;
  parties: RegisterSourceParty[];
  /** CONFIDENTIAL. */
  exporterName: string;
  /** CONFIDENTIAL; used only to count distinct exporters in aggregate cells. */
  exporterId: string;
  decision: RegisterDecision;
  grounds: {
    /** e.g. `art15.1.a`, `cp2008-944.criterion2` */
    criteria: string[];
    /** Charter rights, e.g. `charter.art7` */
    rights: string[];
  };
  /** Another Member State was consulted (Art. 16). */
  consulted: boolean;
  /** The application was denied, or concerned an essentially identical transaction to a notified denial. */
  denialRelated: boolean;
}
