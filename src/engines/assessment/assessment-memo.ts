/** Renders an assessment as an accessible, printable HTML memo in which every finding names its sources. */
import type { Assessment, Reason, SourceRef } from '../../domain/assessment.ts';
import { countryName } from '../../domain/codes.ts';

export const MEMO_LANGUAGES = ['en', 'fr', 'de'] as const;
export type MemoLanguage = (typeof MEMO_LANGUAGES)[number];

type Labels = Record<
  | 'title'
  | 'application'
  | 'destination'
  | 'recommendation'
  | 'confidence'
  | 'model'
  | 'reference'
  | 'inputHash'
  | 'prohibitions'
  | 'noProhibition'
  | 'rights'
  | 'noRights'
  | 'article'
  | 'level'
  | 'score'
  | 'engagedBy'
  | 'sources'
  | 'standards'
  | 'indicators'
  | 'evidence'
  | 'safeguardGaps'
  | 'criterion2'
  | 'clearRisk'
  | 'specialCaution'
  | 'criterion7'
  | 'signals'
  | 'catchAll'
  | 'item'
  | 'outcome'
  | 'conditions'
  | 'informationNeeded'
  | 'unknowns'
  | 'unverified'
  | 'trail'
  | 'yes'
  | 'no'
  | 'none'
  | 'verifiedNo'
  | 'policyNote',
  string
>;

const LABELS: Record<MemoLanguage, Labels> = {
  en: {
    title: 'Human-rights assessment memo',
    application: 'Application',
    destination: 'Destination',
    recommendation: 'Recommendation',
    confidence: 'Confidence',
    model: 'Assessment model version',
    reference: 'Reference data version',
    inputHash: 'Input snapshot hash',
    prohibitions: 'Prohibitions (embargoes, bans, designated parties)',
    noProhibition: 'No prohibition applies.',
    rights: 'Findings per Charter right',
    noRights: 'No Charter right is engaged by the items in scope.',
    article: 'Article',
    level: 'Level',
    score: 'Score',
    engagedBy: 'Engaged by',
    sources: 'Sources',
    standards: 'Case-law standards applied',
    indicators: 'Indicators',
    evidence: 'Evidence',
    safeguardGaps: 'Safeguards absent or unknown',
    criterion2: 'Common Position criterion 2 (internal repression)',
    clearRisk: 'Clear risk',
    specialCaution: 'Special caution (findings of competent UN, EU or Council of Europe bodies)',
    criterion7: 'Common Position criterion 7 (diversion and re-export)',
    signals: 'Signals',
    catchAll: 'Art. 5 catch-all for non-listed cyber-surveillance items',
    item: 'Item',
    outcome: 'Outcome',
    conditions: 'Proposed conditions',
    informationNeeded: 'Information needed',
    unknowns: 'Unknown indicators and safeguards (they lower the confidence; never counted as zero)',
    unverified: 'Rules relied on that are not yet verified against the official text',
    trail: 'Reasoning trail',
    yes: 'yes',
    no: 'no',
    none: 'None.',
    verifiedNo: 'unverified',
    policyNote:
      'Charter findings, the safeguards checklist and civil-society evidence are policy extras; criterion 2 (via Art. 15(1)(c)), Art. 5 and the prohibitions are the law.',
  },
  fr: {
    title: "Note d'évaluation droits de l'homme",
    application: 'Demande',
    destination: 'Destination',
    recommendation: 'Recommandation',
    confidence: 'Confiance',
    model: "Version du modèle d'évaluation",
    reference: 'Version des données de référence',
    inputHash: 'Empreinte des données d’entrée',
    prohibitions: 'Interdictions (embargos, interdictions, parties désignées)',
    noProhibition: 'Aucune interdiction ne s’applique.',
    rights: 'Constatations par droit de la Charte',
    noRights: 'Aucun droit de la Charte n’est en jeu pour les biens concernés.',
    article: 'Article',
    level: 'Niveau',
    score: 'Score',
    engagedBy: 'En jeu du fait de',
    sources: 'Sources',
    standards: 'Jurisprudence appliquée',
    indicators: 'Indicateurs',
    evidence: 'Éléments de preuve',
    safeguardGaps: 'Garanties absentes ou inconnues',
    criterion2: 'Position commune, critère 2 (répression interne)',
    clearRisk: 'Risque manifeste',
    specialCaution:
      'Prudence particulière (constatations d’organes compétents ONU, UE ou Conseil de l’Europe)',
    criterion7: 'Position commune, critère 7 (détournement et réexportation)',
    signals: 'Signaux',
    catchAll: 'Art. 5 : clause attrape-tout pour les biens de cybersurveillance non listés',
    item: 'Bien',
    outcome: 'Résultat',
    conditions: 'Conditions proposées',
    informationNeeded: 'Informations nécessaires',
    unknowns: 'Indicateurs et garanties inconnus (ils réduisent la confiance ; jamais comptés comme zéro)',
    unverified: 'Règles non encore vérifiées sur le texte officiel',
    trail: 'Raisonnement',
    yes: 'oui',
    no: 'non',
    none: 'Aucun.',
    verifiedNo: 'non vérifié',
    policyNote:
      'Les constatations au titre de la Charte, la liste des garanties et les preuves de la société civile relèvent de la politique ; le critère 2 (art. 15, par. 1, point c)), l’art. 5 et les interdictions relèvent du droit.',
  },
  de: {
    title: 'Vermerk zur menschenrechtlichen Prüfung',
    application: 'Antrag',
    destination: 'Bestimmungsland',
    recommendation: 'Empfehlung',
    confidence: 'Verlässlichkeit',
    model: 'Version des Prüfmodells',
    reference: 'Version der Referenzdaten',
    inputHash: 'Prüfsumme der Eingaben',
    prohibitions: 'Verbote (Embargos, Ausfuhrverbote, gelistete Parteien)',
    noProhibition: 'Kein Verbot greift.',
    rights: 'Feststellungen je Charta-Recht',
    noRights: 'Kein Charta-Recht ist durch die betroffenen Güter berührt.',
    article: 'Artikel',
    level: 'Stufe',
    score: 'Wert',
    engagedBy: 'Berührt durch',
    sources: 'Quellen',
    standards: 'Angewandte Rechtsprechung',
    indicators: 'Indikatoren',
    evidence: 'Belege',
    safeguardGaps: 'Fehlende oder unbekannte Schutzvorkehrungen',
    criterion2: 'Gemeinsamer Standpunkt, Kriterium 2 (interne Repression)',
    clearRisk: 'Eindeutiges Risiko',
    specialCaution: 'Besondere Vorsicht (Feststellungen zuständiger Gremien von VN, EU oder Europarat)',
    criterion7: 'Gemeinsamer Standpunkt, Kriterium 7 (Umleitung und Wiederausfuhr)',
    signals: 'Signale',
    catchAll: 'Art. 5: Auffangklausel für nicht gelistete Güter für digitale Überwachung',
    item: 'Gut',
    outcome: 'Ergebnis',
    conditions: 'Vorgeschlagene Auflagen',
    informationNeeded: 'Benötigte Informationen',
    unknowns:
      'Unbekannte Indikatoren und Schutzvorkehrungen (senken die Verlässlichkeit; nie als null gezählt)',
    unverified: 'Herangezogene, noch nicht am amtlichen Text geprüfte Regeln',
    trail: 'Begründungsweg',
    yes: 'ja',
    no: 'nein',
    none: 'Keine.',
    verifiedNo: 'ungeprüft',
    policyNote:
      'Charta-Feststellungen, die Checkliste der Schutzvorkehrungen und Belege der Zivilgesellschaft sind Politik; Kriterium 2 (über Art. 15 Abs. 1 Buchst. c), Art. 5 und die Verbote sind Recht.',
  },
};

const RECOMMENDATION_TEXT: Record<MemoLanguage, Record<Assessment['recommendation'], string>> = {
  en: {
    deny: 'Deny',
    approve_with_conditions: 'Approve with conditions',
    approve: 'Approve',
    needs_information: 'Needs information',
  },
  fr: {
    deny: 'Refuser',
    approve_with_conditions: 'Accorder sous conditions',
    approve: 'Accorder',
    needs_information: 'Informations requises',
  },
  de: {
    deny: 'Versagen',
    approve_with_conditions: 'Mit Auflagen genehmigen',
    approve: 'Genehmigen',
    needs_information: 'Informationen erforderlich',
  },
};

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const isUrl = (s: string): boolean => /^https?:\/\/[^\s"<>]+$/.test(s);

function sourceItem(s: SourceRef, L: Labels): string {
  const citation = isUrl(s.citation)
    ? `<a href="${escapeHtml(s.citation)}">${escapeHtml(s.citation)}</a>`
    : escapeHtml(s.citation);
  const flag = s.verified === false ? ` <strong class="unverified">[${L.verifiedNo}]</strong>` : '';
  return `<li><span class="kind">${escapeHtml(s.kind)}</span> ${escapeHtml(s.label)} — <cite>${citation}</cite>${flag}</li>`;
}

function sourceList(sources: SourceRef[], L: Labels): string {
  const unique = [...new Map(sources.map((s) => [`${s.kind}|${s.id}|${s.citation}`, s])).values()];
  return unique.length === 0
    ? `<p>${L.none}</p>`
    : `<ul class="sources">${unique.map((s) => sourceItem(s, L)).join('')}</ul>`;
}

function reasonList(reasons: Reason[], L: Labels): string {
  if (reasons.length === 0) return '';
  return `<ul class="reasons">${reasons
    .map(
      (r) =>
        `<li><code>${escapeHtml(r.rule)}</code> ${escapeHtml(r.text)}${r.sources.length > 0 ? `<details><summary>${L.sources}</summary>${sourceList(r.sources, L)}</details>` : ''}</li>`,
    )
    .join('')}</ul>`;
}

/**
 * Render the memo as a complete HTML document (lang attribute, landmarks, captioned tables, print styles).
 *
 * @example
 * const html = renderAssessmentMemo(assessment, { lang: 'en' });
 * // '<!doctype html><html lang="en">…'
 */
export function renderAssessmentMemo(assessment: Assessment, options: { lang?: MemoLanguage } = {}): string {
  const lang: MemoLanguage = options.lang ?? 'en';
  const L = LABELS[lang];
  const a = assessment;
  const yn = (b: boolean): string => (b ? L.yes : L.no);
  const parts: string[] = [];
  parts.push(`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${L.title} — ${a.applicationId}`)}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;line-height:1.5;color:#1b1b1b;max-width:60rem;margin:1.5rem auto;padding:0 1rem}
h1{font-size:1.6rem}h2{font-size:1.25rem;border-bottom:2px solid #1b1b1b;padding-bottom:.2rem;margin-top:2rem}h3{font-size:1.05rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #505050;padding:.3rem .5rem;text-align:left;vertical-align:top}
caption{text-align:left;font-weight:600;padding:.3rem 0}.kind{font-variant:small-caps;font-weight:600}
.recommendation{font-size:1.2rem;font-weight:700;border:3px solid #1b1b1b;padding:.5rem;display:inline-block}
.unverified{color:#8a1f11}a{color:#0b4f8a}code{font-size:.9em}
@media print{details{display:block}details>summary{display:none}a{color:#000}body{margin:0;max-width:none}}
</style>
</head>
<body>
<header>
<h1>${escapeHtml(L.title)}</h1>
<dl>
<dt>${L.application}</dt><dd>${escapeHtml(a.applicationId)}</dd>
<dt>${L.destination}</dt><dd>${escapeHtml(`${countryName(a.destination, lang)} (${a.destination})`)}</dd>
<dt>${L.model}</dt><dd>${escapeHtml(a.modelVersion)} (${escapeHtml(a.profile)})</dd>
<dt>${L.reference}</dt><dd>${escapeHtml(a.referenceVersion)}</dd>
<dt>${L.inputHash}</dt><dd><code>${escapeHtml(a.inputHash)}</code></dd>
</dl>
</header>
<main>
<section aria-labelledby="rec"><h2 id="rec">${L.recommendation}</h2>
<p class="recommendation">${escapeHtml(RECOMMENDATION_TEXT[lang][a.recommendation])}</p>
<p>${L.confidence}: ${escapeHtml(a.confidence)} (${a.confidence01})</p>
<p>${escapeHtml(L.policyNote)}</p>
</section>`);

  parts.push(`<section aria-labelledby="proh"><h2 id="proh">${L.prohibitions}</h2>`);
  if (a.prohibitions.length === 0) parts.push(`<p>${L.noProhibition}</p>`);
  for (const p of a.prohibitions) {
    parts.push(
      `<h3>${escapeHtml(p.measureId)}${p.country ? ` — ${escapeHtml(p.country)}` : ''}${p.verified ? '' : ` <strong class="unverified">[${L.verifiedNo}]</strong>`}</h3>${reasonList(p.reasons, L)}<h4>${L.sources}</h4>${sourceList(
        p.reasons.flatMap((r) => r.sources),
        L,
      )}`,
    );
  }
  parts.push('</section>');

  parts.push(`<section aria-labelledby="rights"><h2 id="rights">${L.rights}</h2>`);
  if (a.rights.length === 0) parts.push(`<p>${L.noRights}</p>`);
  else {
    parts.push(
      `<table><caption>${L.rights}</caption><thead><tr><th scope="col">${L.article}</th><th scope="col">${L.level}</th><th scope="col">${L.score}</th><th scope="col">${L.engagedBy}</th></tr></thead><tbody>${a.rights
        .map(
          (r) =>
            `<tr><th scope="row">Art. ${r.article} — ${escapeHtml(r.title)}</th><td>${escapeHtml(r.level)}</td><td>${r.score01 ?? '—'}</td><td>${escapeHtml(r.engagedBy.join(', ') || '—')}</td></tr>`,
        )
        .join('')}</tbody></table>`,
    );
    for (const r of a.rights) {
      parts.push(
        `<article aria-labelledby="art-${r.article}"><h3 id="art-${r.article}">Art. ${r.article} — ${escapeHtml(r.title)}: ${escapeHtml(r.level)}</h3>`,
      );
      parts.push(reasonList(r.reasons, L));
      parts.push(`<h4>${L.standards}</h4>${sourceList(r.standards, L)}`);
      parts.push(`<h4>${L.indicators}</h4>${sourceList(r.indicators, L)}`);
      parts.push(`<h4>${L.evidence}</h4>${sourceList(r.evidence, L)}`);
      if (r.safeguardGaps.length > 0) {
        parts.push(
          `<h4>${L.safeguardGaps}</h4><ul>${r.safeguardGaps.map((g) => `<li>${escapeHtml(g.criterion)}: ${escapeHtml(g.value)}</li>`).join('')}</ul>`,
        );
      }
      parts.push('</article>');
    }
  }
  parts.push('</section>');

  parts.push(
    `<section aria-labelledby="c2"><h2 id="c2">${L.criterion2}</h2><p>${L.clearRisk}: <strong>${yn(a.criterion2.clearRisk)}</strong>; ${L.level}: ${escapeHtml(a.criterion2.level)}; ${L.score}: ${a.criterion2.score01 ?? '—'}</p><p>${L.specialCaution}: ${yn(a.criterion2.specialCaution)}</p>${reasonList(a.criterion2.reasons, L)}<h3>${L.sources}</h3>${sourceList(
      a.criterion2.reasons.flatMap((r) => r.sources),
      L,
    )}</section>`,
  );
  parts.push(
    `<section aria-labelledby="c7"><h2 id="c7">${L.criterion7}</h2><p>${L.level}: <strong>${escapeHtml(a.criterion7.level)}</strong> (${a.criterion7.score01}); ${L.signals}: ${escapeHtml(a.criterion7.signals.join(', ') || '—')}</p>${reasonList(a.criterion7.reasons, L)}<h3>${L.sources}</h3>${sourceList(
      a.criterion7.reasons.flatMap((r) => r.sources),
      L,
    )}</section>`,
  );
  parts.push(
    `<section aria-labelledby="art5"><h2 id="art5">${L.catchAll}</h2><table><caption>${L.catchAll}</caption><thead><tr><th scope="col">${L.item}</th><th scope="col">${L.outcome}</th><th scope="col">${L.sources}</th></tr></thead><tbody>${a.catchAll
      .map(
        (c) =>
          `<tr><th scope="row">${escapeHtml(c.itemId)}</th><td>${escapeHtml(c.outcome)}<br>${escapeHtml(c.reasons.map((r) => r.text).join(' '))}</td><td>${sourceList(
            c.reasons.flatMap((r) => r.sources),
            L,
          )}</td></tr>`,
      )
      .join('')}</tbody></table></section>`,
  );

  parts.push(`<section aria-labelledby="cond"><h2 id="cond">${L.conditions}</h2>`);
  parts.push(
    a.conditions.length === 0
      ? `<p>${L.none}</p>`
      : `<ol>${a.conditions.map((c) => `<li>${escapeHtml(c.text)} <em>(${escapeHtml(c.because.join('; '))})</em><br><cite>${escapeHtml(c.source)}</cite></li>`).join('')}</ol>`,
  );
  parts.push('</section>');
  parts.push(
    `<section aria-labelledby="info"><h2 id="info">${L.informationNeeded}</h2>${a.informationNeeded.length === 0 ? `<p>${L.none}</p>` : `<ul>${a.informationNeeded.map((i) => `<li><code>${escapeHtml(i.id)}</code> ${escapeHtml(i.text)}</li>`).join('')}</ul>`}</section>`,
  );
  parts.push(
    `<section aria-labelledby="unk"><h2 id="unk">${L.unknowns}</h2>${a.unknowns.length === 0 ? `<p>${L.none}</p>` : `<ul>${a.unknowns.map((u) => `<li>${escapeHtml(u)}</li>`).join('')}</ul>`}</section>`,
  );
  parts.push(
    `<section aria-labelledby="unv"><h2 id="unv">${L.unverified}</h2>${a.unverifiedRules.length === 0 ? `<p>${L.none}</p>` : `<ul>${a.unverifiedRules.map((u) => `<li>${escapeHtml(u)}</li>`).join('')}</ul>`}</section>`,
  );
  parts.push(
    `<section aria-labelledby="trail"><h2 id="trail">${L.trail}</h2><ol>${a.trail.map((t) => `<li><strong>${escapeHtml(t.step)}</strong>: ${escapeHtml(t.outcome)}${reasonList(t.reasons, L)}</li>`).join('')}</ol></section>`,
  );
  parts.push('</main>\n</body>\n</html>\n');
  return parts.join('\n');
}
