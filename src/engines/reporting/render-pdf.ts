/**
 * The PDF report (pdfkit, standard Helvetica, A4): summary, tables, trend and the first register rows. Creation date
 * and document ID are fixed from the report's publication time, so the same report gives the same bytes.
 * pdfkit reads its own bundled font metrics from node_modules; it does no other I/O and reads no clock we rely on.
 */
import { openPdf } from './pdf-document.ts';
import type { RegisterSource } from './register-blocks.ts';
import type { AggregateTable, ReportShell } from './report-model.ts';
import { TABLE_IDS } from './report-model.ts';

export interface PdfOptions {
  /** At most this many register rows; the full register is in the open-data files. */
  maxRegisterRows: number;
  /** false for tests that read the content streams; true (default) in production. */
  compress?: boolean;
}

/** Helvetica (WinAnsi) cannot show every character: keep Latin-1 and replace the rest visibly. */
const latin = (s: string): string => s.replace(/[€]/g, 'EUR ').replace(/[^\u0020-\u007e\u00a0-\u00ff]/g, '?');
const eur = (v: number | null): string => (v === null ? 'n/p' : v.toFixed(2));
const int = (v: number | null): string => (v === null ? 'n/p' : String(v));

/**
 * Renders the report as PDF bytes.
 * @example const bytes = await renderPdf(report, { maxRegisterRows: 200 });
 */
export function renderPdf(
  report: ReportShell,
  register: RegisterSource,
  options: PdfOptions,
): Promise<Uint8Array> {
  const created = new Date(report.publishedAt);
  const { doc, width, bytes } = openPdf({
    title: latin(
      `${report.authority.name}: transparency report ${report.period.id} (revision ${report.revision.number})`,
    ),
    author: latin(report.authority.name),
    subject: 'Export licensing transparency report (Reg. (EU) 2021/821 Art. 26(2))',
    created,
    compress: options.compress,
  });
  const line = (text: string, opts: { size?: number; bold?: boolean } = {}) => {
    doc
      .font(opts.bold ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(opts.size ?? 9)
      .text(latin(text), { width });
  };
  const heading = (text: string) => {
    doc.moveDown(0.6);
    line(text, { size: 13, bold: true });
    doc.moveDown(0.2);
  };
  const table = (t: AggregateTable) => {
    heading(t.title);
    if (t.suppressed) {
      line(t.reasons.join(' '));
      return;
    }
    line(`Unit: ${t.unit}.`);
    line([...t.dimensions, 'applications', 'value EUR'].join(' | '), { bold: true });
    const max = Math.max(1, ...t.rows.map((r) => r.applications));
    for (const r of t.rows) {
      const y = doc.y;
      line(`${r.key[0] === '_other' ? r.label : r.key.join(' | ')} | ${r.applications} | ${eur(r.valueEur)}`);
      doc
        .rect(doc.page.width - 150, y + 1, (100 * r.applications) / max, 6)
        .fill('#1d70b8')
        .fillColor('#000000');
    }
    line(`Total | ${int(t.total.applications)} | ${eur(t.total.valueEur)}`, { bold: true });
    if (t.reasons.length > 0) line(t.reasons.join(' '));
  };

  line(`${report.authority.name}: export licensing transparency report, ${report.period.id}`, {
    size: 16,
    bold: true,
  });
  line(
    `Period ${report.period.startOn} to ${report.period.endOn}. Published ${report.publishedAt}. Revision ${report.revision.number}.`,
  );
  if (report.revision.note) line(`Correction: ${report.revision.note}`);
  heading('Summary');
  line(`Applications published: ${report.summary.applications}`);
  line(`Total value (EUR): ${eur(report.summary.valueEur)}`);
  line(`With cyber-surveillance items: ${int(report.summary.cyberSurveillanceApplications)}`);
  line(`Not yet published (delay): ${report.summary.withheldByDelay}`);
  line(`Redaction policy: ${report.policy.id} ${report.policy.version}`);
  for (const id of TABLE_IDS) table(report.tables[id]);
  heading('Trend against earlier periods');
  line('period | applications | value EUR | cyber-surveillance | denied', { bold: true });
  for (const t of report.trends)
    line(
      `${t.period} | ${int(t.applications)} | ${eur(t.valueEur)} | ${int(t.cyberSurveillanceApplications)} | ${int(t.denied)}`,
    );
  heading('Register of applications');
  const rows = register.head(options.maxRegisterRows);
  if (rows.length < register.length)
    line(`First ${rows.length} of ${register.length} applications; the full register is in register.csv.`);
  for (const r of rows) {
    const items = r.items
      .map(
        (i) =>
          `${i.description ?? 'n/p'}${i.controlEntries?.length ? ` (${i.controlEntries.join(', ')})` : ''}`,
      )
      .join('; ');
    const endUsers = r.parties
      .filter((p) => p.role === 'end_user' || p.role === 'ultimate_end_user')
      .map((p) => [p.name, p.partyType, p.sector, p.country].filter((x) => x !== null).join(', '))
      .join('; ');
    line(
      `${r.reference ?? r.rowId} | received ${r.receivedOn ?? 'n/p'} | decided ${r.decidedOn ?? '-'} | ${r.destinationCountry ?? 'n/p'} | ${r.decision ?? 'n/p'} | EUR ${eur(r.totalValueEur)} | ${items} | end user: ${endUsers}`,
    );
  }
  heading('Notes');
  for (const n of report.notes) line(n);
  doc.end();
  return bytes;
}
