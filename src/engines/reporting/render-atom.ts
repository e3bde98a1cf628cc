/** The Atom feed (RFC 4287) of an instance's publications: one entry per report revision, with stable URLs. */
import type { PublicationRevision } from './report-revision.ts';
import { buildFeedUrl, buildReportUrls } from './stable-urls.ts';
import { escapeXml as esc } from './svg-charts.ts';

export interface FeedOptions {
  baseUrl: string;
  title: string;
  /** Name of the publishing authority or instance operator. */
  author: string;
}

/**
 * Renders the feed, newest first. `updated` is the latest publication (no clock).
 * @example renderAtomFeed(revisions, { baseUrl: 'https://exports.example.eu', title: 'Reports', author: 'Authority' })
 */
export function renderAtomFeed(revisions: readonly PublicationRevision[], options: FeedOptions): string {
  const sorted = [...revisions].sort((a, b) =>
    a.publishedAt !== b.publishedAt
      ? a.publishedAt < b.publishedAt
        ? 1
        : -1
      : a.reportId < b.reportId
        ? 1
        : a.reportId > b.reportId
          ? -1
          : b.revision - a.revision,
  );
  const feedUrl = buildFeedUrl(options.baseUrl);
  const updated = sorted[0]?.publishedAt ?? '1970-01-01T00:00:00Z';
  const entries = sorted
    .map((r) => {
      const urls = buildReportUrls(options.baseUrl, r.authorityId, r.periodId, r.revision);
      const title = `${r.authorityName}: transparency report ${r.periodId}${r.revision > 1 ? ` (revision ${r.revision})` : ''}`;
      const summary = `${r.summary}${r.note ? ` Correction: ${r.note}` : ''}`;
      return (
        `<entry><id>${esc(urls.revision)}</id><title>${esc(title)}</title><updated>${esc(r.publishedAt)}</updated>` +
        `<published>${esc(r.publishedAt)}</published>` +
        `<link rel="alternate" type="text/html" href="${esc(urls.file('report.html'))}"/>` +
        `<link rel="enclosure" type="application/json" href="${esc(urls.file('report.json'))}"/>` +
        `<link rel="enclosure" type="application/json" title="datapackage" href="${esc(urls.file('datapackage.json'))}"/>` +
        `<summary>${esc(summary)}</summary><content-sha256 xmlns="urn:custos:feed">${esc(r.contentSha256)}</content-sha256></entry>`
      );
    })
    .join('\n');
  return (
    '<?xml version="1.0" encoding="utf-8"?>\n' +
    `<feed xmlns="http://www.w3.org/2005/Atom"><id>${esc(feedUrl)}</id><title>${esc(options.title)}</title>` +
    `<updated>${esc(updated)}</updated><author><name>${esc(options.author)}</name></author>` +
    `<link rel="self" type="application/atom+xml" href="${esc(feedUrl)}"/>\n${entries}\n</feed>\n`
  );
}
