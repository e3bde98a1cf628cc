/** Small value helpers shared by the list importers: scripts, dates, identifier types, de-duplicated pushes. */

const SCRIPTS: [string, RegExp][] = [
  ['Arab', /\p{Script=Arabic}/u],
  ['Cyrl', /\p{Script=Cyrillic}/u],
  ['Grek', /\p{Script=Greek}/u],
  ['Hani', /\p{Script=Han}/u],
  ['Hang', /\p{Script=Hangul}/u],
  ['Hebr', /\p{Script=Hebrew}/u],
  ['Thai', /\p{Script=Thai}/u],
  ['Geor', /\p{Script=Georgian}/u],
  ['Armn', /\p{Script=Armenian}/u],
  ['Jpan', /[\p{Script=Hiragana}\p{Script=Katakana}]/u],
  ['Ethi', /\p{Script=Ethiopic}/u],
  ['Deva', /\p{Script=Devanagari}/u],
  ['Mymr', /\p{Script=Myanmar}/u],
];

/** ISO 15924 code of the first non-Latin script in `name`, or undefined for Latin/ASCII names. */
export function detectScript(name: string): string | undefined {
  for (const [code, re] of SCRIPTS) if (re.test(name)) return code;
  return undefined;
}

const MONTHS: Record<string, string> = {
  jan: '01',
  feb: '02',
  mar: '03',
  apr: '04',
  may: '05',
  jun: '06',
  jul: '07',
  aug: '08',
  sep: '09',
  oct: '10',
  nov: '11',
  dec: '12',
};

/**
 * An ISO date (YYYY, YYYY-MM or YYYY-MM-DD) from the spellings lists use: 1971-05-02, 02/05/1971 (day first,
 * unless `monthFirst` as in US publications), 02 May 1971, May 1971, 1971, 1971-05-02T00:00:00. Undefined when
 * not a date.
 */
export function toIsoDate(value: string | undefined | null, monthFirst = false): string | undefined {
  if (!value) return undefined;
  const v = value.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(v);
  if (m) return valid(m[1]!, m[2]!, m[3]!);
  m = /^(\d{4})-(\d{2})$/.exec(v);
  if (m) return valid(m[1]!, m[2]!);
  m = /^(\d{4})$/.exec(v);
  if (m) return m[1];
  m = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(v);
  if (m) {
    const [day, month] = monthFirst ? [m[2]!, m[1]!] : [m[1]!, m[2]!];
    return valid(m[3]!, month.padStart(2, '0'), day.padStart(2, '0'));
  }
  m = /^(\d{1,2})[ -]([A-Za-z]{3})[A-Za-z]*\.?[ -,]*(\d{4})$/.exec(v);
  if (m && MONTHS[m[2]!.toLowerCase()])
    return valid(m[3]!, MONTHS[m[2]!.toLowerCase()]!, m[1]!.padStart(2, '0'));
  m = /^([A-Za-z]{3})[A-Za-z]*\.? (\d{4})$/.exec(v);
  if (m && MONTHS[m[1]!.toLowerCase()]) return valid(m[2]!, MONTHS[m[1]!.toLowerCase()]!);
  return undefined;
}

function valid(y: string, mo: string, d?: string): string | undefined {
  const month = Number(mo);
  if (month < 1 || month > 12) return undefined;
  if (d === undefined) return `${y}-${mo}`;
  const day = Number(d);
  const last = new Date(Date.UTC(Number(y), month, 0)).getUTCDate();
  if (day < 1 || day > last) return undefined;
  return `${y}-${mo}-${d}`;
}

/** Years from..to inclusive as YYYY strings, at most 30 (longer ranges keep only their ends). */
export function yearRange(from: number, to: number): string[] {
  if (!Number.isInteger(from) || !Number.isInteger(to) || to < from) return [];
  if (to - from > 30) return [String(from), String(to)];
  const out: string[] = [];
  for (let y = from; y <= to; y++) out.push(String(y));
  return out;
}

/** Canonical identifier type of a publisher's document label ("Passport", "National ID No.", "Tax ID No."...). */
export function toIdentifierType(label: string): string {
  const l = label.toLowerCase();
  if (/passport|pasaporte|passeport|reisepass/.test(l)) return 'passport';
  if (/national (id|identification|identity)|identity card|cedula|c[eé]dula|\bnid\b|personal id/.test(l)) {
    return 'national_id';
  }
  if (/\bimo\b|vessel registration/.test(l)) return 'imo';
  if (/tax|\binn\b|\bvat\b|\btin\b|\bnit\b|\brfc\b|\bkpp\b|\bruc\b/.test(l)) return 'tax_id';
  if (
    /registration|business number|company number|ogrn|registry|commercial|credit code|legal entity number|\blei\b/.test(
      l,
    )
  ) {
    return 'registration';
  }
  if (/swift|bic\b/.test(l)) return 'swift';
  if (/driver/.test(l)) return 'driver_licence';
  if (/social security|ssn/.test(l)) return 'social_security';
  return 'other';
}

/** Pushes `value` when it is non-empty and not yet present. */
export function pushUnique(into: string[], value: string | undefined | null): void {
  if (value === undefined || value === null) return;
  const v = value.trim();
  if (v !== '' && !into.includes(v)) into.push(v);
}

/** Collapses whitespace; undefined for empty strings. */
export function clean(value: string | undefined | null): string | undefined {
  if (value === undefined || value === null) return undefined;
  const v = value.replace(/\s+/g, ' ').trim();
  return v === '' ? undefined : v;
}
