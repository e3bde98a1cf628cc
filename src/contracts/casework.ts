/** Request and response contracts of case handling (issue 6): transitions, queue, information requests, decisions, licences. */
import { z } from 'zod';
import {
  APPLICATION_STATUSES,
  DECISION_OUTCOMES,
  LICENCE_STATUSES,
  LICENCE_TYPES,
  OPEN_STATUSES,
} from '../domain/model.ts';
import { CountryCode, NonEmptyText, PageQuery, Uuid, Version } from './common.ts';

const IsoDate = z.iso.date().meta({ description: 'ISO date YYYY-MM-DD', example: '2026-12-01' });

export const ApplicationTransitionCommand = z.strictObject({
  to: z.enum(APPLICATION_STATUSES),
  reason: z.string().trim().max(5000).optional(),
  expectedVersion: Version,
});
export type ApplicationTransitionCommandInput = z.infer<typeof ApplicationTransitionCommand>;

export const TransitionHistoryEntry = z.object({
  fromStatus: z.string().nullable(),
  toStatus: z.string(),
  actorId: z.string().nullable(),
  at: z.string(),
  reason: z.string().nullable(),
  policyVersion: z.string().nullable(),
});

export const AvailableTransition = z.object({
  to: z.string(),
  guards: z.array(z.string()),
  reasonRequired: z.boolean(),
  auditAction: z.string(),
});

export const TransitionsView = z.object({
  applicationId: Uuid,
  status: z.string(),
  version: z.number().int(),
  policyVersion: z.string(),
  available: z.array(AvailableTransition),
  history: z.array(TransitionHistoryEntry),
});

export const DeadlineView = z.object({
  id: Uuid,
  kind: z.string(),
  who: z.string(),
  startedOn: z.string(),
  workingDays: z.number().int(),
  dueOn: z.string(),
  calendarId: z.string(),
  verified: z.boolean(),
  source: z.string(),
  open: z.boolean(),
  remainingWorkingDays: z.number().int().nullable(),
  overdue: z.boolean(),
});

export const CaseListQuery = PageQuery.extend({
  status: z
    .enum([...APPLICATION_STATUSES, 'open'])
    .optional()
    .meta({
      description: `One status, or \`open\`: not yet decided or withdrawn (${OPEN_STATUSES.join(', ')})`,
    }),
  q: z.string().trim().max(100).optional().meta({ description: 'Part of the reference' }),
  destination: CountryCode.optional(),
  licenceType: z.enum(LICENCE_TYPES).optional(),
  assignedOfficerId: Uuid.optional(),
  unassigned: z.enum(['true', 'false']).optional(),
  overdue: z.enum(['true', 'false']).optional(),
});
export type CaseListQueryInput = z.infer<typeof CaseListQuery>;

export const CaseView = z.object({
  id: Uuid,
  reference: z.string(),
  organisationId: Uuid,
  licenceType: z.string(),
  destinationCountry: z.string(),
  status: z.string(),
  submittedAt: z.string().nullable(),
  totalValueEur: z.number(),
  assignedOfficerId: z.string().nullable(),
  assignedOfficerName: z.string().nullable(),
  nextDueOn: z.string().nullable(),
  overdue: z.boolean(),
  version: z.number().int(),
});

export const CaseAssignment = z.strictObject({
  officerId: Uuid.nullable(),
  expectedVersion: Version,
});

export const SlaQuery = z.strictObject({
  asOf: IsoDate.optional(),
  pauseForInformationRequests: z.enum(['true', 'false']).optional(),
});

export const SlaView = z.object({
  calendarId: z.string(),
  asOf: z.string(),
  decidedCount: z.number().int(),
  withdrawnCount: z.number().int(),
  openCount: z.number().int(),
  withinTargets: z.array(
    z.object({ workingDays: z.number().int(), count: z.number().int(), share01: z.number().nullable() }),
  ),
  medianWorkingDays: z.number().nullable(),
  overdue: z.array(
    z.object({
      applicationId: z.string(),
      submittedOn: z.string(),
      status: z.string(),
      elapsedWorkingDays: z.number(),
    }),
  ),
  method: z.string(),
});

export const InformationRequestCreate = z.strictObject({
  questions: z.array(NonEmptyText(2000)).min(1).max(50),
  workingDays: z.number().int().min(1).max(120).optional(),
  expectedVersion: Version,
});
export type InformationRequestCreateInput = z.infer<typeof InformationRequestCreate>;

export const InformationRequestAnswer = z.strictObject({
  answer: NonEmptyText(20000),
  documentIds: z.array(Uuid).max(20).default([]),
});
export type InformationRequestAnswerInput = z.input<typeof InformationRequestAnswer>;

export const InformationRequestView = z.object({
  id: Uuid,
  applicationId: Uuid,
  questions: z.array(z.string()),
  workingDays: z.number().int(),
  dueOn: z.string(),
  status: z.enum(['open', 'answered', 'closed']),
  askedAt: z.string(),
  answer: z.string().nullable(),
  documentIds: z.array(z.string()),
  answeredAt: z.string().nullable(),
});

export const LicenceRequirementsUpdate = z.strictObject({
  endUseStatementDocumentId: Uuid.nullable().optional(),
  icpDocumentId: Uuid.nullable().optional(),
  endUseStatementExempted: z.boolean().optional(),
  icpWaived: z.boolean().optional(),
});
export type LicenceRequirementsUpdateInput = z.infer<typeof LicenceRequirementsUpdate>;

export const LicenceRequirementsView = z.object({
  applicationId: Uuid,
  licenceType: z.string(),
  endUseStatementDocumentId: z.string().nullable(),
  icpDocumentId: z.string().nullable(),
  endUseStatementExempted: z.boolean(),
  icpWaived: z.boolean(),
  met: z.boolean(),
  requirements: z.array(
    z.object({
      id: z.string(),
      met: z.boolean(),
      reason: z.string(),
      source: z.string(),
      verified: z.boolean(),
    }),
  ),
});

export const DecisionCreate = z.strictObject({
  outcome: z.enum(DECISION_OUTCOMES),
  legalBasis: z
    .array(z.strictObject({ citation: NonEmptyText(200), text: NonEmptyText(4000) }))
    .min(1)
    .max(30),
  criteria: z
    .array(
      z.strictObject({
        code: NonEmptyText(50),
        title: NonEmptyText(300),
        finding: NonEmptyText(4000),
        weighsAgainst: z.boolean(),
      }),
    )
    .max(30)
    .default([]),
  rightsEngaged: z.array(NonEmptyText(200)).max(30).default([]),
  reasons: z.array(NonEmptyText(8000)).min(1).max(50),
  conditions: z.array(NonEmptyText(4000)).max(50).default([]),
  evidence: z
    .array(
      z.strictObject({
        id: NonEmptyText(100),
        title: NonEmptyText(500),
        source: NonEmptyText(500),
        date: IsoDate.nullable().optional(),
      }),
    )
    .max(100)
    .default([]),
  licence: z
    .strictObject({
      requestedValidUntil: IsoDate.optional(),
      dulyJustified: z.boolean().optional(),
      eugeaId: z
        .string()
        .regex(/^EU00[1-8]$/)
        .optional(),
    })
    .optional(),
  lang: z.enum(['en', 'de']).default('en'),
  expectedVersion: Version,
});
export type DecisionCreateInput = z.input<typeof DecisionCreate>;

export const LicenceView = z.object({
  id: Uuid,
  licenceNumber: z.string(),
  applicationId: Uuid,
  organisationId: Uuid,
  decisionId: z.string().nullable(),
  licenceType: z.string(),
  status: z.enum(LICENCE_STATUSES),
  validFrom: z.string(),
  validUntil: z.string().nullable(),
  validityVerified: z.boolean(),
  eugeaId: z.string().nullable(),
  lines: z.array(z.object({ lineNo: z.number().int(), quantity: z.number(), valueEur: z.number() })),
  conditions: z.array(z.string()),
  postLicenceReview: z.boolean(),
  reviewReason: z.string().nullable(),
  version: z.number().int(),
});

export const DecisionView = z.object({
  id: Uuid,
  reference: z.string().nullable(),
  applicationId: Uuid,
  outcome: z.enum(DECISION_OUTCOMES),
  legalBasis: z.array(z.object({ citation: z.string(), text: z.string() })),
  criteria: z.array(
    z.object({ code: z.string(), title: z.string(), finding: z.string(), weighsAgainst: z.boolean() }),
  ),
  rightsEngaged: z.array(z.string()),
  reasons: z.array(z.string()),
  conditions: z.array(z.string()),
  evidence: z.array(z.object({ id: z.string(), title: z.string(), source: z.string() }).passthrough()),
  decidedBy: z.string().nullable(),
  decidedAt: z.string(),
  appealDeadline: z.string().nullable(),
  policyVersion: z.string().nullable(),
  licence: LicenceView.nullable(),
});

export const LicenceTransitionCommand = z.strictObject({
  to: z.enum(LICENCE_STATUSES),
  reason: z.string().trim().max(5000).optional(),
  memberStatesNotified: z.boolean().optional().meta({
    description: 'The officer confirms the Art 16(1) notification to the other Member States is prepared',
  }),
  expectedVersion: Version,
});
export type LicenceTransitionCommandInput = z.infer<typeof LicenceTransitionCommand>;

export const LicenceListQuery = PageQuery.extend({
  status: z.enum(LICENCE_STATUSES).optional(),
  organisationId: Uuid.optional(),
});

export const LicenceAmendmentCreate = z.strictObject({
  kind: NonEmptyText(60),
  newValidUntil: IsoDate.optional(),
  reason: NonEmptyText(4000),
  expectedVersion: Version,
});

export const UsageReportCreate = z.strictObject({
  entries: z
    .array(
      z.strictObject({
        lineNo: z.number().int().positive(),
        quantity: z.number().min(0),
        valueEur: z.number().min(0),
        shippedOn: IsoDate,
        reference: NonEmptyText(200),
      }),
    )
    .min(1)
    .max(500),
});

export const UsageView = z.object({
  licenceId: Uuid,
  status: z.string(),
  reports: z.number().int(),
  lines: z.array(
    z.object({
      lineNo: z.number().int(),
      usedQuantity: z.number(),
      usedValueEur: z.number(),
      remainingQuantity: z.number(),
      remainingValueEur: z.number(),
      exhausted: z.boolean(),
    }),
  ),
  exhausted: z.boolean(),
});

export const ReviewFlag = z.strictObject({ reason: NonEmptyText(4000), expectedVersion: Version });

export const AppealCreate = z.strictObject({ lodgedOn: IsoDate, grounds: NonEmptyText(20000) });
export const AppealResolve = z.strictObject({
  status: z.enum(['upheld', 'dismissed', 'withdrawn']),
  note: NonEmptyText(8000),
  expectedVersion: Version,
});
export const AppealView = z.object({
  id: Uuid,
  decisionId: Uuid,
  applicationId: Uuid,
  lodgedOn: z.string(),
  deadline: z.string().nullable(),
  late: z.boolean(),
  grounds: z.string(),
  status: z.string(),
  outcomeNote: z.string().nullable(),
  version: z.number().int(),
});
