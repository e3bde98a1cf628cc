/** Request and response schemas of the foundation: organisations, users, items, parties, applications. */
import { z } from 'zod';
import {
  APPLICATION_STATUSES,
  EXPORT_CHANNELS,
  ITEM_FORMS,
  LICENCE_TYPES,
  OPEN_STATUSES,
  ORGANISATION_KINDS,
  PARTY_ROLES,
  PARTY_TYPES,
  QUANTITY_UNITS,
  USER_ROLES,
} from '../domain/model.ts';
import { LOCALES } from '../domain/locales.ts';
import { CountryCode, CurrencyCode, NonEmptyText, PageQuery, Uuid, Version } from './common.ts';

export const OrganisationCreate = z.strictObject({
  kind: z.enum(ORGANISATION_KINDS),
  name: NonEmptyText(200),
  country: CountryCode,
});
export const OrganisationView = z
  .object({
    id: Uuid,
    kind: z.enum(ORGANISATION_KINDS),
    name: z.string(),
    country: z.string(),
    synthetic: z.boolean(),
    createdAt: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'Organisation' });

export const Password = z.string().min(12, 'must be at least 12 characters').max(256);
export const UserCreate = z.strictObject({
  organisationId: Uuid,
  email: z.email().max(254),
  displayName: NonEmptyText(200),
  role: z.enum(USER_ROLES),
  password: Password,
  language: z.enum(LOCALES).nullable().optional().meta({
    description:
      'The language Custos writes to the user in (e-mails); null or absent until chosen (English).',
  }),
});
/** What a user changes of their own account. */
export const UserPreferences = z.strictObject({
  language: z.enum(LOCALES).nullable().meta({
    description:
      'The language of e-mails from Custos (the portal also follows it at sign-in); null forgets the choice (English).',
  }),
});
export type UserPreferencesInput = z.input<typeof UserPreferences>;
export const UserView = z
  .object({
    id: Uuid,
    organisationId: Uuid,
    email: z.string(),
    displayName: z.string(),
    role: z.enum(USER_ROLES),
    disabled: z.boolean(),
    language: z.enum(LOCALES).nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'User' });

export const LoginRequest = z.strictObject({
  email: z.email().max(254),
  password: z.string().min(1).max(256),
});
export const SessionView = z
  .object({ user: UserView, csrfToken: z.string(), expiresAt: z.string() })
  .meta({ id: 'Session' });
export const TokenCreate = z.strictObject({
  name: NonEmptyText(100),
  expiresInDays: z.number().int().min(1).max(730).optional(),
});
export const TokenCreated = z.object({
  id: Uuid,
  name: z.string(),
  token: z.string(),
  expiresAt: z.string().nullable(),
});

const TechnicalProfile = z.record(z.string(), z.unknown()).meta({
  description:
    'The technical profile the classification engine reads (format published at /schemas/technical-profile.json).',
});

export const ItemCreate = z.strictObject({
  name: NonEmptyText(200),
  publicDescription: z.string().trim().max(2000).default(''),
  confidentialDescription: z.string().trim().max(20000).default(''),
  itemForm: z.enum(ITEM_FORMS),
  technicalProfile: TechnicalProfile.default({}),
});
export const ItemUpdate = ItemCreate.partial().extend({ version: Version });
export const ItemView = z
  .object({
    id: Uuid,
    organisationId: Uuid,
    name: z.string(),
    publicDescription: z.string(),
    confidentialDescription: z.string(),
    itemForm: z.enum(ITEM_FORMS),
    technicalProfile: z.record(z.string(), z.unknown()),
    classification: z.record(z.string(), z.unknown()).nullable(),
    synthetic: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'Item' });

export const PartyCreate = z.strictObject({
  name: NonEmptyText(300),
  aliases: z.array(NonEmptyText(300)).max(50).default([]),
  country: CountryCode,
  address: z.string().trim().max(1000).default(''),
  partyType: z.enum(PARTY_TYPES),
});
export const PartyUpdate = PartyCreate.partial().extend({ version: Version });
export const PartyView = z
  .object({
    id: Uuid,
    organisationId: Uuid,
    name: z.string(),
    aliases: z.array(z.string()),
    country: z.string(),
    address: z.string(),
    partyType: z.enum(PARTY_TYPES),
    synthetic: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'Party' });

const Money = z.number().finite().min(0, 'must not be negative').max(1e13);
export const ApplicationLineInput = z.strictObject({
  itemId: Uuid,
  quantity: z.number().finite().positive('must be greater than zero').max(1e12),
  unit: z.enum(QUANTITY_UNITS),
  value: Money,
  currency: CurrencyCode,
  valueEur: Money,
});
export const ApplicationPartyInput = z.strictObject({ partyId: Uuid, role: z.enum(PARTY_ROLES) });

export const ApplicationCreate = z.strictObject({
  licenceType: z.enum(LICENCE_TYPES),
  destinationCountry: CountryCode,
  intendedEndUse: z.string().trim().max(5000).default(''),
  exportChannel: z.enum(EXPORT_CHANNELS).default('physical'),
  lines: z.array(ApplicationLineInput).max(200).default([]),
  parties: z.array(ApplicationPartyInput).max(50).default([]),
});
export const ApplicationUpdate = z.strictObject({
  version: Version,
  licenceType: z.enum(LICENCE_TYPES).optional(),
  destinationCountry: CountryCode.optional(),
  intendedEndUse: z.string().trim().max(5000).optional(),
  exportChannel: z.enum(EXPORT_CHANNELS).optional(),
  lines: z.array(ApplicationLineInput).max(200).optional(),
  parties: z.array(ApplicationPartyInput).max(50).optional(),
});
export const ApplicationTransitionRequest = z.strictObject({
  version: Version,
  reason: z.string().trim().max(5000).optional(),
});

export const ApplicationView = z
  .object({
    id: Uuid,
    reference: z.string(),
    organisationId: Uuid,
    licenceType: z.enum(LICENCE_TYPES),
    destinationCountry: z.string(),
    intendedEndUse: z.string(),
    exportChannel: z.enum(EXPORT_CHANNELS),
    status: z.enum(APPLICATION_STATUSES),
    lines: z.array(
      z.object({
        lineNo: z.number().int(),
        itemId: Uuid,
        quantity: z.number(),
        unit: z.enum(QUANTITY_UNITS),
        value: z.number(),
        currency: z.string(),
        valueEur: z.number(),
        classification: z.record(z.string(), z.unknown()).nullable().optional(),
      }),
    ),
    parties: z.array(z.object({ partyId: Uuid, role: z.enum(PARTY_ROLES) })),
    totalValueEur: z.number(),
    submittedAt: z.string().nullable(),
    decidedAt: z.string().nullable(),
    synthetic: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
    history: z
      .array(
        z.object({
          fromStatus: z.string().nullable(),
          toStatus: z.string(),
          actorId: z.string().nullable(),
          at: z.string(),
          reason: z.string().nullable(),
        }),
      )
      .optional(),
  })
  .meta({ id: 'Application' });

export const ApplicationListQuery = PageQuery.extend({
  status: z
    .enum([...APPLICATION_STATUSES, 'open'])
    .optional()
    .meta({
      description:
        'One status, or `open`: submitted and not yet decided or withdrawn (any of ' +
        OPEN_STATUSES.join(', ') +
        ').',
    }),
  destination: CountryCode.optional(),
  organisationId: Uuid.optional(),
  licenceType: z.enum(LICENCE_TYPES).optional(),
  q: z.string().trim().max(100).optional(),
  sort: z
    .enum(['created_desc', 'created_asc', 'submitted_asc', 'submitted_desc', 'value_desc'])
    .default('created_desc'),
});

export const DocumentView = z
  .object({
    id: Uuid,
    applicationId: Uuid.nullable(),
    filename: z.string(),
    mediaType: z.string(),
    sizeBytes: z.number().int(),
    sha256: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'Document' });

export type OrganisationCreateInput = z.infer<typeof OrganisationCreate>;
export type UserCreateInput = z.infer<typeof UserCreate>;
export type ItemCreateInput = z.infer<typeof ItemCreate>;
export type ItemUpdateInput = z.infer<typeof ItemUpdate>;
export type PartyCreateInput = z.infer<typeof PartyCreate>;
export type PartyUpdateInput = z.infer<typeof PartyUpdate>;
export type ApplicationCreateInput = z.infer<typeof ApplicationCreate>;
export type ApplicationUpdateInput = z.infer<typeof ApplicationUpdate>;
export type ApplicationListQueryInput = z.infer<typeof ApplicationListQuery>;
