/**
 * Stable URLs of published reports. A revision's files never change once published; the period URL without a
 * revision always serves the latest revision.
 */
export interface ReportUrls {
  /** The latest revision of the period's report (redirect target chosen by the server). */
  latest: string;
  /** This revision; immutable. */
  revision: string;
  /** A file of this revision, e.g. `file('report.html')`. */
  file: (name: string) => string;
}

const trimSlash = (s: string): string => s.replace(/\/+$/, '');
const segment = (s: string): string => encodeURIComponent(s.toLowerCase());

/**
 * @example buildReportUrls('https://exports.example.eu', 'de-bafa', '2025-Q4', 2).file('report.json')
 * // 'https://exports.example.eu/reports/de-bafa/2025-q4/r2/report.json'
 */
export function buildReportUrls(
  baseUrl: string,
  authorityId: string,
  periodId: string,
  revision: number,
): ReportUrls {
  const latest = `${trimSlash(baseUrl)}/reports/${segment(authorityId)}/${segment(periodId)}/`;
  const rev = `${latest}r${revision}/`;
  return { latest, revision: rev, file: (name) => `${rev}${encodeURIComponent(name)}` };
}

/** The Atom feed of all publications of an instance. */
export const buildFeedUrl = (baseUrl: string): string => `${trimSlash(baseUrl)}/reports/feed.atom`;
