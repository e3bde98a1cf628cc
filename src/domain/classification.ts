/** Classification vocabulary: Annex I control-list entries and definitions, and the item technical profile (issue 3). */
import { z } from 'zod';
import { invalid } from './errors.ts';
import { ITEM_FORMS } from './model.ts';

/** One node of Annex I: a top-level entry such as `5A001` or a sub-item such as `5A001.f.2`. */
export interface ControlListEntry {
  /** Full code with dots between levels, e.g. `5A001.f.2`. */
  code: string;
  /** Code of the parent node, or null for a top-level entry. */
  parent: string | null;
  /** Annex I category, '0'..'9'. */
  category: string;
  /** The entry's own text (without the text of its sub-items). */
  text: string;
  /** Notes and N.B.s attached to this node, in order. */
  notes: string[];
  /** Technical Notes attached to this node, in order. */
  technicalNotes: string[];
  /** Defined terms ("double-quoted" in the text) that this node's text or notes use and that the Definitions define. */
  definitionsUsed: string[];
  /** Version label of the list this entry was read from. */
  listVersion: string;
}

/** One term of the Annex I "Definitions of terms used in this Annex". */
export interface ControlListDefinition {
  term: string;
  /** Category references given in brackets after the term, e.g. ['4', '5'] or ['GTN', 'NTN']. */
  categories: string[];
  text: string;
  notes: string[];
}

export interface ControlList {
  listVersion: string;
  entries: ControlListEntry[];
  definitions: ControlListDefinition[];
}

// ---------------------------------------------------------------------------------------------------------------
// The item technical profile: what an exporter states about an item, fact by fact (issue 3).
// ---------------------------------------------------------------------------------------------------------------

/** A fact is true, false or not known. Unknown is never guessed: it becomes a question to the exporter. */
export const FACT_VALUES = ['true', 'false', 'unknown'] as const;
export type FactValue = boolean | 'unknown';

/**
 * Every capability fact a rule may use, with the question put to the exporter when it is unknown.
 * Grouped by the control-list text that needs it; the rules in policy/classification cite the exact source.
 */
export const FACTS = {
  // 5A001.f: mobile telecommunications interception or jamming
  extractsVoiceOrDataOverAirInterface:
    'Is the item designed to extract voice or data transmitted over the mobile air interface?',
  extractsIdentifiersOverAirInterface:
    'Is the item designed to extract subscriber or device identifiers (IMSI, TIMSI, IMEI), signalling or other metadata transmitted over the mobile air interface?',
  jamsMobileServicesSelectively:
    'Is the item specially designed or modified to intentionally and selectively interfere with, deny, inhibit, degrade or seduce mobile telecommunication services?',
  simulatesRadioAccessNetwork:
    'Does the item simulate the functions of Radio Access Network equipment (a fake base station)?',
  exploitsMobileProtocol:
    'Does the item exploit (or detect and exploit) specific characteristics of the mobile protocol, e.g. GSM?',
  detectsMobileInterceptionOrJamming:
    'Is the item RF monitoring equipment designed or modified to identify the operation of mobile interception or jamming equipment?',
  designedForAnaloguePmrOrWlanInterception:
    'Is the item specially designed for the interception of analogue Private Mobile Radio or IEEE 802.11 WLAN only?',
  designedForMobileNetworkOperators:
    'Is the item designed for mobile telecommunications network operators (for use in their own network)?',
  designedForDevelopmentOrProduction:
    'Is the item designed for the development or production of telecommunications or computing equipment (test and production gear)?',
  // 5A001.j: IP network communications surveillance
  operatesOnCarrierClassIpNetwork:
    'Does the item operate on a carrier-class IP network (e.g. a national-grade IP backbone)?',
  analysesApplicationLayer: 'Does the item analyse traffic at the application layer (OSI layer 7)?',
  extractsMetadata: 'Does the item extract selected metadata of communications?',
  extractsContent: 'Does the item extract application content (voice, video, messages, attachments)?',
  indexesExtractedData: 'Does the item index the data it extracts?',
  searchesByHardSelectors:
    'Is the item specially designed to search on "hard selectors" (data related to an individual: name, e-mail, street address, phone number, group affiliations)?',
  mapsRelationalNetwork:
    'Is the item specially designed to map the relational network of an individual or a group of people?',
  designedForMarketing: 'Is the item specially designed for marketing purposes?',
  designedForNetworkQos: 'Is the item specially designed for network Quality of Service (QoS)?',
  designedForQoe: 'Is the item specially designed for Quality of Experience (QoE)?',
  // 5D001.e: monitoring centres
  designedForLawEnforcementMonitoring:
    'Is the item specially designed or modified for monitoring or analysis for law-enforcement purposes?',
  receivesViaHandoverInterface:
    'Does the item search content or metadata acquired from a communications service provider through a handover interface (ETSI TS 101 671, 3GPP TS 33.108 or national equivalent)?',
  tracksMovementOrLocation: 'Does the item track the movement or location of targeted individuals?',
  designedForBilling: 'Is the item specially designed for billing?',
  isMediationDevice:
    'Is the item a mediation device (it sits at the provider and delivers intercepted results to the authority)?',
  designedForMobilePaymentOrBanking: 'Is the item specially designed for mobile payment or banking use?',
  // "Intrusion software" and 4A005 / 4D004 / 4E001.c
  evadesMonitoringTools:
    'Is the software (or the implant the item generates, controls or delivers) specially designed or modified to avoid detection by monitoring tools (antivirus, endpoint security, IDS/IPS, firewalls)?',
  defeatsProtectiveCountermeasures:
    'Is it specially designed or modified to defeat protective countermeasures (DEP, ASLR, sandboxing) of a computer or network-capable device?',
  extractsOrModifiesDeviceData:
    'Does it extract data or information from the device, or modify system or user data?',
  altersExecutionPath:
    'Does it modify the standard execution path of a program or process so that externally provided instructions run?',
  isHypervisorDebuggerOrReverseEngineeringTool:
    'Is the item a hypervisor, debugger or software reverse-engineering tool?',
  isDebuggerOrHypervisor: 'Is the item a debugger or a hypervisor?',
  isDigitalRightsManagement: 'Is the item Digital Rights Management software?',
  installedByOwnerForAssetTrackingOrRecovery:
    'Is the software designed to be installed by manufacturers, administrators or users for asset tracking or recovery?',
  generatesIntrusionSoftware:
    'Is the item specially designed or modified to generate intrusion software (e.g. build implants or exploits)?',
  commandsAndControlsIntrusionSoftware:
    'Is the item specially designed or modified for command and control of intrusion software?',
  deliversIntrusionSoftware:
    'Is the item specially designed or modified to deliver intrusion software (e.g. exploit delivery, network injection)?',
  limitedToAuthorisedUpdates:
    'Is the software specially designed and limited to providing updates or upgrades that run only with the authorisation of the owner or administrator, leaving software that is neither 4D004 software nor intrusion software?',
  technologyForDevelopment: 'Is the technology for the "development" of the item it describes?',
  technologyForProductionOrUse:
    'Is the technology for the "production" or "use" (other than mere operation) of the item it describes?',
  isVulnerabilityDisclosure:
    'Is the transfer a vulnerability disclosure: reporting or analysing a vulnerability with those responsible for its remediation?',
  isCyberIncidentResponse:
    'Is the transfer cyber incident response: sharing incident information with those responsible for remediation?',
  // 5A004.b: forensic tools
  extractsRawData:
    'Does the item extract raw data (binary data read from RAM, flash or disk without interpretation by the OS or file system)?',
  circumventsAuthentication:
    'Does the item circumvent the authentication or authorisation controls of the device to extract data?',
  limitedToLogicalExtraction: 'Is the item limited to logical data extraction?',
  usesChipOffOrJtag: 'Does the item extract data only by chip-off or JTAG?',
  limitedToJailbreakOrRooting: 'Is the item specially designed and limited to jail-breaking or rooting?',
  // Art. 2(20): cyber-surveillance items
  isDualUseItem: 'Can the item be used for both civil and military purposes (a dual-use item, Art. 2(1))?',
  speciallyDesignedForSurveillance:
    'Is the item specially designed to enable surveillance of natural persons?',
  operatesCovertly:
    'Is the surveillance covert: does the item work without the knowledge of the persons monitored?',
  targetsNaturalPersons:
    'Is the item aimed at natural persons (individuals), as opposed to machines, networks or goods?',
  monitorsExtractsCollectsOrAnalysesData: 'Does the item monitor, extract, collect or analyse data?',
  actsOnInformationOrTelecomSystems:
    'Does the item take that data from information or telecommunication systems?',
  // Broad reading (policy, not law)
  performsBiometricIdentification:
    'Does the item identify (not only verify) natural persons from biometric data?',
  identifiesRemotelyOrInRealTime:
    'Does the item identify persons remotely or in real time (e.g. from CCTV or audio streams)?',
  tracksLocationViaSignallingNetwork:
    'Does the item locate or track subscribers through signalling networks (SS7, Diameter, GTP)?',
  interceptsWirelessCommunications:
    'Does the item intercept wireless communications of any kind (mobile, PMR, WLAN, satellite)?',
  jamsOrDisruptsWirelessServices:
    'Does the item jam or disrupt wireless or mobile services, selectively or not?',
} as const satisfies Record<string, string>;

export type FactKey = keyof typeof FACTS;
export const FACT_KEYS = Object.keys(FACTS) as FactKey[];

export const BIOMETRIC_MODALITIES = [
  'none',
  'face',
  'voice',
  'fingerprint',
  'iris',
  'gait',
  'other',
  'unknown',
] as const;
export type BiometricModality = (typeof BIOMETRIC_MODALITIES)[number];

const factValueSchema = z.union([z.boolean(), z.literal('unknown')], {
  error: 'expected true, false or "unknown"',
});

/** Item technical profile: strict, so an unknown fact or a wrong type is refused naming the field. */
export const itemTechnicalProfileSchema = z
  .object({
    name: z.string().min(1).max(300).optional(),
    itemForm: z.enum(ITEM_FORMS),
    description: z.string().max(20_000).default(''),
    biometricModality: z.enum(BIOMETRIC_MODALITIES).default('unknown'),
    facts: z
      .object(
        Object.fromEntries(
          FACT_KEYS.map((k) => [k, factValueSchema.optional().describe(FACTS[k])]),
        ) as Record<FactKey, z.ZodOptional<typeof factValueSchema>>,
      )
      .strict(),
  })
  .strict();

export type ItemTechnicalProfileInput = z.input<typeof itemTechnicalProfileSchema>;
/** A parsed profile. A fact left out is 'unknown'. */
export type ItemTechnicalProfile = z.output<typeof itemTechnicalProfileSchema>;

/** Parses a technical profile; throws DomainError INVALID with one issue per bad field (e.g. `facts.jamsMobile`). */
export function parseItemTechnicalProfile(input: unknown): ItemTechnicalProfile {
  const r = itemTechnicalProfileSchema.safeParse(input);
  if (r.success) return r.data;
  const issues = r.error.issues.flatMap((i) => {
    const base = i.path.join('.');
    if (i.code === 'unrecognized_keys')
      return i.keys.map((k) => ({ path: base ? `${base}.${k}` : k, message: 'unknown field' }));
    return [{ path: base, message: i.message }];
  });
  throw invalid(
    `Invalid item technical profile: ${issues.map((i) => `${i.path} (${i.message})`).join('; ')}`,
    issues,
  );
}

/** The value of a fact in a profile: a fact left out is 'unknown'. */
export function readFact(profile: ItemTechnicalProfile, key: FactKey): FactValue {
  return profile.facts[key] ?? 'unknown';
}

/** JSON Schema (draft 2020-12) of the item technical profile, for exporters' tools and the API documentation. */
export function buildItemTechnicalProfileJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(itemTechnicalProfileSchema, { io: 'input' }) as Record<string, unknown>;
}
