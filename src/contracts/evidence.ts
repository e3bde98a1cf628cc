/** Evidence registry (issue 5): submissions, moderation, staff entries, public and staff views. */
import { z } from 'zod';
import { CHARTER_ARTICLES, ITEM_CAPABILITIES, RELIABILITY_LEVELS } from '../domain/assessment.ts';
import { EVIDENCE_STATUSES, EVIDENCE_TYPES } from '../domain/model.ts';
import { CountryCode, NonEmptyText, PageQuery, Version } from './common.ts';

const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), {
    message: 'not a calendar date',
    params: { code: 'invalid_date' },
  });
const HttpUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((u) => /^https?:\/\/[^\s]+$/i.test(u), {
    message: 'expected an http(s) URL',
    params: { code: 'invalid_url' },
  });
const Names = z.array(NonEmptyText(300)).max(50).default([]);
const Article = z.union(CHARTER_ARTICLES.map((a) => z.literal(a)) as unknown as [z.ZodLiteral<number>]);

/** An attachment sent inline (base64), checked with the documents rules: size limit, type sniffed from content. */
export const EvidenceAttachmentUpload = z.strictObject({
  filename: NonEmptyText(200),
  contentBase64: z.string().min(1).max(30_000_000),
});

const EvidenceTags = {
  countries: z.array(CountryCode).max(50).default([]),
  endUsers: Names,
  companies: Names,
  itemTypes: z
    .array(z.enum(ITEM_CAPABILITIES))
    .max(ITEM_CAPABILITIES.length)
    .default([])
    .meta({ description: 'Item capabilities the evidence concerns (the assessment vocabulary)' }),
  rights: z.array(Article).max(CHARTER_ARTICLES.length).default([]).meta({
    description: 'Articles of the EU Charter of Fundamental Rights affected, e.g. [7, 8, 11]',
  }),
};

/** What anyone (the public, civil society, any signed-in user) may submit; it enters the moderation queue. */
export const EvidenceSubmission = z.strictObject({
  title: NonEmptyText(300),
  summary: NonEmptyText(10_000),
  publishedOn: IsoDate.optional(),
  sourceUrl: HttpUrl.optional(),
  evidenceType: z.enum(EVIDENCE_TYPES),
  ...EvidenceTags,
  documentsMisuse: z.boolean().default(true),
  /** The submitter asks that the record is not published; moderators keep it so. */
  confidential: z.boolean().default(false),
  /** How the authority can reach the submitter. Never shown publicly nor to exporters. */
  submitterContact: z.string().trim().min(1).max(500).optional(),
  attachments: z.array(EvidenceAttachmentUpload).max(3).default([]),
});
export type EvidenceSubmissionInput = z.input<typeof EvidenceSubmission>;

/** A record entered by staff directly: accepted on entry with a reliability grade. */
export const EvidenceEntry = EvidenceSubmission.extend({
  reliability: z.enum(RELIABILITY_LEVELS),
  note: z.string().trim().max(2000).optional(),
});
export type EvidenceEntryInput = z.input<typeof EvidenceEntry>;

export const EvidenceModeration = z.discriminatedUnion('decision', [
  z.strictObject({
    decision: z.literal('accept'),
    version: Version,
    reliability: z.enum(RELIABILITY_LEVELS),
    /** Optionally override the confidentiality flag (e.g. personal data in the summary). */
    confidential: z.boolean().optional(),
    note: z.string().trim().max(2000).optional(),
  }),
  z.strictObject({
    decision: z.literal('reject'),
    version: Version,
    note: NonEmptyText(2000),
  }),
]);
export type EvidenceModerationInput = z.input<typeof EvidenceModeration>;

export const EvidencePublicQuery = PageQuery.extend({
  q: z.string().trim().max(200).optional(),
  country: CountryCode.optional(),
  evidenceType: z.enum(EVIDENCE_TYPES).optional(),
  itemType: z.enum(ITEM_CAPABILITIES).optional(),
  right: z.coerce
    .number()
    .int()
    .refine((n) => (CHARTER_ARTICLES as readonly number[]).includes(n), {
      message: 'not a Charter article',
      params: { code: 'charter_article' },
    })
    .optional(),
});
export const EvidenceStaffQuery = EvidencePublicQuery.extend({
  status: z.enum(EVIDENCE_STATUSES).optional(),
});

const Tags = {
  countries: z.array(z.string()),
  endUsers: z.array(z.string()),
  companies: z.array(z.string()),
  itemTypes: z.array(z.string()),
  rights: z.array(z.number()),
};

/** What the public sees: accepted, non-confidential records; no submitter, contact, moderator or note. */
export const EvidencePublicView = z.object({
  id: z.string(),
  title: z.string(),
  summary: z.string(),
  publishedOn: z.string().nullable(),
  sourceUrl: z.string().nullable(),
  evidenceType: z.string(),
  reliability: z.string(),
  ...Tags,
  documentsMisuse: z.boolean(),
  acceptedAt: z.string().nullable(),
});
export type EvidencePublicView = z.infer<typeof EvidencePublicView>;

export const EvidenceAttachmentView = z.object({
  id: z.string(),
  filename: z.string(),
  mediaType: z.string(),
  sizeBytes: z.number(),
  sha256: z.string(),
});

/** What officers and administrators see. */
export const EvidenceStaffView = EvidencePublicView.extend({
  status: z.string(),
  confidential: z.boolean(),
  enteredBy: z.string(),
  submittedBy: z.string().nullable(),
  submitterContact: z.string().nullable(),
  moderatedBy: z.string().nullable(),
  moderatedAt: z.string().nullable(),
  moderationNote: z.string().nullable(),
  attachments: z.array(EvidenceAttachmentView),
  createdAt: z.string(),
  version: z.number(),
});
export type EvidenceStaffView = z.infer<typeof EvidenceStaffView>;

/** The receipt a submitter gets: no content echoed back beyond the id and status. */
export const EvidenceReceipt = z.object({
  id: z.string(),
  status: z.string(),
  attachments: z.number(),
  message: z.string(),
});
