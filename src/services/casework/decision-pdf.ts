/**
 * The reasoned decision as PDF (pdfkit, standard Helvetica, A4), printed from the same DecisionForDocument as the
 * HTML document: outcome, items, end users, legal basis, criteria, reasons, conditions, evidence, rights.
 * Creation date is the decision date, so the same decision gives the same bytes.
 */
import { openPdf } from '../../engines/reporting/pdf-document.ts';
import type { DecisionForDocument } from '../../domain/workflow.ts';

/** Helvetica (WinAnsi) cannot show every character: keep Latin-1 and replace the rest visibly. */
const latin = (s: string): string =>
  s.replace(/[€]/g, 'EUR ').replace(/[^\u0020-\u007e\u00a0-\u00ff\n]/g, '?');

const OUTCOME_TEXT = {
  granted: 'Granted',
  granted_with_conditions: 'Granted with conditions',
  denied: 'Refused',
} as const;

export function renderDecisionPdf(
  d: DecisionForDocument,
  options: { compress?: boolean } = {},
): Promise<Uint8Array> {
  const created = new Date(`${d.decidedOn}T00:00:00Z`);
  const { doc, width, bytes } = openPdf({
    title: latin(`Decision ${d.reference} on application ${d.applicationReference}`),
    author: latin(d.authority.name),
    subject: 'Decision on an export authorisation application (Reg. (EU) 2021/821)',
    created,
    compress: options.compress,
  });
  const line = (text: string, opts: { size?: number; bold?: boolean } = {}) =>
    doc
      .font(opts.bold ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(opts.size ?? 10)
      .text(latin(text), { width });
  const heading = (text: string) => {
    doc.moveDown(0.6);
    line(text, { size: 13, bold: true });
    doc.moveDown(0.2);
  };
  const list = (items: readonly string[]) => {
    if (items.length === 0) line('None.');
    items.forEach((x, i) => line(`${i + 1}. ${x}`));
  };
  line(d.authority.name, { bold: true });
  line(`${d.authority.address}, ${d.authority.country}`);
  doc.moveDown(0.5);
  line('Decision on an export authorisation application', { size: 16, bold: true });
  line(`Reference: ${d.reference}`);
  line(`Application: ${d.applicationReference}`);
  line(`Decided on: ${d.decidedOn}`);
  line(`Applicant: ${d.applicant.name}, ${d.applicant.address}`);
  line(`Licence type: ${d.licenceType}`);
  line(`Destination: ${d.destinationCountry}`);
  line(`Outcome: ${OUTCOME_TEXT[d.outcome]}`, { bold: true });
  if (d.outcome !== 'denied' && d.validUntil) line(`Valid until: ${d.validUntil}`);
  heading('Items');
  for (const i of d.items)
    line(
      `${i.description} | ${i.controlEntries.length ? i.controlEntries.join(', ') : 'not listed'} | ${i.quantity ?? ''}`,
    );
  heading('End users');
  for (const u of d.endUsers) line(`${u.name} (${u.country})`);
  heading('Legal basis');
  for (const b of d.legalBasis) line(`${b.citation}: ${b.text}`);
  heading('Criteria considered');
  if (d.criteria.length === 0) line('None.');
  for (const c of d.criteria)
    line(
      `${c.code}: ${c.title}. ${c.finding} (${c.weighsAgainst ? 'weighs against granting' : 'weighs for granting'})`,
    );
  heading('Reasons');
  list(d.reasons);
  if (d.outcome === 'granted_with_conditions' || d.conditions.length > 0) {
    heading('Conditions');
    list(d.conditions);
  }
  heading('Evidence relied on');
  if (d.evidence.length === 0) line('None.');
  for (const x of d.evidence) line(`${x.id}: ${x.title} (${x.source}${x.date ? `, ${x.date}` : ''})`);
  heading('Your rights');
  line(
    `You may appeal to ${d.rights.appealBody} within ${d.rights.appealDeadlineDays} ${d.rights.appealDeadlineKind === 'working' ? 'working ' : ''}days of notification.`,
  );
  line(d.rights.howTo);
  if (d.unverifiedNotes?.length) {
    heading('Rules not yet verified against the official text');
    list(d.unverifiedNotes);
  }
  doc.moveDown(1);
  line(`Officer: ${d.officer.name}, ${d.officer.role}`);
  doc.end();
  return bytes;
}
