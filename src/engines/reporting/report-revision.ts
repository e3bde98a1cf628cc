/**
 * Report revisions: a published report is immutable; a correction is a new revision with a note. Publishing the
 * same content again is idempotent. The lead's service stores the revisions; this module decides.
 */
import { createHash } from 'node:crypto';
import { DomainError } from '../../domain/errors.ts';
import type { TransparencyReport } from './report-model.ts';

export interface PublicationRevision {
  /** `<authorityId>/<periodId>` */
  reportId: string;
  authorityId: string;
  authorityName: string;
  periodId: string;
  /** 1, 2, ... */
  revision: number;
  publishedAt: string;
  /** Required from revision 2: what was corrected and why. */
  note: string | null;
  /** Digest of the content (see `digestReportContent`). */
  contentSha256: string;
  /** Digest of the revision this one corrects. */
  supersedesSha256: string | null;
  /** One-line public summary for the feed. */
  summary: string;
}

export type PublicationPlan =
  | { action: 'publish'; revision: PublicationRevision }
  | { action: 'unchanged'; revision: PublicationRevision; reason: string };

/**
 * SHA-256 of the report's content, ignoring the publication time and revision metadata, so that rebuilding the same
 * data gives the same digest.
 * @example digestReportContent(report) // '3f0a…' (64 hex digits)
 */
export function digestReportContent(report: TransparencyReport): string {
  const { publishedAt: _p, revision: _r, ...content } = report;
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

/**
 * Decides what publishing `report` means given the revisions already published for its period: nothing (same
 * content: idempotent), revision 1, or revision n+1, which needs a correction note (CONFLICT without one).
 * @example planPublication([], report, null) // { action: 'publish', revision: { revision: 1, ... } }
 */
export function planPublication(
  existing: readonly PublicationRevision[],
  report: TransparencyReport,
  note: string | null,
): PublicationPlan {
  const mine = existing.filter((r) => r.reportId === report.reportId).sort((a, b) => a.revision - b.revision);
  const latest = mine.at(-1);
  const contentSha256 = digestReportContent(report);
  if (latest && latest.contentSha256 === contentSha256) {
    return {
      action: 'unchanged',
      revision: latest,
      reason: `Revision ${latest.revision} already has this content; nothing to publish.`,
    };
  }
  const trimmed = note?.trim() ?? '';
  if (latest && trimmed === '') {
    throw new DomainError(
      'CONFLICT',
      `Report ${report.reportId} revision ${latest.revision} is published and immutable; publishing different content needs a correction note.`,
      { issues: [{ path: 'note', message: 'a correction note is required for a new revision' }] },
    );
  }
  if (latest && latest.publishedAt > report.publishedAt) {
    throw new DomainError(
      'CONFLICT',
      `Report ${report.reportId}: the new revision cannot predate revision ${latest.revision} (${latest.publishedAt}).`,
    );
  }
  return {
    action: 'publish',
    revision: {
      reportId: report.reportId,
      authorityId: report.authority.id,
      authorityName: report.authority.name,
      periodId: report.period.id,
      revision: (latest?.revision ?? 0) + 1,
      publishedAt: report.publishedAt,
      note: latest ? trimmed : trimmed === '' ? null : trimmed,
      contentSha256,
      supersedesSha256: latest?.contentSha256 ?? null,
      summary:
        report.summary.cyberSurveillanceApplications === null
          ? `${report.summary.applications} applications.`
          : `${report.summary.applications} applications, ${report.summary.cyberSurveillanceApplications} with cyber-surveillance items.`,
    },
  };
}
