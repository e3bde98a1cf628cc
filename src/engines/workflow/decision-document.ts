/** Renders a reasoned licensing decision as accessible, printable HTML (legal basis, criteria, evidence, rights). */
import { countryName } from '../../domain/codes.ts';
import { DomainError, requiredIssue } from '../../domain/errors.ts';
import type { DecisionForDocument } from '../../domain/workflow.ts';

export const DECISION_DOCUMENT_LANGUAGES = ['en', 'de'] as const;
export type DecisionDocumentLanguage = (typeof DECISION_DOCUMENT_LANGUAGES)[number];

const LABELS = {
  en: {
    title: 'Decision on an export authorisation application',
    reference: 'Decision reference',
    application: 'Application reference',
    decidedOn: 'Date of decision',
    authority: 'Competent authority',
    applicant: 'Applicant',
    licenceType: 'Type of authorisation',
    destination: 'Country of destination',
    outcome: 'Decision',
    outcomes: { granted: 'Granted', granted_with_conditions: 'Granted with conditions', denied: 'Refused' },
    licenceTypes: {
      individual: 'Individual export authorisation',
      global: 'Global export authorisation',
      eu_general_registration: 'Registration for a Union general export authorisation',
      large_project: 'Large project authorisation',
      national_general: 'National general export authorisation',
    },
    validUntil: 'Valid until',
    items: 'Items',
    itemDescription: 'Description',
    controlEntries: 'Control list entries',
    quantity: 'Quantity',
    notListed: 'not listed',
    endUsers: 'End users',
    name: 'Name',
    country: 'Country',
    legalBasis: 'Legal basis',
    criteria: 'Criteria considered',
    criterion: 'Criterion',
    finding: 'Finding',
    weighs: 'Effect on the decision',
    weighsAgainst: 'Weighs against granting',
    weighsFor: 'Does not weigh against granting',
    reasons: 'Reasons',
    conditions: 'Conditions',
    evidence: 'Evidence relied on',
    source: 'Source',
    date: 'Date',
    rights: 'Your rights',
    appeal: (body: string, days: number, kind: string) =>
      `You may challenge this decision before ${body} within ${days} ${kind === 'working' ? 'working days' : 'days'} of its notification.`,
    officer: 'Decided by',
    unverified: 'Notes on rules not yet verified against the official text',
    none: 'None.',
  },
  de: {
    title: 'Bescheid über einen Antrag auf Ausfuhrgenehmigung',
    reference: 'Aktenzeichen des Bescheids',
    application: 'Antragsnummer',
    decidedOn: 'Datum des Bescheids',
    authority: 'Zuständige Behörde',
    applicant: 'Antragsteller',
    licenceType: 'Art der Genehmigung',
    destination: 'Bestimmungsland',
    outcome: 'Entscheidung',
    outcomes: {
      granted: 'Genehmigt',
      granted_with_conditions: 'Genehmigt mit Auflagen',
      denied: 'Abgelehnt',
    },
    licenceTypes: {
      individual: 'Einzelausfuhrgenehmigung',
      global: 'Globalausfuhrgenehmigung',
      eu_general_registration: 'Registrierung für eine Allgemeine Genehmigung der Union',
      large_project: 'Genehmigung für Großprojekte',
      national_general: 'Nationale allgemeine Ausfuhrgenehmigung',
    },
    validUntil: 'Gültig bis',
    items: 'Güter',
    itemDescription: 'Beschreibung',
    controlEntries: 'Listenpositionen',
    quantity: 'Menge',
    notListed: 'nicht gelistet',
    endUsers: 'Endverwender',
    name: 'Name',
    country: 'Land',
    legalBasis: 'Rechtsgrundlage',
    criteria: 'Geprüfte Kriterien',
    criterion: 'Kriterium',
    finding: 'Feststellung',
    weighs: 'Bedeutung für die Entscheidung',
    weighsAgainst: 'Spricht gegen eine Genehmigung',
    weighsFor: 'Spricht nicht gegen eine Genehmigung',
    reasons: 'Gründe',
    conditions: 'Auflagen',
    evidence: 'Herangezogene Nachweise',
    source: 'Quelle',
    date: 'Datum',
    rights: 'Rechtsbehelfsbelehrung',
    appeal: (body: string, days: number, kind: string) =>
      `Gegen diesen Bescheid können Sie innerhalb von ${days} ${kind === 'working' ? 'Arbeitstagen' : 'Tagen'} nach Bekanntgabe Rechtsbehelf bei ${body} einlegen.`,
    officer: 'Entschieden von',
    unverified: 'Hinweise zu noch nicht am amtlichen Text geprüften Regeln',
    none: 'Keine.',
  },
} as const;

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const e = escapeHtml;

/**
 * Render a reasoned decision as a self-contained, accessible HTML document (lang attribute, landmarks, one h1,
 * tables with captions and header scopes, text labels rather than colour). The lead prints it to PDF.
 *
 * @example
 * const html = renderDecisionDocument(decision, { lang: 'en' });
 * // => '<!doctype html><html lang="en">…<h1>Decision on an export authorisation application</h1>…'
 */
export function renderDecisionDocument(
  decision: DecisionForDocument,
  options: { lang: DecisionDocumentLanguage },
): string {
  const L = LABELS[options.lang];
  if (!L)
    throw new DomainError(
      'INVALID',
      `Unsupported language ${options.lang}; use ${DECISION_DOCUMENT_LANGUAGES.join(', ')}.`,
    );
  if (decision.outcome === 'denied' && decision.reasons.length === 0)
    throw new DomainError('INVALID', 'A refusal must state its reasons.', {
      issues: [{ path: 'reasons', message: 'required for a refusal' }],
    });
  if (decision.outcome === 'granted_with_conditions' && decision.conditions.length === 0)
    throw new DomainError('INVALID', 'A grant with conditions must state them.', {
      issues: [requiredIssue('conditions')],
    });
  const list = (items: readonly string[]) =>
    items.length === 0 ? `<p>${L.none}</p>` : `<ol>${items.map((x) => `<li>${e(x)}</li>`).join('')}</ol>`;
  const country = (code: string) => `${e(countryName(code, options.lang))} (${e(code)})`;
  const dl = (rows: [string, string][]) =>
    `<dl>${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`;

  const summary: [string, string][] = [
    [L.reference, e(decision.reference)],
    [L.application, e(decision.applicationReference)],
    [L.decidedOn, `<time datetime="${e(decision.decidedOn)}">${e(decision.decidedOn)}</time>`],
    [
      L.authority,
      `${e(decision.authority.name)}, ${e(decision.authority.address)}, ${country(decision.authority.country)}`,
    ],
    [L.applicant, `${e(decision.applicant.name)}, ${e(decision.applicant.address)}`],
    [L.licenceType, e(L.licenceTypes[decision.licenceType])],
    [L.destination, country(decision.destinationCountry)],
    [L.outcome, `<strong>${e(L.outcomes[decision.outcome])}</strong>`],
  ];
  if (decision.outcome !== 'denied' && decision.validUntil)
    summary.push([
      L.validUntil,
      `<time datetime="${e(decision.validUntil)}">${e(decision.validUntil)}</time>`,
    ]);

  const itemsTable = `<table><caption>${L.items}</caption><thead><tr><th scope="col">${L.itemDescription}</th><th scope="col">${L.controlEntries}</th><th scope="col">${L.quantity}</th></tr></thead><tbody>${decision.items
    .map(
      (i) =>
        `<tr><td>${e(i.description)}</td><td>${i.controlEntries.length ? e(i.controlEntries.join(', ')) : L.notListed}</td><td>${e(i.quantity ?? '')}</td></tr>`,
    )
    .join('')}</tbody></table>`;
  const endUsersTable = `<table><caption>${L.endUsers}</caption><thead><tr><th scope="col">${L.name}</th><th scope="col">${L.country}</th></tr></thead><tbody>${decision.endUsers
    .map((u) => `<tr><td>${e(u.name)}</td><td>${country(u.country)}</td></tr>`)
    .join('')}</tbody></table>`;
  const criteriaTable =
    decision.criteria.length === 0
      ? `<p>${L.none}</p>`
      : `<table><caption>${L.criteria}</caption><thead><tr><th scope="col">${L.criterion}</th><th scope="col">${L.finding}</th><th scope="col">${L.weighs}</th></tr></thead><tbody>${decision.criteria
          .map(
            (c) =>
              `<tr><th scope="row">${e(c.code)}: ${e(c.title)}</th><td>${e(c.finding)}</td><td>${c.weighsAgainst ? L.weighsAgainst : L.weighsFor}</td></tr>`,
          )
          .join('')}</tbody></table>`;
  const evidenceTable =
    decision.evidence.length === 0
      ? `<p>${L.none}</p>`
      : `<table><caption>${L.evidence}</caption><thead><tr><th scope="col">ID</th><th scope="col">${L.itemDescription}</th><th scope="col">${L.source}</th><th scope="col">${L.date}</th></tr></thead><tbody>${decision.evidence
          .map(
            (x) =>
              `<tr><td>${e(x.id)}</td><td>${e(x.title)}</td><td>${e(x.source)}</td><td>${x.date ? `<time datetime="${e(x.date)}">${e(x.date)}</time>` : ''}</td></tr>`,
          )
          .join('')}</tbody></table>`;
  const legalBasis = `<ul>${decision.legalBasis.map((b) => `<li><cite>${e(b.citation)}</cite>: ${e(b.text)}</li>`).join('')}</ul>`;
  const r = decision.rights;
  const unverified = decision.unverifiedNotes?.length
    ? `<section aria-labelledby="h-unverified"><h2 id="h-unverified">${L.unverified}</h2>${list(decision.unverifiedNotes)}</section>`
    : '';

  return [
    '<!doctype html>',
    `<html lang="${options.lang}">`,
    '<head><meta charset="utf-8">',
    `<title>${e(L.title)}: ${e(decision.reference)}</title>`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<style>body{font-family:system-ui,sans-serif;line-height:1.5;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#111}' +
      'table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border:1px solid #555;padding:.4rem;text-align:left;vertical-align:top}' +
      'caption{font-weight:bold;text-align:left}dt{font-weight:bold}dd{margin:0 0 .5rem 0}@media print{body{margin:0;max-width:none}}</style>',
    '</head><body>',
    '<header>',
    `<p>${e(decision.authority.name)}</p>`,
    `<h1>${e(L.title)}</h1>`,
    '</header>',
    '<main>',
    `<section aria-labelledby="h-summary"><h2 id="h-summary">${L.outcome}</h2>${dl(summary)}</section>`,
    `<section aria-labelledby="h-items"><h2 id="h-items">${L.items}</h2>${itemsTable}${endUsersTable}</section>`,
    `<section aria-labelledby="h-legal"><h2 id="h-legal">${L.legalBasis}</h2>${legalBasis}</section>`,
    `<section aria-labelledby="h-criteria"><h2 id="h-criteria">${L.criteria}</h2>${criteriaTable}</section>`,
    `<section aria-labelledby="h-reasons"><h2 id="h-reasons">${L.reasons}</h2>${list(decision.reasons)}</section>`,
    decision.outcome === 'granted_with_conditions' || decision.conditions.length > 0
      ? `<section aria-labelledby="h-conditions"><h2 id="h-conditions">${L.conditions}</h2>${list(decision.conditions)}</section>`
      : '',
    `<section aria-labelledby="h-evidence"><h2 id="h-evidence">${L.evidence}</h2>${evidenceTable}</section>`,
    `<section aria-labelledby="h-rights"><h2 id="h-rights">${L.rights}</h2><p>${e(L.appeal(r.appealBody, r.appealDeadlineDays, r.appealDeadlineKind))}</p><p>${e(r.howTo)}</p></section>`,
    unverified,
    '</main>',
    `<footer><p>${L.officer}: ${e(decision.officer.name)}, ${e(decision.officer.role)}</p></footer>`,
    '</body></html>',
  ]
    .filter(Boolean)
    .join('\n');
}
