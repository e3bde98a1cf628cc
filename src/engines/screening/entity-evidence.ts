/** Evidence beyond the name: identifiers, country, date of birth and schema, each an explained score adjustment. */
import type { WatchlistEntry } from '../../domain/watchlist.ts';
import type { EvidenceAdjustment, ScreeningQuery } from './types.ts';

const normaliseId = (v: string): string => v.toUpperCase().replace(/[^A-Z0-9]/g, '');

/**
 * Adjustments of a name score from what else the query says about the party.
 * @example weighEvidence({ name: 'x', birthDate: '1970' }, entryBornIn1952).map((e) => e.feature) // ['birth-year-mismatch']
 */
export function weighEvidence(
  query: ScreeningQuery,
  entry: WatchlistEntry,
  weakAlias: boolean,
): EvidenceAdjustment[] {
  const out: EvidenceAdjustment[] = [];
  if (weakAlias)
    out.push({
      feature: 'weak-alias',
      delta: -0.05,
      detail: 'the alias is marked low quality by the publisher',
    });
  if (query.identifiers?.length && entry.identifiers.length) {
    const listed = new Set(entry.identifiers.map((i) => normaliseId(i.value)).filter((v) => v.length >= 4));
    const hit = query.identifiers.find((i) => listed.has(normaliseId(i.value)));
    if (hit) out.push({ feature: 'identifier-match', delta: 0.3, detail: `${hit.type} ${hit.value}` });
  }
  if (query.schema && query.schema !== entry.schema) {
    const qp = query.schema === 'Person';
    const ep = entry.schema === 'Person';
    if (qp !== ep)
      out.push({ feature: 'schema-mismatch', delta: -0.2, detail: `${query.schema} vs ${entry.schema}` });
  }
  if (query.country && entry.countries.length) {
    const c = query.country.toUpperCase();
    if (entry.countries.some((x) => x.toUpperCase() === c))
      out.push({ feature: 'country-match', delta: 0.02, detail: c });
    else
      out.push({ feature: 'country-mismatch', delta: -0.08, detail: `${c} vs ${entry.countries.join(',')}` });
  }
  if (
    query.birthDate &&
    entry.birthDates.length &&
    (entry.schema === 'Person' || query.schema === 'Person')
  ) {
    const q = query.birthDate;
    const qy = Number(q.slice(0, 4));
    const years = entry.birthDates.map((d) => Number(d.slice(0, 4))).filter((y) => Number.isFinite(y));
    if (years.length && Number.isFinite(qy)) {
      const exact = entry.birthDates.some((d) => d.length === 10 && q.length === 10 && d === q);
      const sameYear = years.some((y) => Math.abs(y - qy) <= 1);
      const fullConflict = q.length === 10 && entry.birthDates.every((d) => d.length === 10 && d !== q);
      if (exact) out.push({ feature: 'birth-date-match', delta: 0.05, detail: q });
      else if (!sameYear)
        out.push({
          feature: 'birth-year-mismatch',
          delta: -0.2,
          detail: `${q} vs ${entry.birthDates.join(',')}`,
        });
      else if (fullConflict)
        out.push({
          feature: 'birth-day-mismatch',
          delta: -0.1,
          detail: `${q} vs ${entry.birthDates.join(',')}`,
        });
    }
  }
  return out;
}
