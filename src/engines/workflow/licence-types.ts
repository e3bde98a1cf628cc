/** Licence types (Art 12): validity, requirements, amendments; and EUGEA (Annex II) eligibility of a planned export. */
import { z } from 'zod';
import { EU_MEMBER_STATES } from '../../domain/codes.ts';
import { DomainError } from '../../domain/errors.ts';
import { ITEM_FORMS, LICENCE_TYPES, type ItemForm, type LicenceType } from '../../domain/model.ts';
import type { IsoDate } from '../../domain/workflow.ts';
import { failPolicy, parsePolicyText } from './policy-parser.ts';
import { fromEpochDay, toEpochDay } from './working-days.ts';

const ENTRY_RE = /^[0-9][A-E][0-9]{3}(\.[a-z0-9]+)*$/;
const entrySchema = z.string().regex(ENTRY_RE, 'not a control list entry like 5A001.f.1');
const country = z.string().regex(/^[A-Z]{2}$/);

const requirementSchema = z
  .object({
    id: z.string(),
    rule: z.enum([
      'required',
      'required_unless_exempted',
      'required_unless_waived',
      'if_appropriate',
      'national',
    ]),
    verified: z.boolean(),
    source: z.string().min(1),
  })
  .strict();

export const licenceTypePolicySchema = z
  .object({
    version: z.string().min(1),
    types: z.record(
      z.enum(LICENCE_TYPES),
      z
        .object({
          definition: z.string().min(1),
          validity: z
            .object({
              maxMonths: z.number().int().positive().nullable(),
              verified: z.boolean(),
              longerIfDulyJustified: z.boolean().optional(),
              source: z.string().min(1),
            })
            .strict(),
          requirements: z.array(requirementSchema),
          splitOnRequestWhenQuantitativeLimits: z.boolean().optional(),
        })
        .strict(),
    ),
    amendments: z.record(
      z.string().regex(/^[a-z_]+$/),
      z
        .object({
          effect: z.enum(['administrative', 'reassess', 'new_application']),
          note: z.string().optional(),
        })
        .strict(),
    ),
  })
  .strict();
export type LicenceTypePolicy = z.infer<typeof licenceTypePolicySchema>;

const patternSchema = z
  .object({ entry: entrySchema, qualified: z.boolean().optional(), note: z.string().optional() })
  .strict();

export const eugeaPolicySchema = z
  .object({
    version: z.string().min(1),
    source: z.string().min(1),
    sectionI: z
      .object({
        source: z.string(),
        verified: z.boolean(),
        entries: z.array(patternSchema),
        annexIvEntries: z.array(patternSchema),
      })
      .strict(),
    bars: z.record(z.string().regex(/^[a-z0-9_]+$/), z.object({ text: z.string().min(1) }).strict()),
    eugeas: z.array(
      z
        .object({
          id: z.string().regex(/^EU00[1-8]$/),
          title: z.string().min(1),
          source: z.string().min(1),
          verified: z.boolean(),
          items: z
            .object({
              scope: z.enum(['all_annex_i', 'listed']),
              include: z.array(entrySchema).optional(),
              includeQualified: z.array(entrySchema).optional(),
              itemForms: z.array(z.enum(ITEM_FORMS)).optional(),
              excludeSectionI: z.boolean().optional(),
              excludeProductGroups: z.array(z.enum(['A', 'B', 'C', 'D', 'E'])).optional(),
              exclude: z.array(entrySchema).optional(),
              excludeRelatedTo: z.array(entrySchema).optional(),
              note: z.string().optional(),
            })
            .strict(),
          destinations: z
            .object({
              mode: z.enum(['listed', 'all_except']),
              countries: z.array(country),
              exceptEu001Destinations: z.boolean().optional(),
              note: z.string().optional(),
            })
            .strict(),
          bars: z.array(z.string()),
          requirements: z
            .object({
              icp: z.boolean(),
              registration: z.enum(['required', 'national_option']),
              firstUseNotification: z.string(),
              customsDeclaration: z.union([z.boolean(), z.string()]),
              reporting: z.string(),
              other: z.string().optional(),
            })
            .strict(),
        })
        .strict(),
    ),
  })
  .strict();
export type EugeaPolicy = z.infer<typeof eugeaPolicySchema>;
export type EugeaDefinition = EugeaPolicy['eugeas'][number];

/**
 * Parse policy/workflow/licence-types.yaml.
 *
 * @example
 * const types = parseLicenceTypePolicy(text, 'policy/workflow/licence-types.yaml');
 */
export function parseLicenceTypePolicy(text: string, sourceName: string): LicenceTypePolicy {
  const policy = parsePolicyText(text, sourceName, licenceTypePolicySchema);
  for (const t of LICENCE_TYPES)
    if (!policy.types[t]) failPolicy(sourceName, `types.${t}`, 'missing licence type');
  return policy;
}

/**
 * Parse policy/workflow/eugea.yaml; every EUGEA EU001-EU008 must be present once and use only defined bars.
 *
 * @example
 * const eugeas = parseEugeaPolicy(text, 'policy/workflow/eugea.yaml');
 */
export function parseEugeaPolicy(text: string, sourceName: string): EugeaPolicy {
  const policy = parsePolicyText(text, sourceName, eugeaPolicySchema);
  const ids = policy.eugeas.map((e) => e.id);
  for (let n = 1; n <= 8; n++) {
    const id = `EU00${n}`;
    if (ids.filter((x) => x === id).length !== 1)
      failPolicy(sourceName, 'eugeas', `${id} must appear exactly once`);
  }
  policy.eugeas.forEach((e, i) => {
    e.bars.forEach((b, j) => {
      if (!(b in policy.bars)) failPolicy(sourceName, `eugeas.${i}.bars.${j}`, `unknown bar ${b}`);
    });
    if (e.items.scope === 'listed' && !(e.items.include?.length || e.items.includeQualified?.length))
      failPolicy(sourceName, `eugeas.${i}.items`, 'a listed scope needs include or includeQualified');
  });
  return policy;
}

/**
 * Normalise a control list entry: trim, drop trailing dots and spaces, upper-case the category letter, lower-case
 * sub-items. `5a001.F.1.` -> `5A001.f.1`.
 *
 * @example
 * normaliseControlEntry(' 5A001.f.1. '); // => '5A001.f.1'
 */
export function normaliseControlEntry(entry: string): string {
  const t = entry.trim().replace(/\s+/g, '').replace(/\.+$/, '');
  return t.length >= 2 ? `${t.slice(0, 1)}${t.slice(1, 2).toUpperCase()}${t.slice(2).toLowerCase()}` : t;
}

/**
 * True when `pattern` covers `entry`: the same entry or one of its sub-entries (5A001.f covers 5A001.f.2, not 5A001.fx).
 *
 * @example
 * entryCovers('5A001.f', '5A001.f.2'); // => true
 */
export function entryCovers(pattern: string, entry: string): boolean {
  const p = normaliseControlEntry(pattern);
  const e = normaliseControlEntry(entry);
  return e === p || e.startsWith(`${p}.`);
}

export interface ValidityResult {
  licenceType: LicenceType;
  ok: boolean;
  validFrom: IsoDate;
  validUntil: IsoDate | null;
  maxValidUntil: IsoDate | null;
  verified: boolean;
  reasons: string[];
  source: string;
}

function addMonths(date: IsoDate, months: number): IsoDate {
  toEpochDay(date, 'issuedOn');
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}

/**
 * The validity of a licence issued on `issuedOn`: the requested end date if within the type's maximum, else refused
 * (large projects may exceed 4 years only when duly justified). A period of N months ends the day before the same
 * date N months later. Unverified maxima (2 years for individual and global) are flagged `verified: false`.
 *
 * @example
 * computeValidity(types, { licenceType: 'individual', issuedOn: '2026-03-01' });
 * // => { ok: true, validUntil: '2028-02-29', verified: false, ... }
 */
export function computeValidity(
  policy: LicenceTypePolicy,
  request: {
    licenceType: LicenceType;
    issuedOn: IsoDate;
    requestedValidUntil?: IsoDate | null;
    dulyJustified?: boolean;
  },
): ValidityResult {
  const type = policy.types[request.licenceType];
  if (!type) throw new DomainError('INVALID', `Unknown licence type ${request.licenceType}.`);
  const v = type.validity;
  const maxValidUntil =
    v.maxMonths === null ? null : fromEpochDay(toEpochDay(addMonths(request.issuedOn, v.maxMonths)) - 1);
  const requested = request.requestedValidUntil ?? null;
  const reasons: string[] = [];
  if (
    requested !== null &&
    toEpochDay(requested, 'requestedValidUntil') < toEpochDay(request.issuedOn, 'issuedOn')
  ) {
    reasons.push(`The end date ${requested} is before the issue date ${request.issuedOn}.`);
    return {
      licenceType: request.licenceType,
      ok: false,
      validFrom: request.issuedOn,
      validUntil: null,
      maxValidUntil,
      verified: v.verified,
      reasons,
      source: v.source,
    };
  }
  let validUntil = requested ?? maxValidUntil;
  let ok = true;
  if (requested !== null && maxValidUntil !== null && requested > maxValidUntil) {
    if (v.longerIfDulyJustified && request.dulyJustified) {
      reasons.push(
        `Longer than ${v.maxMonths} months, accepted as duly justified by the duration of the project.`,
      );
    } else {
      ok = false;
      validUntil = null;
      reasons.push(
        `The end date ${requested} exceeds the maximum validity of ${v.maxMonths} months (${maxValidUntil}).`,
      );
    }
  }
  if (ok && validUntil !== null) reasons.push(`Valid from ${request.issuedOn} to ${validUntil}.`);
  if (ok && validUntil === null) reasons.push('No fixed end date for this type.');
  if (!v.verified) reasons.push(`UNVERIFIED rule: ${v.source}.`);
  return {
    licenceType: request.licenceType,
    ok,
    validFrom: request.issuedOn,
    validUntil,
    maxValidUntil,
    verified: v.verified,
    reasons,
    source: v.source,
  };
}

export interface RequirementFacts {
  icpOnFile?: boolean;
  icpWaivedByAuthority?: boolean;
  endUseStatementOnFile?: boolean;
  endUseStatementExempted?: boolean;
}

/**
 * Check the Art 12(4) requirements for a licence type (ICP for global, end-use statement for individual). Feeds the
 * lifecycle guards `icp_on_file_or_waived` and `end_use_statement_on_file`.
 *
 * @example
 * checkLicenceRequirements(types, 'global', { icpOnFile: false, icpWaivedByAuthority: false });
 * // => { met: false, guardFacts: { icp_on_file_or_waived: false, end_use_statement_on_file: true }, ... }
 */
export function checkLicenceRequirements(
  policy: LicenceTypePolicy,
  licenceType: LicenceType,
  facts: RequirementFacts,
): {
  met: boolean;
  requirements: { id: string; met: boolean; reason: string; source: string; verified: boolean }[];
  guardFacts: { icp_on_file_or_waived: boolean; end_use_statement_on_file: boolean };
} {
  const requirements = (policy.types[licenceType]?.requirements ?? []).map((r) => {
    let met = true;
    let reason = 'No check needed at decision time.';
    if (r.id === 'internal_compliance_programme' && r.rule === 'required_unless_waived') {
      met = facts.icpOnFile === true || facts.icpWaivedByAuthority === true;
      reason = facts.icpOnFile
        ? 'An internal compliance programme is on file.'
        : facts.icpWaivedByAuthority
          ? 'The authority considered an ICP unnecessary.'
          : 'No internal compliance programme on file and no waiver by the authority.';
    } else if (r.id === 'end_use_statement' && r.rule === 'required_unless_exempted') {
      met = facts.endUseStatementOnFile === true || facts.endUseStatementExempted === true;
      reason = facts.endUseStatementOnFile
        ? 'An end-use statement is on file.'
        : facts.endUseStatementExempted
          ? 'The authority exempted this application from the end-use statement.'
          : 'No end-use statement on file and no exemption.';
    } else if (r.rule === 'if_appropriate' || r.rule === 'national') {
      reason = `Left to the authority (${r.rule}).`;
    }
    return { id: r.id, met, reason, source: r.source, verified: r.verified };
  });
  const byId = (id: string) => requirements.find((r) => r.id === id)?.met ?? true;
  return {
    met: requirements.every((r) => r.met),
    requirements,
    guardFacts: {
      icp_on_file_or_waived: byId('internal_compliance_programme'),
      end_use_statement_on_file: byId('end_use_statement'),
    },
  };
}

/**
 * What an amendment to a licence needs: an administrative change, a re-assessment, or a new application.
 *
 * @example
 * planAmendment(types, { licenceType: 'individual', status: 'active', issuedOn: '2026-01-10' }, { kind: 'change_end_user' });
 * // => { allowed: false, effect: 'new_application', reasons: ['A different end user is a different transaction ...'] }
 */
export function planAmendment(
  policy: LicenceTypePolicy,
  licence: { licenceType: LicenceType; status: string; issuedOn: IsoDate },
  amendment: { kind: string; newValidUntil?: IsoDate },
): {
  allowed: boolean;
  effect: 'administrative' | 'reassess' | 'new_application' | 'refused';
  reasons: string[];
} {
  const rule = policy.amendments[amendment.kind];
  if (!rule)
    return { allowed: false, effect: 'refused', reasons: [`Unknown amendment kind ${amendment.kind}.`] };
  if (licence.status !== 'active' && licence.status !== 'suspended')
    return { allowed: false, effect: 'refused', reasons: [`A ${licence.status} licence cannot be amended.`] };
  const reasons = rule.note ? [rule.note] : [];
  if (rule.effect === 'new_application') return { allowed: false, effect: 'new_application', reasons };
  if (amendment.kind === 'extend_validity') {
    if (!amendment.newValidUntil)
      return { allowed: false, effect: 'refused', reasons: ['newValidUntil is required.'] };
    const v = computeValidity(policy, {
      licenceType: licence.licenceType,
      issuedOn: licence.issuedOn,
      requestedValidUntil: amendment.newValidUntil,
    });
    if (!v.ok) return { allowed: false, effect: 'new_application', reasons: [...reasons, ...v.reasons] };
    reasons.push(...v.reasons);
  }
  return { allowed: true, effect: rule.effect, reasons };
}

export type EugeaOutcome = 'eligible' | 'not_eligible' | 'needs_information';

export interface EugeaItem {
  /** Annex I entry, or null for a non-listed item. */
  controlEntry: string | null;
  itemForm: ItemForm;
  /** For software and technology: the Annex I entries of the items it relates to (needed for EU007). */
  relatedEntries?: string[];
}

export interface EugeaCheckRequest {
  destinationCountry: string;
  items: EugeaItem[];
  /** Bar facts by bar id (see eugea.yaml `bars`), plus `destination_embargoed` for EU008. */
  facts?: Readonly<Record<string, boolean | undefined>>;
  exporter?: { icpOnFile?: boolean };
}

export interface EugeaCheckResult {
  eugeaId: string;
  outcome: EugeaOutcome;
  verified: boolean;
  reasons: { code: string; outcome: EugeaOutcome; message: string; source: string }[];
  declarationsRequired: { bar: string; text: string }[];
  requirements: EugeaDefinition['requirements'];
  policyVersion: string;
}

/**
 * Whether a planned export may use EUGEA `eugeaId`: destination, each item (scope, exclusions, Section I / Annex IV,
 * EU007's related-item exclusions), end-use bars and the ICP requirement. Bars without a fact become declarations.
 *
 * @example
 * checkEugeaEligibility(eugeas, 'EU007', { destinationCountry: 'IN', items: [{ controlEntry: '4D004', itemForm: 'software' }], exporter: { icpOnFile: true } });
 * // => { outcome: 'not_eligible', reasons: [{ code: 'item_excluded_related', ... }] }
 */
export function checkEugeaEligibility(
  policy: EugeaPolicy,
  eugeaId: string,
  request: EugeaCheckRequest,
): EugeaCheckResult {
  const g = policy.eugeas.find((e) => e.id === eugeaId);
  if (!g)
    throw new DomainError('INVALID', `Unknown EUGEA ${eugeaId}; expected EU001-EU008.`, {
      issues: [{ path: 'eugeaId', message: 'unknown' }],
    });
  const reasons: EugeaCheckResult['reasons'] = [];
  const add = (code: string, outcome: EugeaOutcome, message: string, source = g.source) =>
    reasons.push({ code, outcome, message, source });
  const facts = request.facts ?? {};

  // Destination
  const dest = request.destinationCountry.toUpperCase();
  const eu001 = policy.eugeas.find((e) => e.id === 'EU001')?.destinations.countries ?? [];
  if ((EU_MEMBER_STATES as readonly string[]).includes(dest)) {
    add(
      'destination_member_state',
      'not_eligible',
      `${dest} is a Member State: not an export (intra-Union transfers fall under Art 11).`,
    );
  } else if (g.destinations.mode === 'listed') {
    if (g.destinations.countries.includes(dest))
      add('destination_covered', 'eligible', `${dest} is a destination of ${g.id}.`);
    else add('destination_not_covered', 'not_eligible', `${dest} is not among the destinations of ${g.id}.`);
  } else {
    if (g.destinations.countries.includes(dest))
      add('destination_excluded', 'not_eligible', `${dest} is expressly excluded from ${g.id}.`);
    else if (g.destinations.exceptEu001Destinations && eu001.includes(dest))
      add(
        'destination_excluded',
        'not_eligible',
        `${dest} is an EU001 destination, excluded from ${g.id} (use EU001).`,
      );
    else if (facts.destination_embargoed === true)
      add(
        'destination_excluded',
        'not_eligible',
        `${dest} is subject to an arms embargo or Union restrictive measures on dual-use items.`,
      );
    else if (facts.destination_embargoed === undefined)
      add(
        'destination_embargo_unknown',
        'needs_information',
        `Confirm that ${dest} is not subject to an arms embargo or Union restrictive measures on dual-use items.`,
      );
    else add('destination_covered', 'eligible', `${dest} is covered by ${g.id}.`);
  }

  // Items
  if (request.items.length === 0) add('no_items', 'needs_information', 'No items given.');
  request.items.forEach((item, i) => {
    const label = `Item ${i + 1}${item.controlEntry ? ` (${normaliseControlEntry(item.controlEntry)})` : ''}`;
    if (!item.controlEntry) {
      add(
        'item_not_listed',
        'not_eligible',
        `${label} is not an Annex I item: no EUGEA applies (a licence may still be required under Art 4, 5, 9 or 10).`,
      );
      return;
    }
    const entry = normaliseControlEntry(item.controlEntry);
    if (!ENTRY_RE.test(entry)) {
      add(
        'item_entry_invalid',
        'needs_information',
        `${label}: "${item.controlEntry}" is not a control list entry.`,
      );
      return;
    }
    const it = g.items;
    const before = reasons.length;
    if (it.itemForms && !it.itemForms.includes(item.itemForm))
      add(
        'item_form_not_covered',
        'not_eligible',
        `${label}: ${g.id} covers only ${it.itemForms.join(' and ')}.`,
      );
    if (it.scope === 'listed') {
      if (it.include?.some((p) => entryCovers(p, entry)))
        add('item_in_scope', 'eligible', `${label} is listed in ${g.id}.`);
      else if (it.includeQualified?.some((p) => entryCovers(p, entry)))
        add(
          'item_in_scope_qualified',
          'needs_information',
          `${label} is listed in ${g.id} only in part: ${it.note ?? 'check the Annex'}.`,
        );
      else add('item_not_in_scope', 'not_eligible', `${label} is not among the items of ${g.id}.`);
    }
    if (it.excludeProductGroups?.includes(entry.slice(1, 2) as 'A'))
      add(
        'item_excluded_group',
        'not_eligible',
        `${label}: ${g.id} excludes all items of Sections ${it.excludeProductGroups.join(', ')} of each category.`,
      );
    const excluded = it.exclude?.find((p) => entryCovers(p, entry));
    if (excluded) add('item_excluded', 'not_eligible', `${label} is excluded from ${g.id} (${excluded}).`);
    else {
      const broader = it.exclude?.find((p) => entryCovers(entry, p));
      if (broader)
        add(
          'item_possibly_excluded',
          'needs_information',
          `${label} is broader than the excluded ${broader}: give the precise sub-entry.`,
        );
    }
    if (it.excludeSectionI) checkSectionI(policy, entry, label, add);
    if (it.excludeRelatedTo) {
      const hit = it.excludeRelatedTo.find(
        (p) => entryCovers(p, entry) || (item.relatedEntries ?? []).some((r) => entryCovers(p, r)),
      );
      if (hit)
        add(
          'item_excluded_related',
          'not_eligible',
          `${label} is or relates to ${hit}, excluded from ${g.id} (BRIEF H.9).`,
        );
      else if (
        item.relatedEntries === undefined &&
        (item.itemForm === 'software' || item.itemForm === 'technology') &&
        it.excludeRelatedTo.some((p) => p.slice(0, 1) === entry.slice(0, 1))
      )
        add(
          'item_related_unknown',
          'needs_information',
          `${label}: say which items this ${item.itemForm} relates to; ${g.id} excludes software and technology related to ${it.excludeRelatedTo.join(', ')}.`,
        );
    }
    const mine = reasons.slice(before);
    if (mine.every((r) => r.outcome === 'eligible') && !mine.some((r) => r.code === 'item_in_scope'))
      add('item_in_scope', 'eligible', `${label} is covered by ${g.id}.`);
  });

  // Bars and requirements
  const declarationsRequired: EugeaCheckResult['declarationsRequired'] = [];
  for (const bar of g.bars) {
    const text = (policy.bars[bar] as { text: string }).text;
    if (facts[bar] === true) add(`bar_${bar}`, 'not_eligible', `Barred: ${text}.`);
    else if (facts[bar] === undefined) declarationsRequired.push({ bar, text });
  }
  if (g.requirements.icp) {
    if (request.exporter?.icpOnFile === false)
      add(
        'icp_missing',
        'not_eligible',
        `${g.id} requires an internal compliance programme; none is on file.`,
      );
    else if (request.exporter?.icpOnFile === undefined)
      add(
        'icp_unknown',
        'needs_information',
        `${g.id} requires an internal compliance programme: is one on file?`,
      );
  }
  if (!g.verified)
    add(
      'policy_unverified',
      'needs_information',
      `The ${g.id} rules here are UNVERIFIED against the official text.`,
    );

  const outcome: EugeaOutcome = reasons.some((r) => r.outcome === 'not_eligible')
    ? 'not_eligible'
    : reasons.some((r) => r.outcome === 'needs_information')
      ? 'needs_information'
      : 'eligible';
  return {
    eugeaId: g.id,
    outcome,
    verified: g.verified,
    reasons,
    declarationsRequired,
    requirements: g.requirements,
    policyVersion: policy.version,
  };
}

function checkSectionI(
  policy: EugeaPolicy,
  entry: string,
  label: string,
  add: (code: string, outcome: EugeaOutcome, message: string, source?: string) => void,
): void {
  const s = policy.sectionI;
  const lists = [
    { name: 'Annex II Section I', patterns: s.entries },
    { name: 'Annex IV (all of which Section I excludes)', patterns: s.annexIvEntries },
  ];
  for (const { name, patterns } of lists) {
    const hit = patterns.find((p) => entryCovers(p.entry, entry));
    if (hit) {
      if (hit.qualified)
        add(
          'item_section_i_possible',
          'needs_information',
          `${label} falls under ${hit.entry} in ${name} only in part${hit.note ? ` (${hit.note})` : ''}: check.`,
          s.source,
        );
      else
        add(
          'item_section_i',
          'not_eligible',
          `${label} is listed in ${name} (${hit.entry}), excluded.`,
          s.source,
        );
      return;
    }
    const narrower = patterns.find((p) => entryCovers(entry, p.entry));
    if (narrower) {
      add(
        'item_section_i_possible',
        'needs_information',
        `${label} includes ${narrower.entry}, listed in ${name}: give the precise sub-entry.`,
        s.source,
      );
      return;
    }
  }
}
