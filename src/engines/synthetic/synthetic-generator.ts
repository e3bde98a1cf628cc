/**
 * Deterministic synthetic demo data: exporters, their item catalogues and party books, and a stream of licence
 * applications with lines, parties, status history, decisions and licences. Same seed and reference date, same
 * output; every name carries the " (synthetic)" marker and every reference starts with "SYN-".
 */
import { FACT_KEYS } from '../../domain/classification.ts';
import type { BiometricModality } from '../../domain/classification.ts';
import { invalid, type FieldIssue } from '../../domain/errors.ts';
import type {
  ApplicationStatus,
  DecisionOutcome,
  ExportChannel,
  ItemForm,
  LicenceStatus,
  LicenceType,
  PartyRole,
  PartyType,
  QuantityUnit,
} from '../../domain/model.ts';
import { deriveUuid, Rng, type Weighted } from './prng.ts';
import {
  DESTINATIONS,
  EUR_RATES,
  EXPORTER_COUNTRIES,
  EXPORTER_PROFILES,
  EXPORTER_SECTOR_WORDS,
  FIRST_NAMES,
  ITEM_TEMPLATES,
  LAST_NAMES,
  LEGAL_FORMS,
  LICENCE_CONDITIONS,
  NAME_STEMS,
  PARTY_NAMES,
  PARTY_WORDS,
  STREET_WORDS,
  SYNTHETIC_NAME_SUFFIX,
  SYNTHETIC_REFERENCE_PREFIX,
  type Destination,
  type FactKey,
  type FactValue,
  type ItemTemplate,
} from './synthetic-catalogue.ts';

const DAY_MS = 86_400_000;
/** Synthetic applications are created from this instant up to the reference date. */
export const SYNTHETIC_START_MS = Date.UTC(2023, 0, 1);
/** Most applications a seed may create in one calendar year (the reference has six digits). */
export const MAX_APPLICATIONS_PER_YEAR = 999_999;

export interface SyntheticOptions {
  seed: number;
  /** The "now" of the generated world: no date lies after it. */
  referenceDate: Date;
  applications: number;
  exporters: number;
}

export interface SyntheticExporter {
  id: string;
  name: string;
  country: string;
  profile: 'surveillance' | 'telecom' | 'crypto' | 'mixed';
  createdAt: Date;
}

/** An item technical profile in the classification engine's vocabulary (parseItemTechnicalProfile accepts it). */
export interface TechnicalProfile {
  description: string;
  biometricModality: BiometricModality;
  facts: Record<FactKey, FactValue>;
}

export interface SyntheticItem {
  id: string;
  organisationId: string;
  name: string;
  publicDescription: string;
  confidentialDescription: string;
  itemForm: ItemForm;
  /** The template's category, e.g. 'imsi_catcher' (generation metadata, not part of the stored profile). */
  category: string;
  technicalProfile: TechnicalProfile;
  cyberSurveillance: boolean;
  /** Catalogue price per unit, in EUR. */
  unitPriceEur: number;
  createdAt: Date;
}

export interface SyntheticParty {
  id: string;
  organisationId: string;
  name: string;
  aliases: string[];
  country: string;
  address: string;
  partyType: PartyType;
  createdAt: Date;
}

interface Market {
  destination: Destination;
  endUsers: SyntheticParty[];
  consignees: SyntheticParty[];
}

interface ExporterBook {
  exporter: SyntheticExporter;
  items: SyntheticItem[];
  templates: ItemTemplate[];
  markets: Market[];
  marketWeights: Weighted<Market>[];
  intermediaries: SyntheticParty[];
}

/** The small, fully materialised part of the synthetic data; applications are streamed from it. */
export interface SyntheticWorld {
  options: Readonly<SyntheticOptions>;
  exporters: SyntheticExporter[];
  items: SyntheticItem[];
  parties: SyntheticParty[];
  books: ExporterBook[];
  /** Cumulative activity weights of the exporters (a few exporters file most applications). */
  activityCdf: Float64Array;
}

export interface SyntheticLine {
  lineNo: number;
  itemId: string;
  quantity: number;
  unit: QuantityUnit;
  value: number;
  currency: string;
  valueEur: number;
}

export interface SyntheticTransition {
  fromStatus: ApplicationStatus | null;
  toStatus: ApplicationStatus;
  at: Date;
  reason: string;
}

export interface SyntheticCriterion {
  criterion: string;
  finding: string;
}

export interface SyntheticDecision {
  id: string;
  outcome: DecisionOutcome;
  legalBasis: string[];
  reasons: string;
  conditions: string[];
  criteria: SyntheticCriterion[];
  decidedAt: Date;
}

export interface SyntheticLicence {
  id: string;
  licenceNumber: string;
  licenceType: LicenceType;
  status: LicenceStatus;
  /** ISO dates, YYYY-MM-DD. */
  validFrom: string;
  validUntil: string;
}

export interface SyntheticApplication {
  id: string;
  reference: string;
  organisationId: string;
  licenceType: LicenceType;
  destinationCountry: string;
  intendedEndUse: string;
  exportChannel: ExportChannel;
  status: ApplicationStatus;
  submittedAt: Date | null;
  decidedAt: Date | null;
  totalValueEur: number;
  createdAt: Date;
  updatedAt: Date;
  lines: SyntheticLine[];
  parties: { partyId: string; role: PartyRole }[];
  transitions: SyntheticTransition[];
  decision: SyntheticDecision | null;
  licence: SyntheticLicence | null;
}

/**
 * The id the `index`-th synthetic exporter of a seed gets (used to detect an already seeded database).
 *
 * @example deriveSyntheticOrganisationId(1, 0) === buildSyntheticWorld({ seed: 1, ... }).exporters[0].id
 */
export function deriveSyntheticOrganisationId(seed: number, index: number): string {
  return deriveUuid(`${seed}:organisation:${index}`);
}

/**
 * The default number of exporters for a number of applications: about its square root, 5 to 1,000.
 *
 * @example defaultExporterCount(1000) // 32
 */
export function defaultExporterCount(applications: number): number {
  return Math.min(1000, Math.max(5, Math.round(Math.sqrt(applications))));
}

/**
 * Check generation options; throws DomainError INVALID naming each bad field.
 *
 * @example validateSyntheticOptions({ seed: 1, referenceDate: new Date('2025-06-30'), applications: 1000, exporters: 30 })
 */
export function validateSyntheticOptions(o: SyntheticOptions): void {
  const issues: FieldIssue[] = [];
  if (!Number.isSafeInteger(o.seed)) issues.push({ path: 'seed', message: 'must be an integer' });
  if (!Number.isSafeInteger(o.applications) || o.applications < 0 || o.applications > 20_000_000)
    issues.push({ path: 'applications', message: 'must be an integer between 0 and 20,000,000' });
  if (!Number.isSafeInteger(o.exporters) || o.exporters < 1 || o.exporters > 100_000)
    issues.push({ path: 'exporters', message: 'must be an integer between 1 and 100,000' });
  const refMs = o.referenceDate instanceof Date ? o.referenceDate.getTime() : NaN;
  if (!Number.isFinite(refMs) || refMs < SYNTHETIC_START_MS + 7 * DAY_MS)
    issues.push({ path: 'referenceDate', message: 'must be a valid date on or after 2023-01-08' });
  else if (issues.length === 0) {
    const spanMs = refMs - SYNTHETIC_START_MS;
    const lastYear = new Date(refMs).getUTCFullYear();
    for (let y = 2023; y <= lastYear; y++) {
      const overlap =
        Math.min(refMs, Date.UTC(y + 1, 0, 1)) - Math.max(SYNTHETIC_START_MS, Date.UTC(y, 0, 1));
      if (Math.ceil((o.applications * overlap) / spanMs) + 1 > MAX_APPLICATIONS_PER_YEAR) {
        issues.push({
          path: 'applications',
          message: `more than ${MAX_APPLICATIONS_PER_YEAR} applications would fall in ${y}; use a later reference date`,
        });
        break;
      }
    }
  }
  if (issues.length > 0) throw invalid('Invalid synthetic data options.', issues);
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const synthetic = (name: string): string => name + SYNTHETIC_NAME_SUFFIX;

const acronym = (name: string): string =>
  name
    .split(/\s+/)
    .filter((w) => /^[A-Z]/.test(w))
    .map((w) => w[0])
    .join('');

/** The capability facts of one item drawn from a template (every fact of the classification vocabulary). */
export function generateFacts(rng: Rng, template: ItemTemplate): Record<FactKey, FactValue> {
  const facts = {} as Record<FactKey, FactValue>;
  for (const key of FACT_KEYS) {
    const rule = template.facts[key];
    if (rule === undefined || typeof rule === 'boolean' || rule === 'unknown') facts[key] = rule ?? false;
    else facts[key] = rng.chance(0.15) ? 'unknown' : rng.chance(rule);
  }
  return facts;
}

function templateWeight(profile: SyntheticExporter['profile'], t: ItemTemplate): number {
  const crypto = t.sector === 'crypto' || t.category === 'penetration_testing';
  const telecom = [
    'network_probe',
    'core_router',
    'radio_access',
    'deep_packet_inspection',
    'interception_system',
  ].includes(t.category);
  switch (profile) {
    case 'surveillance':
      return t.cyberSurveillance ? 5 : telecom ? 1 : 0.3;
    case 'telecom':
      return telecom ? 4 : crypto ? 1 : 0.2;
    case 'crypto':
      return crypto ? 4 : 0.2;
    default:
      return 1;
  }
}

function weightedSampleDistinct<T>(rng: Rng, choices: readonly Weighted<T>[], k: number): T[] {
  const pool = choices.filter(([, w]) => w > 0).map(([v, w]) => [v, w] as [T, number]);
  const out: T[] = [];
  while (out.length < k && pool.length > 0) {
    const v = rng.weighted(pool);
    out.push(v);
    pool.splice(
      pool.findIndex(([x]) => x === v),
      1,
    );
  }
  return out;
}

function makePartyName(rng: Rng, type: PartyType): string {
  return rng
    .pick(PARTY_NAMES[type])
    .replace('{w}', rng.pick(PARTY_WORDS))
    .replace('{f}', rng.pick(FIRST_NAMES))
    .replace('{l}', rng.pick(LAST_NAMES));
}

/**
 * Build the exporters, their item catalogues and their party books for a seed. Small (about 35 rows per
 * exporter) and held in memory; `generateSyntheticApplications` streams applications over it.
 *
 * @example const world = buildSyntheticWorld({ seed: 7, referenceDate: new Date('2025-06-30'), applications: 1000, exporters: 30 });
 */
export function buildSyntheticWorld(options: SyntheticOptions): SyntheticWorld {
  validateSyntheticOptions(options);
  const { seed } = options;
  const exporters: SyntheticExporter[] = [];
  const items: SyntheticItem[] = [];
  const parties: SyntheticParty[] = [];
  const books: ExporterBook[] = [];
  const usedNames = new Set<string>();
  const destinationWeights = DESTINATIONS.map((d) => [d, d.weight] as const);
  const hubs = DESTINATIONS.filter((d) => d.hub);
  const activityCdf = new Float64Array(options.exporters);
  let cumulative = 0;

  for (let e = 0; e < options.exporters; e++) {
    const rng = new Rng(`${seed}:exporter:${e}`);
    const country = rng.weighted(EXPORTER_COUNTRIES);
    const stem = rng.pick(NAME_STEMS);
    const sector = rng.pick(EXPORTER_SECTOR_WORDS);
    const form = rng.pick(LEGAL_FORMS[country] ?? ['Ltd']);
    let base = `${stem} ${sector}`;
    for (let n = 2; usedNames.has(base.toLowerCase()); n++) base = `${stem} ${sector} ${n}`;
    usedNames.add(base.toLowerCase());
    const createdMs = Date.UTC(2022, 0, 1) + rng.int(0, 300) * DAY_MS + rng.int(8, 17) * 3_600_000;
    const exporter: SyntheticExporter = {
      id: deriveSyntheticOrganisationId(seed, e),
      name: synthetic(`${base} ${form}`),
      country,
      profile: rng.weighted(EXPORTER_PROFILES),
      createdAt: new Date(createdMs),
    };
    exporters.push(exporter);
    cumulative += 1 / Math.pow(e + 1, 0.9);
    activityCdf[e] = cumulative;

    // Catalogue.
    const templates: ItemTemplate[] = [];
    const ownItems: SyntheticItem[] = [];
    const itemCount = rng.int(3, 12);
    const templateWeights = ITEM_TEMPLATES.map((t) => [t, templateWeight(exporter.profile, t)] as const);
    for (let k = 0; k < itemCount; k++) {
      const t = rng.weighted(templateWeights);
      const model =
        rng.pick(['X', 'S', 'Pro ', 'M', 'NG ', '']) + rng.int(1, 9) * (rng.chance(0.5) ? 100 : 1);
      const itemForm = rng.weighted(t.forms);
      const item: SyntheticItem = {
        id: deriveUuid(`${seed}:item:${e}:${k}`),
        organisationId: exporter.id,
        name: synthetic(`${stem} ${rng.pick(t.productWords)} ${model}`.replace(/\s+/g, ' ')),
        publicDescription: rng.pick(t.publicDescriptions),
        confidentialDescription: `${rng.pick(t.confidentialDescriptions)} Internal reference ${stem.slice(0, 3).toUpperCase()}-${rng.int(1000, 9999)}.`,
        itemForm,
        category: t.category,
        technicalProfile: {
          description: `${t.label}. ${rng.pick(t.publicDescriptions)}`,
          biometricModality: t.biometricModality ?? 'none',
          facts: generateFacts(rng, t),
        },
        cyberSurveillance: t.cyberSurveillance,
        unitPriceEur: round2(rng.logNormal(t.unitPriceMedianEur, t.unitPriceSigma)),
        createdAt: new Date(createdMs + rng.int(1, 60) * DAY_MS),
      };
      templates.push(t);
      ownItems.push(item);
      items.push(item);
    }

    // Party book: end users and consignees in each market, intermediaries in hubs.
    const endUserTypeWeights = new Map<PartyType, number>();
    for (const t of templates)
      for (const [type, w] of Object.entries(t.endUsers) as [PartyType, number][])
        endUserTypeWeights.set(type, (endUserTypeWeights.get(type) ?? 0) + w);
    const typeChoices = [...endUserTypeWeights.entries()] as Weighted<PartyType>[];
    let partySeq = 0;
    const newParty = (destination: Destination, type: PartyType): SyntheticParty => {
      const name = makePartyName(rng, type);
      const party: SyntheticParty = {
        id: deriveUuid(`${seed}:party:${e}:${partySeq++}`),
        organisationId: exporter.id,
        name: synthetic(name),
        aliases: type !== 'individual' && rng.chance(0.3) ? [acronym(name)] : [],
        country: destination.code,
        address: `${rng.int(1, 240)} ${rng.pick(STREET_WORDS)} Street, ${destination.city} (synthetic address)`,
        partyType: type,
        createdAt: new Date(createdMs + rng.int(1, 60) * DAY_MS),
      };
      parties.push(party);
      return party;
    };
    const marketCount = rng.int(3, e < options.exporters / 10 ? 15 : 8);
    const markets: Market[] = weightedSampleDistinct(rng, destinationWeights, marketCount).map(
      (destination) => {
        const consignees = Array.from({ length: rng.int(1, 2) }, () =>
          newParty(destination, 'private_company'),
        );
        const endUsers = Array.from({ length: rng.int(2, 5) }, () =>
          newParty(destination, rng.weighted(typeChoices)),
        );
        return { destination, consignees, endUsers };
      },
    );
    const intermediaries = Array.from({ length: rng.int(1, 2) }, () =>
      newParty(rng.pick(hubs), rng.chance(0.2) ? 'individual' : 'private_company'),
    );
    books.push({
      exporter,
      items: ownItems,
      templates,
      markets,
      // Square root: an exporter's large markets lead, but its smaller ones still see regular business.
      marketWeights: markets.map((m) => [m, Math.sqrt(m.destination.weight)] as const),
      intermediaries,
    });
  }
  return { options: { ...options }, exporters, items, parties, books, activityCdf };
}

function pickExporter(world: SyntheticWorld, rng: Rng): ExporterBook {
  const cdf = world.activityCdf;
  const r = rng.next01() * cdf[cdf.length - 1]!;
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid]! > r) hi = mid;
    else lo = mid + 1;
  }
  return world.books[lo]!;
}

const DENIAL_BASE: Record<Destination['scrutiny'], number> = {
  standard: 0.01,
  elevated: 0.04,
  high: 0.1,
  embargoed: 0.97,
};
const CONDITIONS_SURVEILLANCE: Record<Destination['scrutiny'], number> = {
  standard: 0.12,
  elevated: 0.3,
  high: 0.4,
  embargoed: 0,
};
const CONDITIONS_OTHER: Record<Destination['scrutiny'], number> = {
  standard: 0.04,
  elevated: 0.08,
  high: 0.12,
  embargoed: 0,
};
const SECURITY_END_USERS: readonly PartyType[] = ['police', 'intelligence', 'military', 'government_body'];
const EMBARGO_BASIS: Record<string, string> = {
  RU: 'Council Regulation (EU) No 833/2014, Art. 2',
  BY: 'Council Regulation (EC) No 765/2006, Art. 1e',
};
const LINE_COUNTS: readonly Weighted<number>[] = [
  [1, 55],
  [2, 25],
  [3, 13],
  [4, 7],
];
const LICENCE_TYPE_WEIGHTS: readonly Weighted<LicenceType>[] = [
  ['individual', 82],
  ['global', 11],
  ['national_general', 4],
  ['large_project', 3],
];

/**
 * Stream the applications of a world, in order of creation. Each application depends only on the seed, its
 * index and the world, except its yearly reference number, so memory stays flat for any count.
 *
 * @example for (const a of generateSyntheticApplications(world)) console.log(a.reference, a.status);
 */
export function* generateSyntheticApplications(world: SyntheticWorld): Generator<SyntheticApplication> {
  const { seed, applications: n, referenceDate } = world.options;
  const refMs = referenceDate.getTime();
  const spanMs = refMs - SYNTHETIC_START_MS;
  const perYear = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const rng = new Rng(`${seed}:application:${i}`);
    const createdMs = Math.floor(SYNTHETIC_START_MS + ((i + rng.next01()) / n) * spanMs);
    const year = new Date(createdMs).getUTCFullYear();
    const serial = (perYear.get(year) ?? 0) + 1;
    if (serial > MAX_APPLICATIONS_PER_YEAR)
      throw invalid(`More than ${MAX_APPLICATIONS_PER_YEAR} applications in ${year}.`, [
        { path: 'applications', message: 'too many for one year' },
      ]);
    perYear.set(year, serial);
    yield generateApplication(
      world,
      rng,
      i,
      createdMs,
      `${SYNTHETIC_REFERENCE_PREFIX}-${year}-${String(serial).padStart(6, '0')}`,
      refMs,
    );
  }
}

function generateApplication(
  world: SyntheticWorld,
  rng: Rng,
  i: number,
  createdMs: number,
  reference: string,
  refMs: number,
): SyntheticApplication {
  const { seed } = world.options;
  const book = pickExporter(world, rng);
  const market = rng.weighted(book.marketWeights);
  const destination = market.destination;
  const endUser = rng.pick(market.endUsers);

  // Lines: items the end user would plausibly buy.
  const lineCount = Math.min(rng.weighted(LINE_COUNTS), book.items.length);
  const itemChoices = book.items.map(
    (item, k) => [k, (book.templates[k]!.endUsers[endUser.partyType] ?? 0) + 0.2] as const,
  );
  const itemIdx = weightedSampleDistinct(rng, itemChoices, lineCount);
  const localRate = EUR_RATES[destination.currency];
  const currency = rng.weighted<string>([
    ['EUR', 60],
    ['USD', 25],
    [localRate !== undefined && destination.currency !== 'EUR' ? destination.currency : 'EUR', 15],
  ]);
  const rate = EUR_RATES[currency]!;
  let totalValueEur = 0;
  let surveillance = false;
  const forms = new Set<ItemForm>();
  const lines: SyntheticLine[] = itemIdx.map((k, li) => {
    const item = book.items[k]!;
    const t = book.templates[k]!;
    surveillance ||= item.cyberSurveillance;
    forms.add(item.itemForm);
    const [qMin, qMax] = t.quantity;
    // Skewed log-uniform: small orders are the most frequent.
    const quantity = Math.max(
      qMin,
      Math.min(qMax, Math.round(qMin * Math.pow((qMax + 0.5) / qMin, rng.next01() ** 2))),
    );
    const unitPrice = item.unitPriceEur * rng.logNormal(1, 0.15);
    const raw = quantity * unitPrice;
    const valueEur = raw >= 10_000 ? Math.round(raw / 100) * 100 : round2(raw);
    totalValueEur += valueEur;
    return {
      lineNo: li + 1,
      itemId: item.id,
      quantity,
      unit: t.unit,
      value: round2(valueEur * rate),
      currency,
      valueEur,
    };
  });
  totalValueEur = round2(totalValueEur);

  // Parties.
  const parties: SyntheticApplication['parties'] = [{ partyId: endUser.id, role: 'end_user' }];
  if (rng.chance(0.55)) parties.push({ partyId: endUser.id, role: 'consignee' });
  else parties.push({ partyId: rng.pick(market.consignees).id, role: 'consignee' });
  if (rng.chance(0.1))
    parties.push({
      partyId: rng.pick(book.intermediaries).id,
      role: rng.chance(0.5) ? 'broker' : 'intermediary',
    });

  const licenceType: LicenceType =
    destination.eu001 && !surveillance && rng.chance(0.2)
      ? 'eu_general_registration'
      : rng.weighted(LICENCE_TYPE_WEIGHTS);
  const exportChannel: ExportChannel = forms.has('hardware')
    ? 'physical'
    : forms.has('software')
      ? rng.weighted<ExportChannel>([
          ['electronic_transmission', 6],
          ['made_available_online', 1],
          ['physical', 3],
        ])
      : rng.weighted<ExportChannel>([
          ['electronic_transmission', 6],
          ['oral', 1],
          ['physical', 1],
        ]);
  const intendedEndUse = rng.pick(book.templates[itemIdx[0]!]!.endUses);

  // Outcome, before the timeline is cut at the reference date.
  const securityUser = SECURITY_END_USERS.includes(endUser.partyType);
  const embargoed = destination.scrutiny === 'embargoed';
  let pDeny = DENIAL_BASE[destination.scrutiny];
  if (!embargoed && surveillance) pDeny = Math.min(0.6, pDeny * (securityUser ? 3 : 1.5));
  let outcome: DecisionOutcome | 'withdrawn' = rng.chance(pDeny)
    ? 'denied'
    : rng.chance((surveillance ? CONDITIONS_SURVEILLANCE : CONDITIONS_OTHER)[destination.scrutiny])
      ? 'granted_with_conditions'
      : 'granted';
  if (licenceType === 'eu_general_registration') outcome = 'granted';
  else if (rng.chance(outcome === 'denied' ? 0.3 : 0.035)) outcome = 'withdrawn';

  // Timeline.
  type Step = { to: ApplicationStatus; at: number; reason: string };
  const steps: Step[] = [{ to: 'draft', at: createdMs, reason: 'Application created (synthetic).' }];
  let t = createdMs + rng.logNormal(2, 1) * DAY_MS;
  steps.push({ to: 'submitted', at: t, reason: 'Submitted by the exporter.' });
  if (licenceType === 'eu_general_registration') {
    t += rng.logNormal(2, 0.5) * DAY_MS;
  } else {
    t += (0.5 + rng.next01() * 6.5) * DAY_MS;
    steps.push({ to: 'in_assessment', at: t, reason: 'Assigned to a licensing officer.' });
    if (rng.chance(surveillance ? 0.35 : 0.15)) {
      t += (3 + rng.next01() * 17) * DAY_MS;
      steps.push({
        to: 'information_requested',
        at: t,
        reason: 'End-use statement and technical details requested.',
      });
      t += rng.logNormal(12, 0.6) * DAY_MS;
      steps.push({ to: 'in_assessment', at: t, reason: 'Exporter answered the request for information.' });
    }
    if (rng.chance(surveillance && destination.scrutiny !== 'standard' ? 0.25 : 0.04)) {
      t += (2 + rng.next01() * 8) * DAY_MS;
      steps.push({ to: 'in_consultation', at: t, reason: 'Other Member States consulted.' });
      t += (10 + rng.next01() * 30) * DAY_MS;
      steps.push({ to: 'in_assessment', at: t, reason: 'Consultation closed.' });
    }
    t += rng.logNormal(surveillance ? 35 : 15, 0.6) * DAY_MS;
  }
  const decisionMs = t;
  if (outcome === 'withdrawn') {
    const from = steps[1]!.at;
    const withdrawnMs = from + (0.05 + 0.9 * rng.next01()) * (decisionMs - from);
    while (steps[steps.length - 1]!.at >= withdrawnMs) steps.pop();
    steps.push({ to: 'withdrawn', at: withdrawnMs, reason: 'Withdrawn by the exporter.' });
  } else {
    steps.push({ to: outcome, at: decisionMs, reason: 'Decision recorded (synthetic).' });
  }
  const kept = steps.filter((s) => s.at <= refMs);
  const transitions: SyntheticTransition[] = kept.map((s, k) => ({
    fromStatus: k === 0 ? null : kept[k - 1]!.to,
    toStatus: s.to,
    at: new Date(Math.floor(s.at)),
    reason: s.reason,
  }));
  const last = transitions[transitions.length - 1]!;
  const status = last.toStatus;
  const submittedAt = transitions[1]?.at ?? null;
  const decided = status === 'granted' || status === 'granted_with_conditions' || status === 'denied';

  let decision: SyntheticDecision | null = null;
  let licence: SyntheticLicence | null = null;
  if (decided) {
    decision = makeDecision(
      rng,
      `${seed}:decision:${i}`,
      status,
      last.at,
      destination,
      surveillance,
      endUser.partyType,
    );
    if (status !== 'denied')
      licence = makeLicence(rng, `${seed}:licence:${i}`, reference, licenceType, last.at.getTime(), refMs);
  }
  return {
    id: deriveUuid(`${seed}:application:${i}`),
    reference,
    organisationId: book.exporter.id,
    licenceType,
    destinationCountry: destination.code,
    intendedEndUse,
    exportChannel,
    status,
    submittedAt,
    decidedAt: decided ? last.at : null,
    totalValueEur,
    createdAt: transitions[0]!.at,
    updatedAt: last.at,
    lines,
    parties,
    transitions,
    decision,
    licence,
  };
}

function makeDecision(
  rng: Rng,
  key: string,
  outcome: DecisionOutcome,
  decidedAt: Date,
  destination: Destination,
  surveillance: boolean,
  endUserType: PartyType,
): SyntheticDecision {
  const legalBasis = ['Regulation (EU) 2021/821, Art. 12', 'Regulation (EU) 2021/821, Art. 15'];
  const criteria: SyntheticCriterion[] = [];
  let reasons: string;
  const embargo = EMBARGO_BASIS[destination.code];
  if (outcome === 'denied' && embargo) {
    legalBasis.push(embargo);
    criteria.push({
      criterion: 'Restrictive measures in force',
      finding: `Export of dual-use items to ${destination.code} is prohibited.`,
    });
    reasons = `Synthetic decision: denied, the export is prohibited by ${embargo}.`;
  } else if (outcome === 'denied') {
    const humanRights = surveillance && SECURITY_END_USERS.includes(endUserType);
    legalBasis.push(
      humanRights
        ? 'Council Common Position 2008/944/CFSP, Criterion 2'
        : 'Council Common Position 2008/944/CFSP, Criterion 7',
    );
    criteria.push(
      humanRights
        ? {
            criterion: 'Criterion 2: respect for human rights',
            finding:
              'Clear risk that the items might be used for internal repression or serious violations of human rights.',
          }
        : {
            criterion: 'Criterion 7: risk of diversion',
            finding: 'Risk that the items will be diverted to an undesirable end user or end use.',
          },
    );
    reasons = `Synthetic decision: denied. ${criteria[0]!.finding}`;
  } else {
    criteria.push({
      criterion: 'Criterion 2: respect for human rights',
      finding: 'No clear risk identified on the information available.',
    });
    reasons =
      outcome === 'granted'
        ? 'Synthetic decision: granted; no clear risk identified.'
        : 'Synthetic decision: granted subject to conditions that mitigate the risks identified.';
  }
  const conditions =
    outcome === 'granted_with_conditions' ? rng.sample(LICENCE_CONDITIONS, rng.int(1, 3)) : [];
  return { id: deriveUuid(key), outcome, legalBasis, reasons, conditions, criteria, decidedAt };
}

function makeLicence(
  rng: Rng,
  key: string,
  reference: string,
  licenceType: LicenceType,
  decidedMs: number,
  refMs: number,
): SyntheticLicence {
  const from = new Date(decidedMs);
  const years = licenceType === 'large_project' ? 4 : 2;
  const untilMs = Date.UTC(from.getUTCFullYear() + years, from.getUTCMonth(), from.getUTCDate()) - DAY_MS;
  let status: LicenceStatus = 'active';
  if (untilMs < refMs) status = 'expired';
  else if (licenceType === 'individual' && refMs - decidedMs > 180 * DAY_MS && rng.chance(0.2))
    status = 'exhausted';
  else if (rng.chance(0.005)) status = 'suspended';
  else if (rng.chance(0.003)) status = 'revoked';
  return {
    id: deriveUuid(key),
    licenceNumber: `${reference}/L`,
    licenceType,
    status,
    validFrom: isoDate(decidedMs),
    validUntil: isoDate(untilMs),
  };
}
