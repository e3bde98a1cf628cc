/**
 * Workflow vocabulary (issue 6): actors, denials (Art 16), consultations, Art 5 catch-all records, decision documents
 * and record-keeping kinds (Art 27). Plain types and closed vocabularies; no I/O. Engines live in src/engines/workflow.
 */
import type { DecisionOutcome, LicenceType, PartyType, UserRole } from './model.ts';

/** Who performs a transition: a user role, or `system` for scheduled jobs (expiry, exhaustion). */
export type ActorRole = UserRole | 'system';

/** An ISO calendar date `YYYY-MM-DD` (dates, not instants: deadlines count whole days). */
export type IsoDate = string;

/** Where a denial record came from: this authority's own decision, or a notification from another Member State. */
export const DENIAL_ORIGINS = ['own', 'received'] as const;
export type DenialOrigin = (typeof DENIAL_ORIGINS)[number];

/** What the authority did (Art 16(1)): refuse, or annul, suspend, modify or revoke an authorisation. */
export const DENIAL_KINDS = ['refusal', 'annulment', 'suspension', 'modification', 'revocation'] as const;
export type DenialKind = (typeof DENIAL_KINDS)[number];

/** A denial stays in force until the notifying Member State revokes it (Art 16(1), review within 3 years). */
export const DENIAL_STATUSES = ['in_force', 'revoked'] as const;
export type DenialStatus = (typeof DENIAL_STATUSES)[number];

/** The party roles a denial names; Art 2(22) compares end users and consignees. */
export const DENIAL_PARTY_ROLES = [
  'end_user',
  'consignee',
  'ultimate_end_user',
  'intermediary',
  'other',
] as const;
export type DenialPartyRole = (typeof DENIAL_PARTY_ROLES)[number];

export interface DenialParty {
  role: DenialPartyRole;
  name: string;
  aliases?: string[];
  address: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  partyType: PartyType | 'unknown';
}

/** One denial in the register, own or received (the shape of LITE's Denial/DenialEntity and, probably, DUeS). */
export interface DenialRecord {
  id: string;
  origin: DenialOrigin;
  kind: DenialKind;
  /** ISO alpha-2 of the notifying Member State. */
  notifyingMemberState: string;
  /** The notifying authority's own reference. */
  reference: string;
  deniedOn: IsoDate;
  controlEntries: string[];
  itemDescription: string;
  endUse: string;
  destinationCountry: string;
  parties: DenialParty[];
  reason: string;
  status: DenialStatus;
  revokedOn?: IsoDate | null;
  /** Art 16(1): reviewed within three years of notification. */
  reviewDueOn: IsoDate;
}

/** The application facts denial matching needs; the lead maps its Application + Parties + Items onto it. */
export interface ApplicationForDenialCheck {
  id: string;
  destinationCountry: string;
  parties: {
    role: 'end_user' | 'consignee' | 'ultimate_end_user' | 'intermediary' | 'broker' | 'agent';
    name: string;
    aliases?: string[];
    address?: string;
    country: string;
  }[];
  items: { controlEntries: string[]; description: string }[];
}

/** Art 16(2) consultation of a Member State that issued an essentially identical denial. */
export const CONSULTATION_STATUSES = [
  'open',
  'extended',
  'answered_identical',
  'answered_not_identical',
  'lapsed_not_identical',
  'withdrawn',
] as const;
export type ConsultationStatus = (typeof CONSULTATION_STATUSES)[number];

export interface DenialConsultation {
  id: string;
  applicationId: string;
  denialId: string;
  consultedMemberState: string;
  openedOn: IsoDate;
  /** 10 working days after opening (Art 16(2)). */
  replyDueOn: IsoDate;
  /** Agreed extension in working days, at most 30 (Art 16(2)). */
  extensionWorkingDays: number;
  status: ConsultationStatus;
  answeredOn?: IsoDate | null;
  answer?: string | null;
}

/** Art 5 records. */
export interface CatchAllItem {
  description: string;
  /** Controlled entries, if any (Art 5 is about NON-listed items; entries are usually empty). */
  controlEntries: string[];
  /** Cyber-surveillance categories from policy/workflow/catch-all.yaml (e.g. `facial_recognition`). */
  categories: string[];
}

/** 5(1): the authority informs an exporter that a non-listed item needs a licence. */
export interface CatchAllNotice {
  id: string;
  exporterOrganisationId: string;
  issuedOn: IsoDate;
  items: CatchAllItem[];
  destinationCountry: string;
  endUsers: string[];
  grounds: string;
  legalBasis: 'Art 5(1)' | 'Art 5(3)';
}

/** 5(2): an exporter that is aware from its due diligence notifies the authority. */
export interface AwarenessNotification {
  id: string;
  exporterOrganisationId: string;
  notifiedOn: IsoDate;
  items: CatchAllItem[];
  destinationCountry: string;
  endUsers: string[];
  dueDiligenceRecordId: string | null;
  findings: string;
}

/** 5(6)-(7) [unverified]: items (and destinations) published in the OJ C series after all Member States agreed. */
export interface PublishedCatchAllEntry {
  id: string;
  ojReference: string;
  publishedOn: IsoDate;
  itemDescription: string;
  categories: string[];
  keywords: string[];
  /** Empty = every destination. */
  destinations: string[];
  /** The publication is reviewed at least yearly [unverified]. */
  reviewDueOn: IsoDate;
  withdrawnOn?: IsoDate | null;
}

/** A licensing decision as the decision document renders it. */
export interface DecisionForDocument {
  reference: string;
  applicationReference: string;
  authority: { name: string; address: string; country: string };
  applicant: { name: string; address: string };
  licenceType: LicenceType;
  outcome: DecisionOutcome;
  decidedOn: IsoDate;
  destinationCountry: string;
  items: { description: string; controlEntries: string[]; quantity?: string }[];
  endUsers: { name: string; country: string }[];
  legalBasis: { citation: string; text: string }[];
  criteria: { code: string; title: string; finding: string; weighsAgainst: boolean }[];
  reasons: string[];
  conditions: string[];
  evidence: { id: string; title: string; source: string; date?: IsoDate | null }[];
  validUntil?: IsoDate | null;
  officer: { name: string; role: string };
  rights: {
    appealBody: string;
    appealDeadlineDays: number;
    appealDeadlineKind: 'calendar' | 'working';
    howTo: string;
  };
  /** Rules built on unverified law, shown in the document. */
  unverifiedNotes?: string[];
}
