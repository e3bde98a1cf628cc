/**
 * The human-rights assessment of a licence application: prohibitions first, then findings per Charter right,
 * Common Position criteria 2 and 7, the Art. 5 catch-all and a reasoned recommendation. Pure and deterministic.
 */
import {
  SAFEGUARD_CRITERIA,
  assessmentInputSchema,
  createEmptyCountryProfile,
  type Assessment,
  type AssessmentInput,
  type AssessmentParty,
  type CatchAllFinding,
  type CharterArticle,
  type ConditionRef,
  type CountryIndicator,
  type CountryProfile,
  type Criterion2Finding,
  type Criterion7Finding,
  type EvidenceRecord,
  type IndicatorKey,
  type ItemCapability,
  type Prohibition,
  type Reason,
  type RestrictiveMeasure,
  type RightFinding,
  type RiskLevel,
  type SourceRef,
} from '../../domain/assessment.ts';
import { countryName } from '../../domain/codes.ts';
import { invalid } from '../../domain/errors.ts';
import type { PartyType } from '../../domain/model.ts';
import type { AssessmentModel, DiversionSignal } from './assessment-model.ts';
import { hashCanonical } from './canonical-hash.ts';

/** Reference data an assessment reads besides the application: restrictive measures and country profiles. */
export interface AssessmentReference {
  /** Version of the reference data (measures file version plus dataset checksums), recorded in the result. */
  version: string;
  measures: RestrictiveMeasure[];
  profiles: Record<string, CountryProfile>;
}

const END_USER_ROLES = new Set(['end_user', 'ultimate_end_user']);
const INTERMEDIARY_ROLES = new Set(['intermediary', 'broker', 'agent']);
const GOVERNMENT_TYPES = new Set<PartyType>([
  'government_body',
  'police',
  'intelligence',
  'military',
  'state_owned_company',
]);
const TARGETED_LIMIT_CAPABILITIES = new Set<ItemCapability>([
  'bulk_collection',
  'ip_network_monitoring',
  'deep_packet_inspection',
  'relational_mapping',
  'data_retention',
]);

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Validate the application, refusing unknown country codes or party types with the field named. */
export function parseAssessmentInput(raw: unknown): AssessmentInput {
  const result = assessmentInputSchema.safeParse(raw);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  throw invalid(
    `Invalid assessment input: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    issues,
  );
}

/**
 * Assess a licence application against the model and the reference data.
 *
 * @example
 * const a = assessApplication(application, model, { version: 'ref-1', measures, profiles });
 * a.recommendation; // 'deny' | 'approve_with_conditions' | 'approve' | 'needs_information'
 * a.trail;          // every step with its rule, text and sources
 */
export function assessApplication(
  raw: unknown,
  model: AssessmentModel,
  reference: AssessmentReference,
): Assessment {
  const parsed = parseAssessmentInput(raw);
  const trail: Assessment['trail'] = [];
  const unknowns: string[] = [];
  const unverified = new Set<string>();
  const legal = (id: string): SourceRef => {
    const basis = model.legalBasis.find((b) => b.id === id);
    if (basis && !basis.verified) unverified.add(`${id}: ${basis.text} (unverified)`);
    return {
      kind: 'legal_act',
      id,
      label: basis?.text ?? id,
      citation: basis?.text ?? id,
      verified: basis?.verified ?? false,
    };
  };

  // The profile used is part of the snapshot, so the snapshot alone reproduces the assessment.
  const profileSource = parsed.countryProfile
    ? 'input'
    : reference.profiles[parsed.destination]
      ? 'reference'
      : 'none';
  const profile: CountryProfile =
    parsed.countryProfile ??
    reference.profiles[parsed.destination] ??
    createEmptyCountryProfile(parsed.destination);
  if (profile.country !== parsed.destination) {
    throw invalid(
      `countryProfile.country ${profile.country} does not match destination ${parsed.destination}`,
      [{ path: 'countryProfile.country', message: `Expected the profile of ${parsed.destination}` }],
    );
  }
  const input: AssessmentInput = { ...parsed, countryProfile: profile };
  trail.push({
    step: 'validate',
    outcome: `Input valid; destination ${parsed.destination} (${countryName(parsed.destination)}); country profile from ${profileSource}`,
    reasons:
      profileSource === 'none'
        ? [
            {
              rule: 'profile.missing',
              text: 'No country profile available: every indicator is unknown.',
              sources: [],
            },
          ]
        : [],
  });

  // ---- scope: which items are cyber-surveillance items for this profile
  const inScope = input.items.filter(
    (i) =>
      i.controlEntries.length > 0 ||
      i.cyberSurveillance.underLaw ||
      (input.profile === 'broad' && i.cyberSurveillance.underPolicy),
  );
  const capabilities = [...new Set(inScope.flatMap((i) => i.capabilities))].sort();
  trail.push({
    step: 'scope',
    outcome: `${inScope.length} of ${input.items.length} item(s) in scope (${input.profile} profile); capabilities: ${capabilities.join(', ') || 'none'}`,
    reasons: input.items
      .filter((i) => !inScope.includes(i))
      .map((i) => ({
        rule: 'scope.out',
        text: `Item ${i.id} is not listed and not an Art. 2(20) item${i.cyberSurveillance.underPolicy ? ' (policy scope only; use the broad profile to include it)' : ''}.`,
        sources: [{ kind: 'input', id: i.id, label: i.description, citation: `items.${i.id}` }],
      })),
  });

  const endUsers = input.parties.filter((p) => END_USER_ROLES.has(p.role));
  const usePartyCountries = new Set<string>([
    input.destination,
    ...input.parties
      .filter((p) => p.role !== 'intermediary' && p.role !== 'broker' && p.role !== 'agent')
      .map((p) => p.country),
  ]);

  // ---- prohibitions
  const prohibitions: Prohibition[] = [];
  let embargoMilitaryEndUse: Reason | null = null;
  for (const m of reference.measures) {
    const hitCountries = m.countries.filter((c) => usePartyCountries.has(c)).sort();
    if (hitCountries.length === 0) continue;
    const country = hitCountries[0] ?? null;
    const measureRef: SourceRef = {
      kind: 'legal_act',
      id: m.id,
      label: m.summary,
      citation: m.legalActs.join('; '),
      verified: m.verified,
    };
    const applies = (text: string): void => {
      if (!m.verified)
        unverified.add(`${m.id}: ${m.legalActs.join('; ')} (unverified: ${m.verificationNote})`);
      prohibitions.push({
        measureId: m.id,
        kind: m.kind,
        country,
        legalActs: m.legalActs,
        verified: m.verified,
        reasons: [{ rule: `prohibition.${m.kind}`, text, sources: [measureRef] }],
      });
    };
    if (m.kind === 'telecom_monitoring_equipment_ban') {
      const items = input.items.filter((i) =>
        i.capabilities.some((c) => model.capabilities[c]?.telecomMonitoring),
      );
      if (items.length > 0) {
        applies(
          `Items ${items.map((i) => i.id).join(', ')} monitor or intercept telecommunications and go to ${country}: ${m.summary}${m.derogation ? ` Derogation: ${m.derogation}` : ''}`,
        );
      }
    } else if (m.kind === 'internal_repression_equipment_ban') {
      const items = input.items.filter((i) => i.internalRepressionAnnex);
      if (items.length > 0)
        applies(
          `Items ${items.map((i) => i.id).join(', ')} are on the internal-repression annex and go to ${country}: ${m.summary}`,
        );
    } else if (m.kind === 'dual_use_export_ban') {
      const listed = input.items.filter((i) => i.controlEntries.length > 0);
      const military = endUsers.some((p) => p.type === 'military');
      if (
        listed.length > 0 &&
        (m.scope === 'whole_country' || (m.scope === 'military_end_users' && military))
      ) {
        applies(
          `Listed dual-use items ${listed.map((i) => `${i.id} (${i.controlEntries.join(', ')})`).join(', ')} go to ${country}: ${m.summary}`,
        );
      }
    } else if (m.kind === 'arms_embargo') {
      const militaryItems = input.items.filter((i) => i.militaryListed);
      const governmentEndUser = endUsers.some((p) => GOVERNMENT_TYPES.has(p.type));
      const embargoCovers =
        m.scope === 'whole_country' ||
        m.scope === 'region' ||
        (m.scope === 'non_government_forces' && !governmentEndUser);
      if (militaryItems.length > 0 && embargoCovers) {
        applies(
          `Military-listed items ${militaryItems.map((i) => i.id).join(', ')} go to ${country}: ${m.summary}`,
        );
      } else if (
        m.scope === 'whole_country' &&
        endUsers.some((p) => p.type === 'military') &&
        !embargoMilitaryEndUse
      ) {
        embargoMilitaryEndUse = {
          rule: 'c1.arms_embargo_military_end_use',
          text: `Dual-use items for a military end user in ${country}, under an arms embargo (${m.id}): Art. 4(1)(b) and criterion 1 (international obligations) weigh for denial.`,
          sources: [measureRef, legal('reg-2021-821-art4-2')],
        };
      }
    }
  }
  for (const hit of input.screeningHits) {
    if (hit.confirmed && hit.listKind === 'sanctions') {
      prohibitions.push({
        measureId: `screening:${hit.list}`,
        kind: 'designated_party',
        country: input.parties.find((p) => p.name === hit.partyName)?.country ?? null,
        legalActs: [hit.list],
        verified: true,
        reasons: [
          {
            rule: 'prohibition.designated_party',
            text: `${hit.partyName} is a confirmed match on ${hit.list}: making economic resources available to a designated person is prohibited.`,
            sources: [
              {
                kind: 'screening',
                id: hit.list,
                label: `${hit.partyName} on ${hit.list}`,
                citation: hit.list,
              },
            ],
          },
        ],
      });
    }
  }
  trail.push({
    step: 'prohibitions',
    outcome:
      prohibitions.length > 0
        ? `${prohibitions.length} prohibition(s) apply; they override every other finding`
        : 'No embargo, ban or designated-party prohibition applies',
    reasons: prohibitions
      .flatMap((p) => p.reasons)
      .concat(embargoMilitaryEndUse ? [embargoMilitaryEndUse] : []),
  });
  trail.push({
    step: 'screening_and_denials',
    outcome: `${input.screeningHits.length} screening hit(s), ${input.priorDenials.length} prior denial(s)`,
    reasons: [
      ...input.screeningHits.map((h) => ({
        rule: `screening.${h.confirmed ? 'confirmed' : 'unconfirmed'}.${h.listKind}`,
        text: `${h.partyName} on ${h.list} (score ${h.score01}, ${h.confirmed ? 'confirmed' : 'not confirmed'}): ${
          h.confirmed
            ? h.listKind === 'sanctions'
              ? 'prohibition (designated party)'
              : 'criterion 7 signal'
            : h.score01 >= model.thresholds.unconfirmedHitScore01
              ? 'to be resolved before a decision'
              : 'below the resolution threshold'
        }.`,
        sources: [
          { kind: 'screening' as const, id: h.list, label: `${h.partyName} on ${h.list}`, citation: h.list },
        ],
      })),
      ...input.priorDenials.map((d) => ({
        rule: `denial.${d.inForce ? 'in_force' : 'not_in_force'}.${d.essentiallyIdentical ? 'identical' : 'different'}`,
        text: `Denial ${d.reference} by ${d.memberState} on ${d.date}${d.reason ? ` (${d.reason})` : ''}: ${
          d.inForce && d.essentiallyIdentical
            ? 'essentially identical transaction, consultation required (Art. 16)'
            : 'not an essentially identical transaction in force'
        }.`,
        sources: [
          {
            kind: 'denial' as const,
            id: d.reference,
            label: `${d.memberState} denial ${d.reference}`,
            citation: d.reference,
          },
        ],
      })),
    ],
  });

  // ---- destination context: indicators and safeguards
  const indicatorRefs: SourceRef[] = [];
  let wSum = 0;
  let wKnown = 0;
  let riskSum = 0;
  const indicatorReasons: Reason[] = [];
  for (const [key, rule] of Object.entries(model.indicators) as [
    IndicatorKey,
    AssessmentModel['indicators'][IndicatorKey],
  ][]) {
    const ind = profile.indicators[key] as CountryIndicator | undefined;
    if (rule.absent === 'unknown') wSum += rule.weight;
    if (!ind) {
      if (rule.absent === 'unknown') unknowns.push(`indicator ${key} (${rule.label})`);
      else
        indicatorReasons.push({
          rule: `indicator.${key}.absent`,
          text: `${rule.label}: not documented in the dataset (absence is not evidence of safety; not counted).`,
          sources: [],
        });
      continue;
    }
    const risk = normaliseIndicator(ind.value, rule);
    if (risk === null) {
      if (rule.absent === 'unknown') unknowns.push(`indicator ${key} (${rule.label}): unreadable value`);
      continue;
    }
    if (rule.absent === 'not_documented' && risk === 0) continue;
    if (rule.absent === 'unknown') wKnown += rule.weight;
    riskSum += rule.weight * risk;
    const ref: SourceRef = {
      kind: 'indicator',
      id: key,
      label: `${rule.label}: ${String(ind.value)}${ind.year ? ` (${ind.year})` : ''}`,
      citation: `${ind.source} [${ind.dataset}]`,
    };
    indicatorRefs.push(ref);
    indicatorReasons.push({
      rule: `indicator.${key}`,
      text: `${ref.label} -> risk ${round3(risk)} (weight ${rule.weight})`,
      sources: [ref],
    });
  }
  const weightUsed =
    wKnown +
    Object.entries(model.indicators)
      .filter(([k, r]) => r.absent === 'not_documented' && indicatorRefs.some((x) => x.id === k))
      .reduce((a, [, r]) => a + r.weight, 0);
  const indicatorRisk = weightUsed > 0 ? riskSum / weightUsed : null;
  const indicatorCoverage = wSum > 0 ? wKnown / wSum : 0;

  const knownSafeguards = profile.safeguards.filter((s) => s.value !== 'unknown');
  const falseSafeguards = profile.safeguards.filter((s) => s.value === 'false');
  for (const s of profile.safeguards.filter((x) => x.value === 'unknown')) {
    const c = SAFEGUARD_CRITERIA.find((x) => x.id === s.criterion);
    unknowns.push(`safeguard ${c?.n ?? '?'} ${c?.text ?? s.criterion}`);
  }
  const safeguardRisk = knownSafeguards.length > 0 ? falseSafeguards.length / knownSafeguards.length : null;
  const safeguardCoverage = knownSafeguards.length / SAFEGUARD_CRITERIA.length;
  let contextRisk: number | null = null;
  if (indicatorRisk !== null || safeguardRisk !== null) {
    const wi = indicatorRisk !== null ? model.context.indicatorWeight : 0;
    const ws = safeguardRisk !== null ? model.context.safeguardWeight : 0;
    contextRisk = ((indicatorRisk ?? 0) * wi + (safeguardRisk ?? 0) * ws) / (wi + ws);
  }
  trail.push({
    step: 'country_context',
    outcome: `Indicator risk ${fmt(indicatorRisk)} (coverage ${round3(indicatorCoverage)}), safeguard gap ${fmt(safeguardRisk)} (${knownSafeguards.length}/14 known), context risk ${fmt(contextRisk)}`,
    reasons: [
      ...indicatorReasons,
      ...falseSafeguards.map((s) => ({
        rule: 'safeguard.false',
        text: `Safeguard missing in ${profile.country}: ${safeguardLabel(s.criterion)}`,
        sources: [safeguardRef(s.criterion, s.value, s.source)],
      })),
    ],
  });

  // ---- evidence
  const accepted = input.evidence.filter((e) => e.status === 'accepted');
  const pending = input.evidence.filter((e) => e.status !== 'accepted');
  const partyNames = input.parties.map((p) => ({ party: p, key: normaliseName(p.name) }));
  const linkOf = (
    e: EvidenceRecord,
  ): { link: 'end_user' | 'company' | 'country' | null; party?: AssessmentParty } => {
    for (const eu of e.endUsers) {
      const hit = partyNames.find(
        (p) => END_USER_ROLES.has(p.party.role) && namesMatch(p.key, normaliseName(eu)),
      );
      if (hit) return { link: 'end_user', party: hit.party };
    }
    for (const co of [...e.companies, ...e.endUsers]) {
      const hit = partyNames.find((p) => namesMatch(p.key, normaliseName(co)));
      if (hit) return { link: 'company', party: hit.party };
    }
    const countries = new Set([input.destination, ...endUsers.map((p) => p.country)]);
    if (e.countries.some((c) => countries.has(c))) return { link: 'country' };
    return { link: null };
  };
  const scored = accepted
    .filter((e) => e.documentsMisuse)
    .map((e) => {
      const { link, party } = linkOf(e);
      const capMatch =
        e.itemCapabilities.length === 0
          ? 0.9
          : e.itemCapabilities.some((c) => capabilities.includes(c))
            ? 1
            : 0.7;
      const risk = link
        ? model.evidence.typeWeight[e.type] *
          model.evidence.reliabilityWeight[e.reliability] *
          model.evidence.linkWeight[link] *
          capMatch
        : 0;
      return { e, link, party, risk };
    })
    .filter((x) => x.link !== null);
  const evidenceRef = (e: EvidenceRecord): SourceRef => ({
    kind: 'evidence',
    id: e.id,
    label: `${e.title} (${e.type}, ${e.reliability} reliability, ${e.date})`,
    citation: e.sourceUrl,
  });
  trail.push({
    step: 'evidence',
    outcome: `${scored.length} accepted record(s) linked to this application; ${pending.length} pending or rejected record(s) not used`,
    reasons: scored.map((x) => ({
      rule: `evidence.link.${x.link}`,
      text: `${x.e.title}: linked by ${x.link}${x.party ? ` (${x.party.name})` : ''}, weight ${round3(x.risk)}`,
      sources: [evidenceRef(x.e)],
    })),
  });

  // ---- end-user factor
  const endUserRisks = endUsers.map((p) => model.endUserTypeRisk[p.type]);
  const endUserRisk = endUserRisks.length > 0 ? Math.max(...endUserRisks) : null;
  if (endUserRisk === null) unknowns.push('end user (no party with role end_user or ultimate_end_user)');
  const endUserFactor = 0.6 + 0.4 * (endUserRisk ?? 0.5);

  // ---- findings per right
  const rightTitles = new Map(model.rights.map((r) => [r.article, r.title]));
  const articles = new Set<CharterArticle>();
  for (const c of capabilities) for (const a of model.capabilities[c]?.rights ?? []) articles.add(a);
  for (const x of scored)
    for (const a of x.e.rights) if (x.e.rights.length > 0 && capabilities.length > 0) articles.add(a);
  const rights: RightFinding[] = [...articles]
    .sort((a, b) => a - b)
    .map((article) => {
      const engagedBy = capabilities.filter((c) => model.capabilities[c]?.rights.includes(article));
      const severity = Math.max(
        0,
        ...engagedBy.map((c) => model.capabilities[c]?.severity01 ?? 0),
        engagedBy.length === 0 ? 0.5 : 0,
      );
      const relevant = scored.filter((x) => x.e.rights.length === 0 || x.e.rights.includes(article));
      const evidenceRisk = relevant.length > 0 ? Math.max(...relevant.map((x) => x.risk)) : null;
      const ctx =
        contextRisk === null && evidenceRisk === null ? null : Math.max(contextRisk ?? 0, evidenceRisk ?? 0);
      const score = ctx === null ? null : round3(ctx * (0.5 + 0.5 * severity) * endUserFactor);
      const standardIds = [
        ...new Set(engagedBy.flatMap((c) => model.capabilities[c]?.standards ?? [])),
      ].sort();
      const standards = standardIds.flatMap((id) => {
        const cl = model.caseLaw.find((c) => c.id === id);
        if (!cl) return [];
        if (!cl.verified) unverified.add(`case law ${cl.id}: ${cl.citation} (details unverified)`);
        return [
          {
            kind: 'case_law' as const,
            id: cl.id,
            label: `${cl.name}: ${cl.holding}`,
            citation: cl.citation,
            verified: cl.verified,
          },
        ];
      });
      const criteria = new Set(
        standardIds.flatMap((id) => model.caseLaw.find((c) => c.id === id)?.safeguards ?? []),
      );
      const safeguardGaps = profile.safeguards
        .filter((s) => criteria.has(s.criterion) && s.value !== 'true')
        .map((s) => ({ criterion: s.criterion, value: s.value }));
      const reasons: Reason[] = [
        {
          rule: 'right.engaged',
          text:
            engagedBy.length > 0
              ? `Art. ${article} engaged by ${engagedBy.join(', ')} (severity ${severity}).`
              : `Art. ${article} named by evidence.`,
          sources: [],
        },
        {
          rule: 'right.score',
          text:
            score === null
              ? 'No indicator, safeguard or evidence: undetermined.'
              : `Score ${score} = context ${round3(ctx ?? 0)} x (0.5 + 0.5 x severity ${severity}) x end-user factor ${round3(endUserFactor)}.`,
          sources: [...indicatorRefs, ...relevant.map((x) => evidenceRef(x.e))],
        },
      ];
      for (const g of safeguardGaps) {
        const applying = standards.filter((s) =>
          model.caseLaw.find((c) => c.id === s.id)?.safeguards.includes(g.criterion),
        );
        reasons.push({
          rule: `safeguard.${g.value}`,
          text: `${safeguardLabel(g.criterion)} is ${g.value === 'false' ? 'absent' : 'unknown'} in ${profile.country}; required by ${applying.map((s) => s.citation).join('; ')}.`,
          sources: [
            safeguardRef(
              g.criterion,
              g.value,
              profile.safeguards.find((s) => s.criterion === g.criterion)?.source ?? null,
            ),
            ...applying,
          ],
        });
      }
      return {
        article,
        title: rightTitles.get(article) ?? `Article ${article}`,
        level: levelOf(score, model),
        score01: score,
        engagedBy,
        indicators: indicatorRefs,
        evidence: relevant.map((x) => evidenceRef(x.e)),
        standards,
        safeguardGaps,
        reasons,
      };
    });
  trail.push({
    step: 'rights',
    outcome:
      rights
        .map((r) => `Art. ${r.article}: ${r.level}${r.score01 !== null ? ` (${r.score01})` : ''}`)
        .join('; ') || 'No Charter right engaged by the items in scope',
    reasons: [],
  });

  // ---- criterion 2
  const c2Basis = [legal('reg-2021-821-art15-1-c'), legal('cp-2008-944-c2')];
  const scores = rights.map((r) => r.score01).filter((s): s is number => s !== null);
  const c2Score = rights.length === 0 ? 0 : scores.length > 0 ? Math.max(...scores) : null;
  const decisive = scored.filter(
    (x) =>
      (x.link === 'end_user' || x.link === 'company') &&
      x.e.reliability === 'high' &&
      model.evidence.decisiveTypes.includes(x.e.type) &&
      capabilities.length > 0,
  );
  const competent = scored.filter((x) => model.evidence.competentBodyTypes.includes(x.e.type));
  const specialCaution = competent.length > 0;
  const c2Reasons: Reason[] = [];
  let clearRisk = false;
  if (c2Score !== null && c2Score >= model.thresholds.clearRisk01) {
    clearRisk = true;
    c2Reasons.push({
      rule: 'c2.clear_risk.threshold',
      text: `Highest right score ${c2Score} reaches the clear-risk threshold ${model.thresholds.clearRisk01}.`,
      sources: c2Basis,
    });
  }
  if (decisive.length > 0) {
    clearRisk = true;
    c2Reasons.push({
      rule: 'c2.clear_risk.documented_misuse',
      text: `Documented misuse by a party to this application (${decisive.map((x) => x.e.title).join('; ')}).`,
      sources: [...c2Basis, ...decisive.map((x) => evidenceRef(x.e))],
    });
  }
  if (input.dueDiligence.awareOfMisuse) {
    clearRisk = true;
    c2Reasons.push({
      rule: 'c2.clear_risk.exporter_awareness',
      text: "The exporter's own due diligence found that the items are intended for use in internal repression or serious violations (Art. 5(2) awareness).",
      sources: [
        ...c2Basis,
        legal('reg-2021-821-art5'),
        {
          kind: 'due_diligence',
          id: 'awareOfMisuse',
          label: 'Exporter aware of intended misuse',
          citation: 'dueDiligence.awareOfMisuse',
        },
      ],
    });
  }
  if (specialCaution) {
    c2Reasons.push({
      rule: 'c2.special_caution',
      text: 'Competent UN, EU or Council of Europe bodies have established serious violations: special caution; the clear-risk threshold is lowered to the elevated threshold.',
      sources: [...c2Basis, ...competent.map((x) => evidenceRef(x.e))],
    });
    if (c2Score !== null && c2Score >= model.thresholds.elevated01 && !clearRisk) {
      clearRisk = true;
      c2Reasons.push({
        rule: 'c2.clear_risk.special_caution',
        text: `Score ${c2Score} reaches the elevated threshold ${model.thresholds.elevated01} under special caution.`,
        sources: c2Basis,
      });
    }
  }
  if (rights.length === 0)
    c2Reasons.push({
      rule: 'c2.no_right_engaged',
      text: 'No item in scope has a capability engaging a Charter right.',
      sources: c2Basis,
    });
  if (c2Score === null)
    c2Reasons.push({
      rule: 'c2.undetermined',
      text: 'No indicator, safeguard answer or evidence for the destination: the risk cannot be determined.',
      sources: c2Basis,
    });
  if (!clearRisk && c2Score !== null)
    c2Reasons.push({
      rule: 'c2.no_clear_risk',
      text: `Highest right score ${c2Score} is below the clear-risk threshold ${model.thresholds.clearRisk01}.`,
      sources: c2Basis,
    });
  const criterion2: Criterion2Finding = {
    clearRisk,
    specialCaution,
    level: clearRisk ? 'high' : levelOf(c2Score, model),
    score01: c2Score,
    reasons: c2Reasons,
  };
  trail.push({
    step: 'criterion2',
    outcome: `Clear risk: ${clearRisk ? 'yes' : 'no'}; level ${criterion2.level}`,
    reasons: c2Reasons,
  });

  // ---- criterion 7
  const signals: { signal: DiversionSignal; text: string }[] = [];
  const restricted = new Set(reference.measures.flatMap((m) => m.countries));
  for (const p of input.parties.filter((x) => INTERMEDIARY_ROLES.has(x.role))) {
    if (p.country !== input.destination && p.country !== input.memberState)
      signals.push({
        signal: 'intermediary_in_third_country',
        text: `${p.role} ${p.name} is in ${p.country}, neither the destination nor the licensing Member State.`,
      });
    if (restricted.has(p.country))
      signals.push({
        signal: 'intermediary_country_restricted',
        text: `${p.role} ${p.name} is in ${p.country}, a country under restrictive measures.`,
      });
  }
  for (const p of input.parties.filter((x) => x.role === 'consignee' && x.country !== input.destination)) {
    signals.push({
      signal: 'consignee_outside_destination',
      text: `Consignee ${p.name} is in ${p.country}, not the declared destination ${input.destination}.`,
    });
  }
  for (const p of endUsers.filter((x) => x.country !== input.destination)) {
    signals.push({
      signal: 'ultimate_end_user_elsewhere',
      text: `${p.role} ${p.name} is in ${p.country}, not the declared destination ${input.destination}.`,
    });
  }
  const specific = capabilities.filter((c) => c !== 'network_security_only');
  for (const p of endUsers) {
    const implausible = specific.filter(
      (c) => !(model.capabilities[c]?.plausibleEndUserTypes ?? []).includes(p.type),
    );
    if (implausible.length > 0)
      signals.push({
        signal: 'end_user_type_implausible',
        text: `End user ${p.name} (${p.type}) is not a plausible user of ${implausible.join(', ')}.`,
      });
  }
  if (!input.dueDiligence.endUseStatement)
    signals.push({ signal: 'no_end_use_statement', text: 'No end-use statement.' });
  if (!input.dueDiligence.noReExportUndertaking)
    signals.push({ signal: 'no_re_export_undertaking', text: 'No no-re-export undertaking.' });
  for (const f of input.dueDiligence.redFlags) {
    const key = `red_flag_${f}` as DiversionSignal;
    if (key in model.diversion.signalWeights)
      signals.push({
        signal: key,
        text: `Red flag in the exporter's due diligence: ${f.replace(/_/g, ' ')}.`,
      });
  }
  for (const h of input.screeningHits.filter((x) => x.confirmed && x.listKind !== 'sanctions')) {
    signals.push({
      signal: 'party_on_restricted_list',
      text: `${h.partyName} is a confirmed match on ${h.list} (${h.listKind.replace(/_/g, ' ')}).`,
    });
  }
  const uniqueSignals = [...new Map(signals.map((s) => [`${s.signal}|${s.text}`, s])).values()];
  const perSignal = new Map<DiversionSignal, number>();
  for (const s of uniqueSignals) perSignal.set(s.signal, model.diversion.signalWeights[s.signal] ?? 0);
  const c7Score = round3(1 - [...perSignal.values()].reduce((acc, w) => acc * (1 - w), 1));
  const c7Level: RiskLevel =
    c7Score >= model.thresholds.diversionHigh01
      ? 'high'
      : c7Score >= model.thresholds.diversionElevated01
        ? 'elevated'
        : c7Score >= model.thresholds.diversionModerate01
          ? 'moderate'
          : 'low';
  const c7Basis = [legal('reg-2021-821-art15-1-c'), legal('cp-2008-944-c7')];
  const criterion7: Criterion7Finding = {
    level: c7Level,
    score01: c7Score,
    signals: [...perSignal.keys()].sort(),
    reasons: [
      ...uniqueSignals.map((s) => ({
        rule: `c7.${s.signal}`,
        text: `${s.text} (weight ${model.diversion.signalWeights[s.signal]})`,
        sources: c7Basis,
      })),
      {
        rule: 'c7.score',
        text: `Diversion score ${c7Score} = 1 - product of (1 - weight) over distinct signals; level ${c7Level}.`,
        sources: c7Basis,
      },
    ],
  };
  trail.push({
    step: 'criterion7',
    outcome: `Diversion risk ${c7Level} (${c7Score})`,
    reasons: criterion7.reasons,
  });

  // ---- Art. 5 catch-all
  const art5 = legal('reg-2021-821-art5');
  const elevatedOrWorse = criterion2.level === 'high' || criterion2.level === 'elevated';
  const catchAll: CatchAllFinding[] = input.items.map((item) => {
    const src: SourceRef[] = [
      art5,
      { kind: 'input', id: item.id, label: item.description, citation: `items.${item.id}` },
    ];
    if (item.controlEntries.length > 0)
      return {
        itemId: item.id,
        outcome: 'not_applicable_listed',
        verified: true,
        reasons: [
          {
            rule: 'art5.listed',
            text: `Listed (${item.controlEntries.join(', ')}): Art. 3(1) licence requirement; Art. 5 does not apply.`,
            sources: src,
          },
        ],
      };
    if (!item.cyberSurveillance.underLaw) {
      return item.cyberSurveillance.underPolicy
        ? {
            itemId: item.id,
            outcome: 'policy_scope_only',
            verified: true,
            reasons: [
              {
                rule: 'art5.policy_only',
                text: 'In the policy scope only, not an Art. 2(20) item: Art. 5 does not apply in law.',
                sources: src,
              },
            ],
          }
        : {
            itemId: item.id,
            outcome: 'not_applicable_not_cyber_surveillance',
            verified: true,
            reasons: [
              { rule: 'art5.not_2_20', text: 'Not an Art. 2(20) cyber-surveillance item.', sources: src },
            ],
          };
    }
    if (input.dueDiligence.awareOfMisuse)
      return {
        itemId: item.id,
        outcome: 'notification_required_art5_2',
        verified: true,
        reasons: [
          {
            rule: 'art5.2',
            text: 'The exporter is aware from its due diligence of such an intended use: it must notify the authority (Art. 5(2)), which decides whether to require a licence.',
            sources: src,
          },
        ],
      };
    if (criterion2.clearRisk)
      return {
        itemId: item.id,
        outcome: 'licence_required_art5_1',
        verified: true,
        reasons: [
          {
            rule: 'art5.1',
            text: 'Non-listed cyber-surveillance item with a clear risk of use for internal repression or serious violations: the authority informs the exporter under Art. 5(1); a licence is required.',
            sources: src,
          },
        ],
      };
    if (input.memberStateApplies5_3 && elevatedOrWorse)
      return {
        itemId: item.id,
        outcome: 'licence_required_art5_3',
        verified: true,
        reasons: [
          {
            rule: 'art5.3',
            text: `The Member State applies Art. 5(3) and there are grounds for suspecting such a use (criterion 2 level ${criterion2.level}).`,
            sources: src,
          },
        ],
      };
    return {
      itemId: item.id,
      outcome: 'no_requirement',
      verified: true,
      reasons: [
        {
          rule: 'art5.none',
          text: `No Art. 5 trigger: no clear risk, no exporter awareness${input.memberStateApplies5_3 ? ', no grounds for suspecting' : ', no national Art. 5(3) extension'}.`,
          sources: src,
        },
      ],
    };
  });
  trail.push({
    step: 'catch_all',
    outcome: catchAll.map((c) => `${c.itemId}: ${c.outcome}`).join('; '),
    reasons: catchAll.flatMap((c) => c.reasons),
  });

  // ---- recommendation
  const informationNeeded: { id: string; text: string }[] = [];
  const recReasons: Reason[] = [];
  let recommendation: Assessment['recommendation'];
  if (prohibitions.length > 0) {
    recommendation = 'deny';
    recReasons.push({
      rule: 'rec.prohibition',
      text: `Prohibited: ${prohibitions.map((p) => p.measureId).join(', ')}. Prohibitions override every other finding.`,
      sources: prohibitions.flatMap((p) => p.reasons.flatMap((r) => r.sources)),
    });
  } else if (embargoMilitaryEndUse) {
    recommendation = 'deny';
    recReasons.push(embargoMilitaryEndUse);
  } else if (criterion2.clearRisk) {
    recommendation = 'deny';
    recReasons.push({
      rule: 'rec.c2',
      text: 'Criterion 2: clear risk that the items might be used for internal repression or serious violations of human rights.',
      sources: c2Basis,
    });
  } else if (criterion7.level === 'high') {
    recommendation = 'deny';
    recReasons.push({
      rule: 'rec.c7',
      text: 'Criterion 7: high risk of diversion or re-export under undesirable conditions.',
      sources: c7Basis,
    });
  } else {
    if (endUsers.length === 0)
      informationNeeded.push({
        id: 'end_user_identity',
        text: 'Name the end user (party with role end_user or ultimate_end_user), its type and country.',
      });
    if (input.licenceType === 'individual' && !input.dueDiligence.endUseStatement)
      informationNeeded.push({
        id: 'end_use_statement',
        text: 'Provide the end-use statement required for individual authorisations (Art. 12(4)).',
      });
    for (const h of input.screeningHits.filter(
      (x) => !x.confirmed && x.score01 >= model.thresholds.unconfirmedHitScore01,
    )) {
      informationNeeded.push({
        id: `screening_hit:${h.partyName}`,
        text: `Resolve the possible match of ${h.partyName} on ${h.list} (score ${h.score01}).`,
      });
    }
    for (const d of input.priorDenials.filter((x) => x.inForce && x.essentiallyIdentical)) {
      informationNeeded.push({
        id: `art16_consultation:${d.memberState}:${d.reference}`,
        text: `Consult ${d.memberState} on its denial ${d.reference} of ${d.date} for an essentially identical transaction (Art. 16).`,
      });
      legal('reg-2021-821-art16');
    }
    if (input.dueDiligence.completeness01 < model.thresholds.minDueDiligence01) {
      informationNeeded.push({
        id: 'due_diligence',
        text: `Complete the due-diligence record (completeness ${input.dueDiligence.completeness01} below ${model.thresholds.minDueDiligence01}): classification, misuse review, stakeholder screening, mitigation, notification decision (Rec. (EU) 2024/2659).`,
      });
    }
    if (
      rights.length > 0 &&
      (c2Score === null ||
        (indicatorCoverage < model.thresholds.minIndicatorCoverage01 &&
          scored.length === 0 &&
          knownSafeguards.length === 0))
    ) {
      informationNeeded.push({
        id: 'country_information',
        text: `Country information is insufficient for ${input.destination}: unknown ${unknowns.filter((u) => u.startsWith('indicator')).join('; ') || 'safeguards'}; provide evidence or complete the safeguards checklist.`,
      });
    }
    if (informationNeeded.length > 0) {
      recommendation = 'needs_information';
      recReasons.push({
        rule: 'rec.needs_information',
        text: `Information needed before a decision: ${informationNeeded.map((i) => i.id).join(', ')}.`,
        sources: [],
      });
    } else if (
      criterion2.level === 'elevated' ||
      criterion2.level === 'moderate' ||
      criterion7.level === 'elevated' ||
      criterion7.level === 'moderate'
    ) {
      recommendation = 'approve_with_conditions';
      recReasons.push({
        rule: 'rec.conditions',
        text: `No clear risk and no high diversion risk, but criterion 2 is ${criterion2.level} and criterion 7 is ${criterion7.level}: approve with mitigating conditions.`,
        sources: [...c2Basis, legal('rec-2024-2659')],
      });
    } else {
      recommendation = 'approve';
      recReasons.push({
        rule: 'rec.approve',
        text: `Criterion 2 ${criterion2.level}, criterion 7 ${criterion7.level}: no ground for refusal found.`,
        sources: c2Basis,
      });
    }
  }
  const licenceOutcomes = new Set([
    'not_applicable_listed',
    'licence_required_art5_1',
    'licence_required_art5_3',
    'notification_required_art5_2',
  ]);
  if (!catchAll.some((c) => licenceOutcomes.has(c.outcome)) && prohibitions.length === 0) {
    recReasons.push({
      rule: 'rec.no_licence_required',
      text: 'No item is listed and no Art. 5 requirement arises: no licence is required under Reg. (EU) 2021/821 (national measures under Art. 9 aside); the assessment is advisory.',
      sources: [art5],
    });
  }

  const conditions: ConditionRef[] = [];
  if (recommendation === 'approve_with_conditions') {
    const maxSeverity = Math.max(0, ...capabilities.map((c) => model.capabilities[c]?.severity01 ?? 0));
    const c2AtLeastModerate = criterion2.level !== 'low' && criterion2.level !== 'undetermined';
    const want = (id: string, because: string[]): void => {
      const c = model.conditions.find((x) => x.id === id);
      if (c && because.length > 0) conditions.push({ ...c, because });
    };
    want('end_use_undertaking', ['standard mitigation for any conditional approval']);
    want('no_re_export', [
      ...(criterion7.level !== 'low' ? [`criterion 7 ${criterion7.level}`] : []),
      ...(input.parties.some((p) => INTERMEDIARY_ROLES.has(p.role)) ? ['intermediaries in the chain'] : []),
    ]);
    want('post_shipment_verification', [
      ...(criterion2.level === 'elevated' ? ['criterion 2 elevated'] : []),
      ...(criterion7.level === 'elevated' ? ['criterion 7 elevated'] : []),
    ]);
    want(
      'technical_limits_targeted',
      c2AtLeastModerate
        ? capabilities.filter((c) => TARGETED_LIMIT_CAPABILITIES.has(c)).map((c) => `capability ${c}`)
        : [],
    );
    want('audit_logging', maxSeverity >= 0.7 ? [`item severity ${maxSeverity}`] : []);
    want('human_rights_training', c2AtLeastModerate ? [`criterion 2 ${criterion2.level}`] : []);
    want('suspension_clause', c2AtLeastModerate ? [`criterion 2 ${criterion2.level}`] : []);
    want('licence_use_reporting', input.licenceType === 'global' ? ['global licence'] : []);
    recReasons.push({
      rule: 'rec.conditions.selected',
      text: `Conditions: ${conditions.map((c) => c.id).join(', ')}.`,
      sources: [legal('rec-2024-2659')],
    });
  }

  // ---- confidence
  const ddFactor = 0.7 + 0.3 * input.dueDiligence.completeness01;
  let confidence01 =
    (0.5 + 0.5 * indicatorCoverage) *
    (0.85 + 0.15 * safeguardCoverage) *
    ddFactor *
    (endUserRisk === null ? 0.8 : 1);
  const confReasons: string[] = [
    `indicator coverage ${round3(indicatorCoverage)}`,
    `safeguards known ${knownSafeguards.length}/14`,
    `due diligence ${input.dueDiligence.completeness01}`,
  ];
  if (prohibitions.length > 0) {
    confidence01 = prohibitions.every((p) => p.verified) ? 0.95 : 0.8;
    confReasons.push(
      prohibitions.every((p) => p.verified)
        ? 'prohibition rules verified'
        : 'prohibition rules not yet verified against the official text',
    );
  } else if (decisive.length > 0) {
    confidence01 = Math.max(confidence01, 0.75);
    confReasons.push('decisive documented misuse');
  }
  confidence01 = round3(Math.min(1, confidence01));
  const confidence =
    confidence01 >= model.thresholds.confidenceHigh01
      ? 'high'
      : confidence01 >= model.thresholds.confidenceMedium01
        ? 'medium'
        : 'low';
  recReasons.push({
    rule: 'rec.confidence',
    text: `Confidence ${confidence01} (${confidence}): ${confReasons.join(', ')}${unknowns.length > 0 ? `; ${unknowns.length} unknown(s) named` : ''}.`,
    sources: [],
  });
  trail.push({ step: 'recommendation', outcome: recommendation, reasons: recReasons });

  return {
    applicationId: input.applicationId,
    modelVersion: model.version,
    referenceVersion: reference.version,
    inputHash: hashCanonical({ input, modelVersion: model.version, referenceVersion: reference.version }),
    profile: input.profile,
    destination: input.destination,
    recommendation,
    confidence01,
    confidence,
    prohibitions,
    rights,
    criterion2,
    criterion7,
    catchAll,
    conditions,
    informationNeeded,
    unknowns,
    unverifiedRules: [...unverified].sort(),
    trail,
    inputSnapshot: input,
  };
}

/** Risk in [0,1] of one indicator value under its rule, or null when the value cannot be read. */
export function normaliseIndicator(
  value: number | string | boolean,
  rule: AssessmentModel['indicators'][IndicatorKey],
): number | null {
  switch (rule.kind) {
    case 'fiw_status':
      return value === 'NF' ? 1 : value === 'PF' ? 0.5 : value === 'F' ? 0 : null;
    case 'inverse100':
      return typeof value === 'number' ? clamp01(1 - value / 100) : null;
    case 'inverse01':
      return typeof value === 'number' ? clamp01(1 - value) : null;
    case 'pts15':
      return typeof value === 'number' ? clamp01((value - 1) / 4) : null;
    case 'count_saturating':
      return typeof value === 'number' ? clamp01(value / (rule.saturateAt ?? 10)) : null;
    case 'boolean':
      return typeof value === 'boolean' ? (value ? (rule.trueRisk01 ?? 1) : 0) : null;
  }
}

const clamp01 = (x: number): number => Math.max(0, Math.min(1, x));

function levelOf(score: number | null, model: AssessmentModel): RiskLevel {
  if (score === null) return 'undetermined';
  const t = model.thresholds;
  return score >= t.clearRisk01
    ? 'high'
    : score >= t.elevated01
      ? 'elevated'
      : score >= t.moderate01
        ? 'moderate'
        : 'low';
}

const fmt = (x: number | null): string => (x === null ? 'unknown' : String(round3(x)));

function safeguardLabel(id: string): string {
  const c = SAFEGUARD_CRITERIA.find((x) => x.id === id);
  return c ? `D.3 safeguard ${c.n} (${c.text})` : id;
}

function safeguardRef(id: string, value: string, source: string | null): SourceRef {
  return {
    kind: 'safeguard',
    id,
    label: `${safeguardLabel(id)}: ${value}`,
    citation: source ?? 'no source recorded',
  };
}

/** Lower case, accents and punctuation removed, legal-form words kept: for matching evidence to parties. */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** True when two normalised names are equal or the shorter (6+ characters) is a whole-word part of the longer. */
export function namesMatch(a: string, b: string): boolean {
  if (a.length === 0 || b.length === 0) return false;
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.length >= 6 && ` ${long} `.includes(` ${short} `);
}
