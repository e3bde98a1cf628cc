/**
 * The Custos domain in the regulation's words (Reg. (EU) 2021/821): organisations, users, items, parties,
 * applications, decisions, licences, documents, evidence. Plain types and closed vocabularies; no I/O.
 */
import type { Locale } from './locales.ts';

export const ORGANISATION_KINDS = ['exporter', 'authority'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** Roles. `public` is the anonymous member of the public and is never stored on a user. */
export const USER_ROLES = ['exporter', 'officer', 'administrator'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** Item form, Art. 2(1): goods (hardware), software and technology. */
export const ITEM_FORMS = ['hardware', 'software', 'technology'] as const;
export type ItemForm = (typeof ITEM_FORMS)[number];

export const PARTY_TYPES = [
  'government_body',
  'police',
  'intelligence',
  'military',
  'state_owned_company',
  'telecom_operator',
  'private_company',
  'research_institution',
  'individual',
] as const;
export type PartyType = (typeof PARTY_TYPES)[number];

/** Party roles on an application. */
export const PARTY_ROLES = [
  'consignee',
  'end_user',
  'ultimate_end_user',
  'intermediary',
  'broker',
  'agent',
] as const;
export type PartyRole = (typeof PARTY_ROLES)[number];

/** Licence types, Art. 2(12)-(16) and Art. 12. */
export const LICENCE_TYPES = [
  'individual',
  'global',
  'eu_general_registration',
  'large_project',
  'national_general',
] as const;
export type LicenceType = (typeof LICENCE_TYPES)[number];

/** Application statuses; the transitions between them live in the workflow state machine. */
export const APPLICATION_STATUSES = [
  'draft',
  'submitted',
  'in_assessment',
  'information_requested',
  'in_consultation',
  'granted',
  'granted_with_conditions',
  'denied',
  'withdrawn',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const DECIDED_STATUSES: readonly ApplicationStatus[] = [
  'granted',
  'granted_with_conditions',
  'denied',
];
/** Submitted and not yet decided or withdrawn: the cases the authority is working on (the officer's open queue). */
export const OPEN_STATUSES: readonly ApplicationStatus[] = [
  'submitted',
  'in_assessment',
  'information_requested',
  'in_consultation',
];
export const EDITABLE_STATUSES: readonly ApplicationStatus[] = ['draft', 'information_requested'];

export const LICENCE_STATUSES = [
  'active',
  'suspended',
  'revoked',
  'annulled',
  'expired',
  'exhausted',
] as const;
export type LicenceStatus = (typeof LICENCE_STATUSES)[number];

export const DECISION_OUTCOMES = ['granted', 'granted_with_conditions', 'denied'] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

/** Export channels, Art. 2(2): customs export, re-export, outward processing, electronic transmission. */
export const EXPORT_CHANNELS = [
  'physical',
  'electronic_transmission',
  'made_available_online',
  'oral',
] as const;
export type ExportChannel = (typeof EXPORT_CHANNELS)[number];

export const EVIDENCE_TYPES = [
  'forensic_report',
  'un_finding',
  'eu_finding',
  'council_of_europe_finding',
  'court_ruling',
  'ngo_report',
  'media',
  'expert_statement',
  'other',
] as const;
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];

export const EVIDENCE_STATUSES = ['pending', 'accepted', 'rejected'] as const;
export type EvidenceStatus = (typeof EVIDENCE_STATUSES)[number];

/** Units a quantity may be given in. */
export const QUANTITY_UNITS = ['items', 'licences', 'seats', 'systems', 'kg', 'hours', 'other'] as const;
export type QuantityUnit = (typeof QUANTITY_UNITS)[number];

export interface Organisation {
  id: string;
  kind: OrganisationKind;
  name: string;
  country: string;
  synthetic: boolean;
  createdAt: string;
  version: number;
}

export interface User {
  id: string;
  organisationId: string;
  email: string;
  displayName: string;
  role: UserRole;
  disabled: boolean;
  /** The language Custos writes to this user in (e-mails); null until chosen, then e-mails are in English. */
  language: Locale | null;
  createdAt: string;
}

export interface Item {
  id: string;
  organisationId: string;
  name: string;
  publicDescription: string;
  confidentialDescription: string;
  itemForm: ItemForm;
  /** The technical profile the classification engine reads (issue 3); free-form JSON until then. */
  technicalProfile: Record<string, unknown>;
  /** The last stored classification result with the list and policy versions it used. */
  classification: Record<string, unknown> | null;
  synthetic: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface Party {
  id: string;
  organisationId: string;
  name: string;
  aliases: string[];
  country: string;
  address: string;
  partyType: PartyType;
  synthetic: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ApplicationLine {
  lineNo: number;
  itemId: string;
  quantity: number;
  unit: QuantityUnit;
  /** Value in the contract currency. */
  value: number;
  currency: string;
  valueEur: number;
  /** The item's classification as it stood when the application was submitted (null before submission). */
  classification?: Record<string, unknown> | null;
}

export interface ApplicationParty {
  partyId: string;
  role: PartyRole;
}

export interface Application {
  id: string;
  reference: string;
  organisationId: string;
  licenceType: LicenceType;
  destinationCountry: string;
  intendedEndUse: string;
  exportChannel: ExportChannel;
  status: ApplicationStatus;
  lines: ApplicationLine[];
  parties: ApplicationParty[];
  totalValueEur: number;
  submittedAt: string | null;
  decidedAt: string | null;
  synthetic: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ApplicationTransition {
  fromStatus: ApplicationStatus | null;
  toStatus: ApplicationStatus;
  actorId: string | null;
  at: string;
  reason: string | null;
}

/** The acting principal: who is asking. Services receive it and check it. */
export type Principal =
  | { kind: 'public' }
  | { kind: 'system'; name: string }
  | {
      kind: 'user';
      userId: string;
      organisationId: string;
      role: UserRole;
      via: 'session' | 'token' | 'cli';
    };

export const PUBLIC: Principal = Object.freeze({ kind: 'public' });
export const systemPrincipal = (name: string): Principal => ({ kind: 'system', name });
