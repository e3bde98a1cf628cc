/**
 * The assessment memo as PDF (pdfkit, Helvetica, A4), in the style of the transparency report: recommendation,
 * prohibitions, criteria 2 and 7, findings per Charter right with their sources, conditions, unknowns, the
 * unverified rules relied on, and the versions that make the assessment reproducible. The creation date is passed
 * in (the stored assessment's time), so the same assessment gives the same bytes.
 */
import { openPdf } from '../reporting/pdf-document.ts';
import type { Assessment, SourceRef } from '../../domain/assessment.ts';

/** Helvetica (WinAnsi) cannot show every character: keep Latin-1 and replace the rest visibly. */
const latin = (s: string): string =>
  s
    .replace(/[€]/g, 'EUR ')
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[–—]/g, '-')
    .replace(/[^\u0020-\u007e\u00a0-\u00ff]/g, '?');

const cite = (s: SourceRef): string =>
  `${s.label}${s.citation && s.citation !== s.label ? ` (${s.citation})` : ''}${s.verified === false ? ' [unverified]' : ''}`;

export interface MemoPdfOptions {
  /** ISO time the assessment was stored: the PDF's creation date. */
  createdAt: string;
  /** Who ran it and which revision, printed in the header. */
  header: string;
  compress?: boolean;
}

/**
 * Render an assessment as PDF bytes.
 * @example const bytes = await renderAssessmentMemoPdf(a, { createdAt: '2026-11-29T22:00:00Z', header: 'CUS-2026-000001 rev. 1' });
 */
export function renderAssessmentMemoPdf(a: Assessment, options: MemoPdfOptions): Promise<Uint8Array> {
  const { doc, width, bytes } = openPdf({
    title: latin(`Human-rights assessment memo: ${a.applicationId}`),
    author: 'Custos',
    subject: 'Assessment under Reg. (EU) 2021/821 Art. 15, Common Position 2008/944/CFSP and the EU Charter',
    created: new Date(options.createdAt),
    compress: options.compress,
  });
  const line = (text: string, opts: { size?: number; bold?: boolean; indent?: number } = {}) =>
    doc
      .font(opts.bold ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(opts.size ?? 9)
      .text(latin(text), 50 + (opts.indent ?? 0), undefined, { width: width - (opts.indent ?? 0) });
  const heading = (text: string) => {
    doc.moveDown(0.6);
    line(text, { size: 12, bold: true });
    doc.moveDown(0.2);
  };

  line(`Assessment memo: ${a.applicationId}`, { size: 16, bold: true });
  line(options.header);
  doc.moveDown(0.4);
  line(
    `Recommendation: ${a.recommendation.replace(/_/g, ' ').toUpperCase()} (confidence ${a.confidence}, ${a.confidence01.toFixed(2)})`,
    { size: 12, bold: true },
  );
  line(`Destination ${a.destination}; profile ${a.profile}.`);

  if (a.prohibitions.length) {
    heading('Prohibitions (law)');
    for (const p of a.prohibitions)
      line(
        `${p.measureId}${p.country ? ` (${p.country})` : ''}: ${p.legalActs.join('; ')}${p.verified ? '' : ' [unverified]'}`,
      );
  }
  heading('Common Position criteria');
  line(
    `Criterion 2 (internal repression): ${a.criterion2.level}${a.criterion2.clearRisk ? ', clear risk' : ''}${a.criterion2.specialCaution ? ', special caution' : ''}`,
  );
  for (const r of a.criterion2.reasons) line(`- ${r.text}`, { indent: 10 });
  line(`Criterion 7 (diversion): ${a.criterion7.level} (${a.criterion7.score01.toFixed(2)})`);
  for (const s of a.criterion7.signals) line(`- ${s}`, { indent: 10 });

  heading('Findings per Charter right');
  for (const r of a.rights) {
    line(
      `Art. ${r.article} ${r.title}: ${r.level}${r.score01 === null ? '' : ` (${r.score01.toFixed(2)})`}`,
      {
        bold: true,
      },
    );
    for (const reason of r.reasons) line(`- ${reason.text}`, { indent: 10 });
    const sources = [...r.indicators, ...r.evidence, ...r.standards];
    if (sources.length) line(`Sources: ${sources.map(cite).join('; ')}`, { indent: 10, size: 8 });
    if (r.safeguardGaps.length)
      line(
        `Safeguards absent or unknown: ${r.safeguardGaps.map((g) => `${g.criterion} (${g.value})`).join(', ')}`,
        {
          indent: 10,
          size: 8,
        },
      );
  }
  if (a.catchAll.length) {
    heading('Art. 5 catch-all');
    for (const c of a.catchAll) {
      line(`${c.itemId}: ${c.outcome.replace(/_/g, ' ')}${c.verified ? '' : ' [unverified]'}`);
      for (const r of c.reasons) line(`- ${r.text}`, { indent: 10, size: 8 });
    }
  }
  if (a.conditions.length) {
    heading('Conditions');
    for (const c of a.conditions) line(`- ${c.text}`);
  }
  if (a.informationNeeded.length) {
    heading('Information needed');
    for (const i of a.informationNeeded) line(`- ${i.text}`);
  }
  if (a.unknowns.length) {
    heading('Unknown (lowers confidence)');
    line(a.unknowns.join('; '), { size: 8 });
  }
  if (a.unverifiedRules.length) {
    heading('Unverified rules relied on');
    line(
      'These rules were written from working knowledge and are not yet checked against the official text.',
      {
        size: 8,
      },
    );
    for (const u of a.unverifiedRules) line(`- ${u}`, { size: 8 });
  }
  heading('Reproducibility');
  line(`Model ${a.modelVersion}; reference ${a.referenceVersion}; input ${a.inputHash}`, { size: 8 });
  doc.end();
  return bytes;
}
