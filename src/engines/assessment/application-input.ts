/**
 * Build the assessment input from a stored licence application: items from their classification (control entries,
 * Art. 2(20) determination) and technical-profile facts (mapped to item capabilities), parties with their roles,
 * and what the officer supplies (due diligence, screening hits, prior denials). Pure; the caller reads the rows.
 */
import type { AssessmentInputDraft, ItemCapability } from '../../domain/assessment.ts';
import type { LicenceType, PartyRole, PartyType } from '../../domain/model.ts';

/** Technical-profile facts (classification vocabulary) that show an item capability (assessment vocabulary). */
export const FACT_CAPABILITIES: Readonly<Record<string, readonly ItemCapability[]>> = {
  extractsContent: ['interception_content'],
  receivesViaHandoverInterface: ['lawful_interception_handover'],
  designedForLawEnforcementMonitoring: ['lawful_interception_handover'],
  operatesOnCarrierClassIpNetwork: ['ip_network_monitoring'],
  analysesApplicationLayer: ['deep_packet_inspection'],
  searchesByHardSelectors: ['hard_selector_search'],
  mapsRelationalNetwork: ['relational_mapping'],
  indexesExtractedData: ['data_retention'],
  tracksMovementOrLocation: ['location_tracking'],
  tracksLocationViaSignallingNetwork: ['location_tracking', 'ss7_signalling_exploitation'],
  extractsIdentifiersOverAirInterface: ['imsi_catcher'],
  simulatesRadioAccessNetwork: ['imsi_catcher'],
  extractsVoiceOrDataOverAirInterface: ['interception_content'],
  interceptsWirelessCommunications: ['interception_content'],
  generatesIntrusionSoftware: ['intrusion_software'],
  commandsAndControlsIntrusionSoftware: ['intrusion_software'],
  deliversIntrusionSoftware: ['intrusion_software'],
  extractsOrModifiesDeviceData: ['intrusion_software'],
  extractsRawData: ['mobile_device_forensics'],
  circumventsAuthentication: ['mobile_device_forensics'],
  performsBiometricIdentification: ['facial_recognition'],
  operatesCovertly: ['covert_operation'],
};

export interface StoredApplicationForAssessment {
  reference: string;
  licenceType: LicenceType;
  destinationCountry: string;
  intendedEndUse: string;
  lines: {
    lineNo: number;
    itemName: string;
    itemDescription: string;
    technicalProfile: Record<string, unknown>;
    /** The line's classification at submission, else the item's last one; null when never classified. */
    classification: Record<string, unknown> | null;
  }[];
  parties: { id: string; name: string; type: PartyType; role: PartyRole; country: string }[];
}

/** What the officer adds: facts the application rows do not hold. */
export interface AssessmentSupplement {
  profile?: 'legal' | 'broad';
  memberState: string;
  memberStateApplies5_3?: boolean;
  dueDiligence?: AssessmentInputDraft['dueDiligence'];
  screeningHits?: AssessmentInputDraft['screeningHits'];
  priorDenials?: AssessmentInputDraft['priorDenials'];
  /** Extra capabilities per line number, when the technical profile is incomplete. */
  capabilities?: Record<string, ItemCapability[]>;
}

/** Capabilities shown by `true` facts of a technical profile, in vocabulary order (deterministic). */
export function deriveItemCapabilities(technicalProfile: Record<string, unknown>): ItemCapability[] {
  const facts = (technicalProfile.facts ?? {}) as Record<string, unknown>;
  const found = new Set<ItemCapability>();
  for (const [fact, caps] of Object.entries(FACT_CAPABILITIES))
    if (facts[fact] === true) for (const c of caps) found.add(c);
  return [...found].sort();
}

/**
 * The engine's input for a stored application. Missing due diligence is entered as nothing documented (no end-use
 * statement, completeness 0), so the engine names it as information needed rather than assuming it.
 *
 * @example
 * buildApplicationAssessmentInput(app, { memberState: 'DE' }).items[0].capabilities; // ['imsi_catcher', ...]
 */
export function buildApplicationAssessmentInput(
  app: StoredApplicationForAssessment,
  supplement: AssessmentSupplement,
): AssessmentInputDraft {
  return {
    applicationId: app.reference,
    profile: supplement.profile ?? 'legal',
    licenceType: app.licenceType,
    memberState: supplement.memberState,
    memberStateApplies5_3: supplement.memberStateApplies5_3 ?? false,
    destination: app.destinationCountry,
    intendedEndUse: app.intendedEndUse.trim() || '(not stated)',
    items: app.lines.map((l) => {
      const c = l.classification ?? {};
      const entries = Array.isArray(c.matchedEntries) ? (c.matchedEntries as string[]) : [];
      const flags = Array.isArray(c.profileFlags) ? (c.profileFlags as string[]) : [];
      const caps = new Set([
        ...deriveItemCapabilities(l.technicalProfile),
        ...(supplement.capabilities?.[String(l.lineNo)] ?? []),
      ]);
      return {
        id: `line-${l.lineNo}`,
        description: [l.itemName, l.itemDescription].filter(Boolean).join(': '),
        controlEntries: entries,
        cyberSurveillance: {
          underLaw: c.cyberSurveillance === true,
          underPolicy: c.cyberSurveillance === true || flags.length > 0,
        },
        capabilities: [...caps].sort(),
      };
    }),
    parties: app.parties.map((p) => ({
      id: p.id,
      name: p.name,
      type: p.type,
      role: p.role,
      country: p.country,
    })),
    screeningHits: supplement.screeningHits ?? [],
    priorDenials: supplement.priorDenials ?? [],
    dueDiligence: supplement.dueDiligence ?? { completeness01: 0, endUseStatement: false },
  };
}
