/**
 * The pdfkit document every Custos PDF starts from (A4, 50pt margins, English, title shown), with its creation and
 * modification date fixed by the caller so the same input gives the same bytes, and its bytes collected in memory.
 * pdfkit reads its own bundled font metrics from node_modules; it does no other I/O and reads no clock we rely on.
 */
import PDFDocument from 'pdfkit';

export interface PdfDocumentInfo {
  /** Document title and author, already reduced to what Helvetica (WinAnsi) can show. */
  title: string;
  author: string;
  subject: string;
  /** Creation and modification date written into the file. */
  created: Date;
  /** false for tests that read the content streams; true (default) in production. */
  compress?: boolean | undefined;
}

export interface OpenPdf {
  doc: PDFKit.PDFDocument;
  /** Text width between the margins. */
  width: number;
  /** The finished file: resolves once the caller has called doc.end(). */
  bytes: Promise<Uint8Array>;
}

/**
 * Start a deterministic PDF.
 * @example const { doc, bytes } = openPdf({ title: 'T', author: 'A', subject: 'S', created: new Date(0) }); doc.text('x'); doc.end(); await bytes;
 */
export function openPdf(info: PdfDocumentInfo): OpenPdf {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    compress: info.compress ?? true,
    lang: 'en',
    displayTitle: true,
    info: {
      Title: info.title,
      Author: info.author,
      Subject: info.subject,
      Creator: 'Custos',
      Producer: 'Custos (pdfkit)',
      CreationDate: info.created,
      ModDate: info.created,
    },
  });
  const chunks: Buffer[] = [];
  const bytes = new Promise<Uint8Array>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
  });
  return { doc, width: doc.page.width - 100, bytes };
}
