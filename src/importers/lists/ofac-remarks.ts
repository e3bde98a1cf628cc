/** Extracts facts from OFAC remarks ("DOB 05 Feb 1961; POB Tehran, Iran; Passport A123 (Iran); a.k.a. 'X'"). */
import type { WatchlistIdentifier } from '../../domain/watchlist.ts';
import { toCountryCode } from './country-names.ts';
import { pushUnique, toIdentifierType, toIsoDate, yearRange } from './entry-values.ts';

export interface OfacRemarkFacts {
  birthDates: string[];
  /** Nationality, citizenship and place-of-birth countries (ISO alpha-2). */
  countries: string[];
  identifiers: WatchlistIdentifier[];
  /** Weak aliases: OFAC's legacy files carry low-quality a.k.a.s in the remarks only. */
  weakAliases: string[];
  /** Country names or labels that were seen but not understood. */
  unknownCountries: string[];
}

/** Labels of identity documents and registration numbers, longest first so that "alt. Passport" etc. match. */
const ID_LABELS = [
  'Vessel Registration Identification',
  'Unified Social Credit Code (USCC)',
  'Unified Social Credit Code',
  'Business Registration Number',
  'Commercial Registry Number',
  'Registration Number',
  'Registration ID',
  'Identification Number',
  'National ID No.',
  'National Foreign ID Number',
  'Personal ID Card',
  'Diplomatic Passport',
  'Passport',
  'Cedula No.',
  'Tax ID No.',
  'NIT #',
  'RUC #',
  'D.N.I.',
  'C.U.R.P. #',
  'C.U.I.T.',
  'R.F.C.',
  'SSN',
  'SWIFT/BIC',
  'MMSI',
  'Company Number',
  'UK Company Number',
  'Legal Entity Number',
  'Folio Mercantil No.',
  'Matricula Mercantil No',
  'Trade License No.',
  'Public Security and Immigration No.',
  'Residency Number',
  'Birth Certificate Number',
  "Driver's License No.",
  'Aircraft Tail Number',
  'Aircraft Manufacturer\u2019s Serial Number (MSN)',
  "Aircraft Manufacturer's Serial Number (MSN)",
  'Aircraft Construction Number (also called L/N or S/N or F/N)',
  'D-U-N-S Number',
  'Kenyan ID No.',
  'Chamber of Commerce Number',
  'Certificate of Incorporation Number',
].sort((a, b) => b.length - a.length);

function identifierType(label: string): string {
  if (label === 'MMSI') return 'mmsi';
  if (label === 'Vessel Registration Identification') return 'imo';
  if (label.startsWith('Aircraft')) return 'aircraft';
  if (/^(RUC|NIT|C\.U\.I\.T\.|R\.F\.C\.)/.test(label)) return 'tax_id';
  if (/^(D\.N\.I\.|C\.U\.R\.P\.|Kenyan ID)/.test(label)) return 'national_id';
  if (
    /Unified Social Credit|Folio Mercantil|Matricula Mercantil|Legal Entity|Company Number|Chamber/.test(
      label,
    )
  ) {
    return 'registration';
  }
  return toIdentifierType(label);
}

/** Dates of "DOB 05 Feb 1961", "DOB circa 1960", "DOB 1958 to 1960", "DOB Feb 1961". */
export function birthDatesOf(text: string): string[] {
  const t = text.replace(/^circa\s+/i, '').trim();
  const range = /^(\d{4}) to (\d{4})$/.exec(t);
  if (range) return yearRange(Number(range[1]), Number(range[2]));
  const parts = t.split(/\s+to\s+/);
  return parts.map((p) => toIsoDate(p.replace(/^circa\s+/i, ''))).filter((d): d is string => d !== undefined);
}

/** Splits OFAC remarks into facts. Remarks text itself is kept by the caller as published. */
export function extractOfacRemarkFacts(remarks: string | undefined): OfacRemarkFacts {
  const facts: OfacRemarkFacts = {
    birthDates: [],
    countries: [],
    identifiers: [],
    weakAliases: [],
    unknownCountries: [],
  };
  if (!remarks) return facts;
  const country = (name: string): void => {
    const code = toCountryCode(name);
    if (code) pushUnique(facts.countries, code);
    else pushUnique(facts.unknownCountries, name);
  };
  for (const raw of remarks.split(';')) {
    const seg = raw
      .trim()
      .replace(/\.$/, '')
      .replace(/^alt\.\s+/, '');
    if (seg === '') continue;
    let m = /^[afn]\.k\.a\.,?\s+'(.+)'$/.exec(seg);
    if (m) {
      pushUnique(facts.weakAliases, m[1]);
      continue;
    }
    m = /^DOB\s+(.+)$/.exec(seg);
    if (m) {
      for (const d of birthDatesOf(m[1]!)) pushUnique(facts.birthDates, d);
      continue;
    }
    m = /^Organization Established Date\s+(.+)$/.exec(seg);
    if (m) {
      for (const d of birthDatesOf(m[1]!)) pushUnique(facts.birthDates, d);
      continue;
    }
    m = /^(?:nationality|citizen|Nationality of Registration)\s+(.+)$/.exec(seg);
    if (m) {
      country(m[1]!);
      continue;
    }
    m = /^POB\s+(.+)$/.exec(seg);
    if (m) {
      const last = m[1]!.split(',').pop()!.trim();
      const code = toCountryCode(last);
      if (code) pushUnique(facts.countries, code);
      continue;
    }
    const label = ID_LABELS.find((l) => seg.startsWith(`${l} `));
    if (label) {
      const rest = seg.slice(label.length + 1).trim();
      const idm = /^(.+?)(?:\s+\(([^)]*)\))?(?:,\s.*|\s+(?:issued|expires|Issue Date|Expire Date).*)?$/.exec(
        rest,
      );
      if (!idm) continue;
      // "R.F.C. # PMA-910805", "Passport OR801168 and Kuwaiti National ID No. 281020505755", "Passport issued in X"
      let value = idm[1]!
        .trim()
        .replace(/^#\s*/, '')
        .replace(/\s+and\s+.*$/, '');
      if (/^(issued|expires)\b/i.test(value)) continue;
      if (label === 'Vessel Registration Identification') value = value.replace(/^IMO\s+/, '');
      const issuer = idm[2] ? toCountryCode(idm[2]) : undefined;
      if (value !== '') {
        facts.identifiers.push({
          type: identifierType(label),
          value,
          ...(issuer ? { country: issuer } : {}),
        });
      }
    }
  }
  return facts;
}
