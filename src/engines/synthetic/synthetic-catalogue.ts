/**
 * The vocabularies the synthetic data generator draws from: exporter names and countries, destinations with
 * their weights, item templates with capability facts, party names, currencies. Generation parameters only:
 * nothing here is a policy, an assessment or a statement about a real country or company.
 */
import type { BiometricModality, FactKey } from '../../domain/classification.ts';
import type { ItemForm, PartyType, QuantityUnit } from '../../domain/model.ts';
import type { Weighted } from './prng.ts';

/** The marker appended to every generated organisation, item and party name. */
export const SYNTHETIC_NAME_SUFFIX = ' (synthetic)';
/** The prefix of every generated application reference (`SYN-<year>-<6 digits>`) and licence number. */
export const SYNTHETIC_REFERENCE_PREFIX = 'SYN';

/** EU Member States where synthetic exporters are registered, weighted roughly by the size of their industry. */
export const EXPORTER_COUNTRIES: readonly Weighted<string>[] = [
  ['DE', 20],
  ['FR', 12],
  ['IT', 10],
  ['NL', 8],
  ['SE', 6],
  ['FI', 5],
  ['ES', 5],
  ['BE', 4],
  ['AT', 4],
  ['DK', 3],
  ['PL', 3],
  ['IE', 3],
  ['CZ', 3],
  ['CY', 2],
  ['GR', 2],
  ['BG', 1],
  ['EE', 1],
  ['LT', 1],
  ['LV', 1],
  ['LU', 1],
  ['HU', 1],
  ['PT', 1],
  ['RO', 1],
  ['SK', 1],
  ['SI', 1],
  ['HR', 1],
  ['MT', 1],
];

/** Company legal forms by Member State (used only to make names look plausible). */
export const LEGAL_FORMS: Readonly<Record<string, readonly string[]>> = {
  DE: ['GmbH', 'AG'],
  AT: ['GmbH'],
  FR: ['SAS', 'SARL'],
  IT: ['S.r.l.', 'S.p.A.'],
  NL: ['B.V.'],
  BE: ['BV', 'SA'],
  SE: ['AB'],
  FI: ['Oy'],
  DK: ['A/S', 'ApS'],
  ES: ['S.L.', 'S.A.'],
  PL: ['sp. z o.o.'],
  IE: ['Ltd'],
  CZ: ['s.r.o.'],
  SK: ['s.r.o.'],
  CY: ['Ltd'],
  MT: ['Ltd'],
  GR: ['S.A.'],
  BG: ['EOOD'],
  EE: ['OÜ'],
  LT: ['UAB'],
  LV: ['SIA'],
  LU: ['S.à r.l.'],
  HU: ['Kft.'],
  PT: ['Lda'],
  RO: ['S.R.L.'],
  SI: ['d.o.o.'],
  HR: ['d.o.o.'],
};

/** Invented name stems for exporters and products. */
export const NAME_STEMS: readonly string[] = [
  'Nordlicht',
  'Aurelion',
  'Brightwave',
  'Corvanta',
  'Deltrix',
  'Elvaro',
  'Ferrowind',
  'Glimmerholt',
  'Halcyra',
  'Isotrel',
  'Jadeport',
  'Kestralis',
  'Lumivex',
  'Marevane',
  'Nexolari',
  'Orbisante',
  'Pellucid',
  'Quintara',
  'Rivenmark',
  'Silvarna',
  'Tessaline',
  'Umbrivo',
  'Valtiqa',
  'Wintermere',
  'Xantheon',
  'Ysolde',
  'Zephyrine',
  'Arctavia',
  'Borealis Nova',
  'Cindrelux',
  'Dunmarrow',
  'Estovane',
  'Fjordane',
  'Grauwelt',
  'Heliaq',
  'Ivorant',
  'Kaltmark',
  'Lodestar Vale',
  'Mistralon',
  'Noctiva',
  'Ostraven',
  'Pyrelle',
  'Ravelin',
  'Sternwald',
  'Tidewell',
];

export const EXPORTER_SECTOR_WORDS: readonly string[] = [
  'Systems',
  'Networks',
  'Technologies',
  'Communications',
  'Security',
  'Signal',
  'Data',
  'Telematics',
  'Secure',
  'Analytics',
  'Photonics',
  'Labs',
];

/** A destination: an ISO 3166 code, a city for addresses, a weight, and how often its cases are refused. */
export interface Destination {
  code: string;
  city: string;
  weight: number;
  /** Generation parameter only: shapes the share of denials and conditions. Not an assessment. */
  scrutiny: 'standard' | 'elevated' | 'high' | 'embargoed';
  /** Listed in Annex II Part A of Reg. (EU) 2021/821 (EU001 general export authorisation). */
  eu001: boolean;
  /** Local currency used on some contracts, when it has a rate in `EUR_RATES`. */
  currency: string;
  /** A hub where intermediaries and brokers are often registered. */
  hub?: boolean;
}

const d = (
  code: string,
  city: string,
  weight: number,
  scrutiny: Destination['scrutiny'],
  currency: string,
  extra: { eu001?: boolean; hub?: boolean } = {},
): Destination => ({
  code,
  city,
  weight,
  scrutiny,
  currency,
  eu001: extra.eu001 ?? false,
  ...(extra.hub ? { hub: true } : {}),
});

/** Export markets outside the EU, weighted towards large markets, with high-risk and embargoed destinations. */
export const DESTINATIONS: readonly Destination[] = [
  d('US', 'Washington', 14, 'standard', 'USD', { eu001: true }),
  d('GB', 'London', 8, 'standard', 'GBP', { eu001: true }),
  d('CH', 'Zurich', 5, 'standard', 'CHF', { eu001: true, hub: true }),
  d('NO', 'Oslo', 3, 'standard', 'NOK', { eu001: true }),
  d('JP', 'Tokyo', 3, 'standard', 'JPY', { eu001: true }),
  d('CA', 'Ottawa', 3, 'standard', 'CAD', { eu001: true }),
  d('AU', 'Canberra', 3, 'standard', 'AUD', { eu001: true }),
  d('KR', 'Seoul', 3, 'standard', 'KRW'),
  d('SG', 'Singapore', 4, 'elevated', 'SGD', { hub: true }),
  d('IL', 'Tel Aviv', 2, 'elevated', 'USD'),
  d('IN', 'New Delhi', 4, 'elevated', 'INR'),
  d('BR', 'Brasília', 3, 'elevated', 'BRL'),
  d('MX', 'Mexico City', 2, 'elevated', 'USD'),
  d('ZA', 'Pretoria', 2, 'elevated', 'ZAR'),
  d('TR', 'Ankara', 4, 'high', 'TRY', { hub: true }),
  d('AE', 'Abu Dhabi', 5, 'high', 'AED', { hub: true }),
  d('SA', 'Riyadh', 4, 'high', 'SAR'),
  d('QA', 'Doha', 2, 'high', 'USD'),
  d('BH', 'Manama', 1, 'high', 'USD'),
  d('OM', 'Muscat', 1, 'elevated', 'USD'),
  d('EG', 'Cairo', 3, 'high', 'USD'),
  d('MA', 'Rabat', 2, 'elevated', 'EUR'),
  d('DZ', 'Algiers', 1, 'high', 'EUR'),
  d('TN', 'Tunis', 1, 'elevated', 'EUR'),
  d('JO', 'Amman', 1, 'elevated', 'USD'),
  d('KZ', 'Astana', 2, 'high', 'USD'),
  d('UZ', 'Tashkent', 1, 'high', 'USD'),
  d('AZ', 'Baku', 1, 'high', 'USD'),
  d('ID', 'Jakarta', 2, 'elevated', 'USD'),
  d('MY', 'Kuala Lumpur', 2, 'elevated', 'USD'),
  d('TH', 'Bangkok', 2, 'elevated', 'USD'),
  d('VN', 'Hanoi', 2, 'high', 'USD'),
  d('PH', 'Manila', 1, 'elevated', 'USD'),
  d('CN', 'Beijing', 4, 'high', 'CNY'),
  d('HK', 'Hong Kong', 1, 'high', 'USD', { hub: true }),
  d('NG', 'Abuja', 1, 'elevated', 'USD'),
  d('KE', 'Nairobi', 1, 'elevated', 'USD'),
  d('ET', 'Addis Ababa', 1, 'high', 'USD'),
  d('RW', 'Kigali', 0.5, 'high', 'USD'),
  d('UG', 'Kampala', 0.5, 'high', 'USD'),
  d('CO', 'Bogotá', 1, 'elevated', 'USD'),
  d('PK', 'Islamabad', 1, 'high', 'USD'),
  d('BD', 'Dhaka', 1, 'high', 'USD'),
  d('RS', 'Belgrade', 1, 'elevated', 'EUR'),
  d('UA', 'Kyiv', 1, 'elevated', 'EUR'),
  d('RU', 'Moscow', 0.4, 'embargoed', 'EUR'),
  d('BY', 'Minsk', 0.2, 'embargoed', 'EUR'),
];

/**
 * Units of currency per 1 EUR: approximate ECB euro foreign exchange reference rates, 2024 annual averages
 * (https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/); AED and SAR from
 * their USD pegs. Good enough for synthetic values; not for real conversions.
 */
export const EUR_RATES: Readonly<Record<string, number>> = {
  EUR: 1,
  USD: 1.0824,
  GBP: 0.8466,
  CHF: 0.9526,
  NOK: 11.629,
  JPY: 163.85,
  CAD: 1.4821,
  AUD: 1.6397,
  KRW: 1475.4,
  SGD: 1.4458,
  INR: 90.56,
  BRL: 5.8283,
  ZAR: 19.83,
  TRY: 35.57,
  AED: 3.975,
  SAR: 4.059,
  CNY: 7.787,
};

/**
 * Capability facts are those of the classification engine's item technical profile (FACTS in
 * src/domain/classification.ts), so a generated item can be classified as stored.
 */
export type { FactKey } from '../../domain/classification.ts';
export type FactValue = boolean | 'unknown';

/**
 * A fact's generation rule: a fixed boolean, 'unknown' (the exporter typically leaves it open), or the probability
 * of `true` (such facts are recorded as 'unknown' 15% of the time, as an exporter's first description often leaves
 * them open). A fact the template does not name is false: the product plainly does not do that.
 */
export type FactRule = boolean | number | 'unknown';

/** A kind of product an exporter may have in its catalogue. */
export interface ItemTemplate {
  category: string;
  label: string;
  forms: readonly Weighted<ItemForm>[];
  cyberSurveillance: boolean;
  productWords: readonly string[];
  publicDescriptions: readonly string[];
  confidentialDescriptions: readonly string[];
  facts: Partial<Record<FactKey, FactRule>>;
  /** Biometric modality stated in the profile ('none' unless the product identifies persons biometrically). */
  biometricModality?: BiometricModality;
  /** Market the product belongs to, for weighting exporters' catalogues. */
  sector: 'surveillance' | 'telecom' | 'crypto' | 'security';
  unit: QuantityUnit;
  quantity: readonly [min: number, max: number];
  unitPriceMedianEur: number;
  unitPriceSigma: number;
  /** Who typically buys it: weights by party type. */
  endUsers: Partial<Record<PartyType, number>>;
  endUses: readonly string[];
}

export const ITEM_TEMPLATES: readonly ItemTemplate[] = [
  {
    category: 'imsi_catcher',
    label: 'IMSI catcher',
    forms: [['hardware', 1]],
    cyberSurveillance: true,
    productWords: ['AirGuard', 'CellSentry', 'FieldCell', 'Spectra IC'],
    publicDescriptions: [
      'Portable mobile network test and identity collection unit for 2G/3G/4G networks.',
      'Vehicle-mounted cellular identity survey system.',
    ],
    confidentialDescriptions: [
      'Acts as a false base station: forces handsets to downgrade to 2G, captures IMSI and IMEI, optional call relay.',
      'Backpack and vehicle variants; active and passive modes; identifier capture up to 2 km in open terrain.',
    ],
    facts: {
      extractsIdentifiersOverAirInterface: true,
      extractsVoiceOrDataOverAirInterface: 0.3,
      simulatesRadioAccessNetwork: 0.9,
      exploitsMobileProtocol: 0.6,
      tracksMovementOrLocation: 0.6,
      interceptsWirelessCommunications: true,
      // Drive-test and network-optimisation scanners sold to operators: the Note to 5A001.f takes them out.
      designedForMobileNetworkOperators: 0.12,
      designedForDevelopmentOrProduction: 0.05,
      speciallyDesignedForSurveillance: 0.85,
      operatesCovertly: 0.8,
      isDualUseItem: true,
      targetsNaturalPersons: true,
      monitorsExtractsCollectsOrAnalysesData: true,
      actsOnInformationOrTelecomSystems: true,
    },
    sector: 'surveillance',
    unit: 'systems',
    quantity: [1, 6],
    unitPriceMedianEur: 350_000,
    unitPriceSigma: 0.5,
    endUsers: { police: 4, intelligence: 3, military: 2, government_body: 1 },
    endUses: [
      'Identification of mobile devices in criminal investigations',
      'Tactical signals collection by special units',
      'Search for missing persons in disaster areas',
    ],
  },
  {
    category: 'interception_system',
    label: 'IP interception probe',
    forms: [
      ['hardware', 3],
      ['software', 1],
    ],
    cyberSurveillance: true,
    productWords: ['CoreTap', 'LawGate', 'StreamWarden', 'PacketLedger'],
    publicDescriptions: [
      'Carrier-grade lawful interception probe for operator IP networks.',
      'Passive network tap and mediation unit.',
    ],
    confidentialDescriptions: [
      'Captures 100 Gbit/s links, ETSI HI2/HI3 handover, target lists of up to 50,000 selectors.',
      'Reconstructs VoIP and webmail sessions; stores content for 90 days by default.',
    ],
    facts: {
      operatesOnCarrierClassIpNetwork: true,
      analysesApplicationLayer: 0.85,
      extractsMetadata: true,
      extractsContent: 0.8,
      indexesExtractedData: 0.8,
      searchesByHardSelectors: 0.7,
      mapsRelationalNetwork: 0.6,
      receivesViaHandoverInterface: 0.3,
      designedForLawEnforcementMonitoring: 0.7,
      designedForNetworkQos: 0.1,
      speciallyDesignedForSurveillance: 0.8,
      operatesCovertly: 0.9,
      isDualUseItem: true,
      targetsNaturalPersons: true,
      monitorsExtractsCollectsOrAnalysesData: true,
      actsOnInformationOrTelecomSystems: true,
    },
    sector: 'surveillance',
    unit: 'systems',
    quantity: [1, 10],
    unitPriceMedianEur: 800_000,
    unitPriceSigma: 0.7,
    endUsers: { telecom_operator: 5, intelligence: 2, police: 2, government_body: 1 },
    endUses: [
      'Lawful interception obligations of a licensed operator',
      'Interception of communications under judicial warrant',
    ],
  },
  {
    category: 'monitoring_centre',
    label: 'Monitoring centre',
    forms: [
      ['software', 4],
      ['hardware', 1],
    ],
    cyberSurveillance: true,
    productWords: ['Panorama', 'Watchtower', 'Argus Suite', 'Mosaic LI'],
    publicDescriptions: [
      'Case management and analysis software for lawful interception.',
      'Monitoring centre for intercepted telecommunications.',
    ],
    confidentialDescriptions: [
      'Collects, stores and analyses intercepted content from several operators; link analysis and geolocation views.',
      'Nationwide deployment option; voice transcription and keyword search across all intercepted traffic.',
    ],
    facts: {
      designedForLawEnforcementMonitoring: true,
      receivesViaHandoverInterface: 0.85,
      searchesByHardSelectors: true,
      mapsRelationalNetwork: 0.8,
      tracksMovementOrLocation: 0.5,
      extractsMetadata: true,
      extractsContent: 0.7,
      indexesExtractedData: true,
      analysesApplicationLayer: 0.6,
      // Mediation devices and billing systems share the handover vocabulary but are excluded by the 5D001.e Note.
      isMediationDevice: 0.1,
      designedForBilling: 0.05,
      speciallyDesignedForSurveillance: true,
      operatesCovertly: 0.9,
      isDualUseItem: true,
      targetsNaturalPersons: true,
      monitorsExtractsCollectsOrAnalysesData: true,
      actsOnInformationOrTelecomSystems: true,
    },
    sector: 'surveillance',
    unit: 'licences',
    quantity: [1, 3],
    unitPriceMedianEur: 2_500_000,
    unitPriceSigma: 0.8,
    endUsers: { intelligence: 4, police: 4, government_body: 2 },
    endUses: [
      'Monitoring centre for warrant-based interception',
      'Upgrade of a national lawful interception platform',
    ],
  },
  {
    category: 'deep_packet_inspection',
    label: 'Deep packet inspection platform',
    forms: [
      ['hardware', 2],
      ['software', 1],
    ],
    cyberSurveillance: true,
    productWords: ['FlowSight', 'DeepLens', 'TrafficMind', 'ProtoScope'],
    publicDescriptions: [
      'Traffic classification and policy enforcement for operator networks.',
      'Deep packet inspection appliance.',
    ],
    confidentialDescriptions: [
      'Identifies 3,000 applications, extracts metadata per subscriber, URL and SNI logging, blocking and throttling.',
      'Supports per-subscriber content filtering and export of session records to external analysis systems.',
    ],
    facts: {
      operatesOnCarrierClassIpNetwork: true,
      analysesApplicationLayer: true,
      extractsMetadata: true,
      extractsContent: 0.4,
      indexesExtractedData: 0.4,
      searchesByHardSelectors: 0.3,
      mapsRelationalNetwork: 0.25,
      // Most DPI is sold for traffic management: the QoS/QoE/marketing Note to 5A001.j.
      designedForNetworkQos: 0.6,
      designedForQoe: 0.3,
      designedForMarketing: 0.15,
      isDualUseItem: true,
      speciallyDesignedForSurveillance: 0.3,
      operatesCovertly: 0.5,
      targetsNaturalPersons: 0.4,
      monitorsExtractsCollectsOrAnalysesData: true,
      actsOnInformationOrTelecomSystems: true,
    },
    sector: 'telecom',
    unit: 'systems',
    quantity: [1, 20],
    unitPriceMedianEur: 600_000,
    unitPriceSigma: 0.7,
    endUsers: { telecom_operator: 6, state_owned_company: 2, government_body: 1 },
    endUses: [
      'Traffic management and quality of service in a mobile network',
      'Content filtering required by national law',
    ],
  },
  {
    category: 'spyware_c2',
    label: 'Remote device intrusion suite',
    forms: [['software', 1]],
    cyberSurveillance: true,
    productWords: ['Nightjar', 'Quillon', 'Hollowpoint', 'Seraph RC'],
    publicDescriptions: [
      'Remote forensic software for authorised investigations.',
      'Targeted device investigation platform.',
    ],
    confidentialDescriptions: [
      'Infects iOS and Android devices through a delivery vector, command-and-control servers, exfiltrates messages and microphone audio.',
      'Persistent agent hides from antivirus; collects encrypted messenger content before encryption.',
    ],
    facts: {
      commandsAndControlsIntrusionSoftware: true,
      deliversIntrusionSoftware: 0.7,
      generatesIntrusionSoftware: 0.6,
      evadesMonitoringTools: true,
      defeatsProtectiveCountermeasures: 0.8,
      extractsOrModifiesDeviceData: true,
      altersExecutionPath: 0.9,
      tracksMovementOrLocation: 0.7,
      // Anti-theft and fleet agents installed by the owner for asset recovery: Note 1 to "intrusion software".
      installedByOwnerForAssetTrackingOrRecovery: 0.1,
      limitedToAuthorisedUpdates: false,
      speciallyDesignedForSurveillance: true,
      operatesCovertly: true,
      isDualUseItem: true,
      targetsNaturalPersons: true,
      monitorsExtractsCollectsOrAnalysesData: true,
      actsOnInformationOrTelecomSystems: true,
    },
    sector: 'surveillance',
    unit: 'licences',
    quantity: [1, 2],
    unitPriceMedianEur: 3_000_000,
    unitPriceSigma: 0.7,
    endUsers: { intelligence: 5, police: 3, military: 2 },
    endUses: ['Targeted investigation of serious crime', 'Counter-terrorism investigations'],
  },
  {
    category: 'mobile_forensics',
    label: 'Mobile forensic extraction kit',
    forms: [
      ['hardware', 2],
      ['software', 1],
    ],
    cyberSurveillance: true,
    productWords: ['DataHarbor', 'ExtractOne', 'Keystone MF', 'Lockpick Pro'],
    publicDescriptions: [
      'Forensic extraction of data from seized mobile devices.',
      'Digital forensics workstation for phones and tablets.',
    ],
    confidentialDescriptions: [
      'Full file-system extraction with lock-screen bypass for selected chipsets.',
      'Physical acquisition and password recovery; cloud token extraction module.',
    ],
    facts: {
      extractsRawData: 0.75,
      circumventsAuthentication: 0.6,
      // Logical-only and chip-off kits are taken out by Note 2 to 5A004.b.
      limitedToLogicalExtraction: 0.25,
      usesChipOffOrJtag: 0.1,
      limitedToJailbreakOrRooting: 0.05,
      isDebuggerOrHypervisor: false,
      extractsOrModifiesDeviceData: true,
      speciallyDesignedForSurveillance: 0.3,
      operatesCovertly: false,
      isDualUseItem: true,
      targetsNaturalPersons: true,
      monitorsExtractsCollectsOrAnalysesData: true,
      actsOnInformationOrTelecomSystems: true,
    },
    sector: 'security',
    unit: 'items',
    quantity: [1, 40],
    unitPriceMedianEur: 25_000,
    unitPriceSigma: 0.6,
    endUsers: { police: 6, government_body: 2, private_company: 1, research_institution: 0.5 },
    endUses: [
      'Examination of seized devices in criminal proceedings',
      'Digital forensics laboratory equipment',
    ],
  },
  {
    category: 'facial_recognition',
    label: 'Biometric facial recognition system',
    forms: [
      ['software', 3],
      ['hardware', 1],
    ],
    cyberSurveillance: true,
    productWords: ['FaceTrace', 'Visage ID', 'Crowdlens', 'Iris Gate'],
    publicDescriptions: [
      'Facial recognition for access control and video analytics.',
      'Biometric identification software.',
    ],
    confidentialDescriptions: [
      'Real-time matching of CCTV streams against watchlists of up to 10 million faces.',
      'Retrospective search across archived video; demographic attribute estimation.',
    ],
    facts: {
      performsBiometricIdentification: true,
      identifiesRemotelyOrInRealTime: 0.7,
      searchesByHardSelectors: 0.4,
      mapsRelationalNetwork: 0.3,
      tracksMovementOrLocation: 0.4,
      isDualUseItem: 'unknown',
      speciallyDesignedForSurveillance: 0.8,
      operatesCovertly: 0.6,
      targetsNaturalPersons: true,
      monitorsExtractsCollectsOrAnalysesData: true,
      // CCTV feeds are video systems; whether they are "information and telecommunication systems" is left open.
      actsOnInformationOrTelecomSystems: 'unknown',
    },
    sector: 'surveillance',
    biometricModality: 'face',
    unit: 'licences',
    quantity: [1, 50],
    unitPriceMedianEur: 40_000,
    unitPriceSigma: 0.9,
    endUsers: { police: 4, government_body: 3, private_company: 1, state_owned_company: 1 },
    endUses: [
      'Video surveillance of public spaces',
      'Border control and identity verification',
      'Access control at critical infrastructure',
    ],
  },
  {
    category: 'ss7_location_tracking',
    label: 'SS7/Diameter location tracking',
    forms: [['software', 1]],
    cyberSurveillance: true,
    productWords: ['GeoSignal', 'RoamTrace', 'Meridian SS7', 'Pathfinder'],
    publicDescriptions: ['Signalling analytics for mobile networks.', 'Subscriber location service.'],
    confidentialDescriptions: [
      'Locates any subscriber worldwide through SS7 and Diameter queries; SMS interception module.',
      'Uses leased global titles to query home location registers of foreign operators.',
    ],
    facts: {
      tracksLocationViaSignallingNetwork: true,
      tracksMovementOrLocation: true,
      searchesByHardSelectors: 0.6,
      extractsMetadata: 0.7,
      speciallyDesignedForSurveillance: true,
      operatesCovertly: true,
      isDualUseItem: true,
      targetsNaturalPersons: true,
      monitorsExtractsCollectsOrAnalysesData: true,
      actsOnInformationOrTelecomSystems: true,
    },
    sector: 'surveillance',
    unit: 'licences',
    quantity: [1, 2],
    unitPriceMedianEur: 1_200_000,
    unitPriceSigma: 0.6,
    endUsers: { intelligence: 5, police: 2, military: 1, telecom_operator: 1 },
    endUses: ['Location of suspects in serious crime investigations', 'Signalling security monitoring'],
  },
  {
    category: 'interception_technology',
    label: 'Interception development technology',
    forms: [['technology', 1]],
    cyberSurveillance: true,
    productWords: ['LI Toolkit', 'Mediation Design Pack', 'Handover Blueprint'],
    publicDescriptions: ['Technology for the development of lawful interception mediation systems.'],
    confidentialDescriptions: [
      'Source code, design documents and training for building a monitoring centre locally.',
    ],
    facts: {
      technologyForDevelopment: true,
      technologyForProductionOrUse: 0.5,
      designedForLawEnforcementMonitoring: 0.8,
      receivesViaHandoverInterface: 0.7,
      searchesByHardSelectors: 0.7,
      mapsRelationalNetwork: 0.5,
      tracksMovementOrLocation: 0.4,
      extractsMetadata: true,
      speciallyDesignedForSurveillance: 0.7,
      operatesCovertly: 0.7,
      isDualUseItem: true,
      targetsNaturalPersons: true,
      monitorsExtractsCollectsOrAnalysesData: true,
      actsOnInformationOrTelecomSystems: true,
    },
    sector: 'surveillance',
    unit: 'hours',
    quantity: [100, 2000],
    unitPriceMedianEur: 180,
    unitPriceSigma: 0.3,
    endUsers: { telecom_operator: 3, state_owned_company: 2, research_institution: 1 },
    endUses: [
      'Local development of lawful interception capability',
      'Transfer of technology to a joint venture',
    ],
  },
  {
    category: 'network_probe',
    label: 'Network performance monitoring probe',
    forms: [
      ['hardware', 2],
      ['software', 1],
    ],
    cyberSurveillance: false,
    productWords: ['QoSight', 'LinkPulse', 'NetVista'],
    publicDescriptions: ['Network performance and fault monitoring for operators.'],
    confidentialDescriptions: [
      'Measures latency and packet loss; aggregated statistics only, no payload storage.',
    ],
    facts: {
      operatesOnCarrierClassIpNetwork: true,
      analysesApplicationLayer: 0.4,
      extractsMetadata: 0.6,
      indexesExtractedData: 0.3,
      designedForNetworkQos: true,
      designedForQoe: 0.5,
      monitorsExtractsCollectsOrAnalysesData: true,
      actsOnInformationOrTelecomSystems: true,
    },
    sector: 'telecom',
    unit: 'systems',
    quantity: [1, 30],
    unitPriceMedianEur: 60_000,
    unitPriceSigma: 0.6,
    endUsers: { telecom_operator: 6, private_company: 2 },
    endUses: ['Network operations centre of a mobile operator', 'Service level monitoring'],
  },
  {
    category: 'core_router',
    label: 'Core IP router',
    forms: [['hardware', 1]],
    cyberSurveillance: false,
    productWords: ['Backbone', 'TerraRoute', 'Spine X'],
    publicDescriptions: ['Carrier-class IP/MPLS router.'],
    confidentialDescriptions: ['400G line cards with MACsec link encryption.'],
    facts: {
      operatesOnCarrierClassIpNetwork: true,
      actsOnInformationOrTelecomSystems: true,
    },
    sector: 'telecom',
    unit: 'items',
    quantity: [2, 80],
    unitPriceMedianEur: 40_000,
    unitPriceSigma: 0.6,
    endUsers: { telecom_operator: 5, private_company: 2, state_owned_company: 2, research_institution: 1 },
    endUses: ['Expansion of a national backbone network', 'Data centre interconnect'],
  },
  {
    category: 'radio_access',
    label: 'LTE/5G base station',
    forms: [['hardware', 1]],
    cyberSurveillance: false,
    productWords: ['SkyCell', 'Radia 5G', 'MetroNode'],
    publicDescriptions: ['Base station for public LTE and 5G networks.'],
    confidentialDescriptions: ['Includes 3GPP air-interface encryption (128-NEA) and O-RAN interfaces.'],
    facts: {
      designedForMobileNetworkOperators: true,
      actsOnInformationOrTelecomSystems: true,
    },
    sector: 'telecom',
    unit: 'items',
    quantity: [5, 200],
    unitPriceMedianEur: 30_000,
    unitPriceSigma: 0.5,
    endUsers: { telecom_operator: 8, state_owned_company: 2 },
    endUses: ['Roll-out of a public 5G network', 'Private LTE network for a port'],
  },
  {
    category: 'hardware_security_module',
    label: 'Hardware security module',
    forms: [['hardware', 1]],
    cyberSurveillance: false,
    productWords: ['KeyVault', 'CipherCore', 'TrustBlock'],
    publicDescriptions: ['Hardware security module for key management and signing.'],
    confidentialDescriptions: ['AES-256 and RSA-4096; FIPS 140-3 level 3 design.'],
    facts: {},
    sector: 'crypto',
    unit: 'items',
    quantity: [1, 30],
    unitPriceMedianEur: 20_000,
    unitPriceSigma: 0.5,
    endUsers: {
      private_company: 3,
      government_body: 2,
      state_owned_company: 2,
      telecom_operator: 1,
      military: 1,
    },
    endUses: ['Payment key management of a bank', 'Public key infrastructure of a ministry'],
  },
  {
    category: 'vpn_gateway',
    label: 'IPsec VPN gateway',
    forms: [
      ['hardware', 2],
      ['software', 1],
    ],
    cyberSurveillance: false,
    productWords: ['SafeTunnel', 'Bastion VPN', 'Linkward'],
    publicDescriptions: ['Encrypted site-to-site VPN gateway.'],
    confidentialDescriptions: [
      'IPsec with AES-256-GCM; 10 Gbit/s throughput; quantum-safe key exchange option.',
    ],
    facts: {
      actsOnInformationOrTelecomSystems: true,
    },
    sector: 'crypto',
    unit: 'items',
    quantity: [1, 100],
    unitPriceMedianEur: 8_000,
    unitPriceSigma: 0.7,
    endUsers: {
      private_company: 4,
      government_body: 2,
      state_owned_company: 1,
      military: 1,
      telecom_operator: 1,
    },
    endUses: ['Secure corporate network', 'Encrypted links between government sites'],
  },
  {
    category: 'secure_phone',
    label: 'Encrypted mobile handset',
    forms: [['hardware', 1]],
    cyberSurveillance: false,
    productWords: ['Silent One', 'Vaultphone', 'Guardian S'],
    publicDescriptions: ['Hardened smartphone with end-to-end encrypted voice and messaging.'],
    confidentialDescriptions: ['Custom OS; AES-256 voice encryption; remote wipe.'],
    facts: {},
    sector: 'crypto',
    unit: 'items',
    quantity: [10, 2000],
    unitPriceMedianEur: 1_500,
    unitPriceSigma: 0.4,
    endUsers: { government_body: 3, military: 3, private_company: 2, police: 1 },
    endUses: ['Secure communications of officials', 'Classified voice communications'],
  },
  {
    category: 'crypto_sdk',
    label: 'Cryptographic software library',
    forms: [['software', 1]],
    cyberSurveillance: false,
    productWords: ['CryptoKit', 'SealLib', 'Enigmatic SDK'],
    publicDescriptions: ['Cryptographic library for application developers.'],
    confidentialDescriptions: ['Symmetric and post-quantum algorithms; source code licence available.'],
    facts: {},
    sector: 'crypto',
    unit: 'seats',
    quantity: [5, 500],
    unitPriceMedianEur: 900,
    unitPriceSigma: 0.8,
    endUsers: { private_company: 5, research_institution: 2, telecom_operator: 1 },
    endUses: ['Integration into a banking application', 'Research on post-quantum cryptography'],
  },
  {
    category: 'crypto_technology',
    label: 'Cryptographic design technology',
    forms: [['technology', 1]],
    cyberSurveillance: false,
    productWords: ['Cipher Design Pack', 'Key Ceremony Know-how'],
    publicDescriptions: ['Technology for the development of encryption products.'],
    confidentialDescriptions: ['Design files and training for a national encryption device.'],
    facts: {
      technologyForDevelopment: true,
    },
    sector: 'crypto',
    unit: 'hours',
    quantity: [50, 1500],
    unitPriceMedianEur: 160,
    unitPriceSigma: 0.3,
    endUsers: { state_owned_company: 3, research_institution: 2, military: 1, private_company: 1 },
    endUses: ['Development of a national encryption product', 'University research cooperation'],
  },
  {
    category: 'penetration_testing',
    label: 'Penetration testing framework',
    forms: [['software', 1]],
    cyberSurveillance: false,
    productWords: ['Breachpoint', 'RedHarbor', 'Probewise'],
    publicDescriptions: ['Security testing framework for authorised penetration tests.'],
    confidentialDescriptions: [
      'Exploit library with post-exploitation agents; intended for authorised testing only.',
    ],
    facts: {
      // Exploit frameworks: some evade endpoint defences and carry implants (4D004), most only test.
      deliversIntrusionSoftware: 0.5,
      generatesIntrusionSoftware: 0.4,
      commandsAndControlsIntrusionSoftware: 0.3,
      evadesMonitoringTools: 0.4,
      defeatsProtectiveCountermeasures: 0.5,
      extractsOrModifiesDeviceData: 0.7,
      altersExecutionPath: 0.6,
      isHypervisorDebuggerOrReverseEngineeringTool: 0.1,
      isDualUseItem: true,
      targetsNaturalPersons: false,
      monitorsExtractsCollectsOrAnalysesData: 0.3,
      actsOnInformationOrTelecomSystems: true,
    },
    sector: 'security',
    unit: 'seats',
    quantity: [1, 50],
    unitPriceMedianEur: 6_000,
    unitPriceSigma: 0.6,
    endUsers: { private_company: 4, research_institution: 2, government_body: 1, military: 1 },
    endUses: ['Authorised penetration testing of customer networks', 'Security research and training'],
  },
];

/** Exporter profiles: which item categories they make. */
export const EXPORTER_PROFILES: readonly Weighted<'surveillance' | 'telecom' | 'crypto' | 'mixed'>[] = [
  ['surveillance', 20],
  ['telecom', 35],
  ['crypto', 25],
  ['mixed', 20],
];

/** Party name patterns by type; `{w}` is replaced by an invented word, so names stay fictitious. */
export const PARTY_NAMES: Readonly<Record<PartyType, readonly string[]>> = {
  government_body: [
    'Ministry of Digital Affairs',
    'National Communications Regulatory Authority',
    'Office for Public Security Technology',
    'State Committee for Information Security',
    'Directorate of e-Government',
  ],
  police: [
    'National Police Cybercrime Directorate',
    'Federal Criminal Investigation Bureau',
    'Metropolitan Police Technical Unit',
    'Border Police Technical Service',
    'Anti-Narcotics Police Special Unit',
  ],
  intelligence: [
    'General Directorate of Signals Intelligence',
    'National Security Service Technical Department',
    'State Intelligence Agency',
    'Directorate of Internal Security Operations',
  ],
  military: [
    'Armed Forces Communications Command',
    'Joint Electronic Warfare Centre',
    'Defence Procurement Agency',
    'Military Intelligence Technical Branch',
  ],
  state_owned_company: [
    '{w} State Telecommunications Holding',
    '{w} National Defence Industries',
    '{w} Public Infrastructure Company',
    '{w} State Technology Corporation',
  ],
  telecom_operator: ['{w} Mobile', '{w}Tel Communications', '{w} Networks', '{w} Broadband'],
  private_company: [
    '{w} Security Solutions',
    '{w} Systems Integration',
    '{w} Technologies',
    '{w} Trading',
    '{w} Digital Services',
  ],
  research_institution: [
    'Institute for Advanced Communications Research',
    '{w} University Centre for Cyber Security',
    '{w} Institute of Technology',
  ],
  individual: ['{f} {l}'],
};

export const PARTY_WORDS: readonly string[] = [
  'Alcora',
  'Benthar',
  'Castivo',
  'Dorvani',
  'Emberly',
  'Falcora',
  'Gantrel',
  'Horizane',
  'Indara',
  'Joravo',
  'Kelvra',
  'Lunaris',
  'Mirova',
  'Nabari',
  'Orvanta',
  'Pemberly',
  'Qadira',
  'Rustavo',
  'Sahrani',
  'Tavoro',
  'Ulmaris',
  'Vendari',
  'Wakara',
  'Yelvani',
  'Zarento',
];
export const FIRST_NAMES: readonly string[] = [
  'Alex',
  'Samira',
  'Jonas',
  'Leila',
  'Marco',
  'Nadia',
  'Omar',
  'Priya',
  'Rafael',
  'Sofia',
  'Tariq',
  'Yuki',
];
export const LAST_NAMES: readonly string[] = [
  'Morel',
  'Kadirov',
  'Lindqvist',
  'Haddad',
  'Rossetti',
  'Okafor',
  'Tanaka',
  'Varga',
  'Ferreira',
  'Novak',
  'Suleiman',
  'Brandt',
];

/** Street words for fictitious addresses. */
export const STREET_WORDS: readonly string[] = [
  'Harbour',
  'Cedar',
  'Station',
  'Market',
  'Garden',
  'Riverside',
  'Tower',
  'Unity',
  'Science',
  'Palm',
];

/** Conditions attached to licences granted with conditions. */
export const LICENCE_CONDITIONS: readonly string[] = [
  'End-use certificate with a no re-export clause to be provided before shipment.',
  'Post-shipment verification visit within 12 months of delivery.',
  'Quarterly report on deployment sites and users.',
  'No use against journalists, human rights defenders or political opponents; breach voids the licence.',
  'Training and support limited to the named end user.',
  'Delivery only after installation of audit logging that cannot be disabled by the end user.',
];
