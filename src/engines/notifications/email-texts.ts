/**
 * The texts of Custos's e-mails, in every language of src/domain/locales.ts. Pure: the service gathers the facts of
 * an event and the recipients' languages; this module words one message per language. English is the reference;
 * every catalogue implements the same interface, so a language cannot lack a message. A status or kind the
 * catalogue does not know (a policy naming a new state) is shown as its code with spaces, never dropped.
 */
import type { Locale } from '../../domain/locales.ts';
import { DECISION_OUTCOMES } from '../../domain/model.ts';
import { textIn, type Audience, type LocalisedText } from './notification-policy.ts';

export interface EmailText {
  subject: string;
  lines: string[];
}

/** An application's transition, as its notification tells it. */
export interface ApplicationTransitionFacts {
  authority: string;
  reference: string;
  from: string;
  to: string;
  /** The case's address (API), without a trailing slash. */
  url: string;
  audience: Audience;
  reason: string | null;
  /** The open deadline of the new state, if any. */
  deadline: { dueOn: string; who: string } | null;
  /** Set when the transition records a decision. */
  decision: { reference: string; licenceNumber: string | null } | null;
  /** ISO timestamp of the change. */
  at: string;
}

export interface LicenceTransitionFacts {
  authority: string;
  licenceNumber: string;
  from: string;
  to: string;
  url: string;
  reason: string | null;
  /** ISO date of the change. */
  on: string;
}

export interface ConsultationFacts {
  reference: string;
  memberState: string;
  denialReference: string;
  event: 'opened' | 'extended' | 'answered' | 'withdrawn';
  status: string;
  replyDueOn: string;
  url: string;
}

export interface DeadlineFacts {
  reference: string;
  kind: string;
  who: string;
  dueOn: string;
  overdue: boolean;
  remainingWorkingDays: number;
  url: string;
}

interface Catalogue {
  words: Record<string, string>;
  decided(f: ApplicationTransitionFacts, outcome: string): EmailText;
  informationRequested(f: ApplicationTransitionFacts): EmailText;
  submitted(f: ApplicationTransitionFacts): EmailText;
  moved(f: ApplicationTransitionFacts): EmailText;
  followCase(url: string): string;
  licence(f: LicenceTransitionFacts): EmailText;
  consultation(f: ConsultationFacts): EmailText;
  deadline(f: DeadlineFacts): EmailText;
  toDo: string;
  footer: Record<Audience, string>;
}

/** A code in this catalogue's words: a known status, kind or party, else the code with spaces. */
const wordOf = (c: Catalogue, code: string): string => c.words[code] ?? code.replaceAll('_', ' ');

const en: Catalogue = {
  words: {}, // English says a code with spaces: 'granted with conditions', 'consulted member state'
  decided: (f, outcome) => ({
    subject: `Application ${f.reference}: ${outcome}`,
    lines: [
      `${f.authority} decided on application ${f.reference}: ${outcome} (decision ${f.decision!.reference}).`,
      ...(f.decision!.licenceNumber ? [`Licence number: ${f.decision!.licenceNumber}.`] : []),
      'The reasoned decision, with the legal basis, the reasons and how to appeal:',
    ],
  }),
  informationRequested: (f) => ({
    subject: `Application ${f.reference}: information requested`,
    lines: [
      `${f.authority} asks for more information on application ${f.reference}.`,
      ...(f.audience === 'exporter' && f.reason ? ['', 'Questions:', f.reason, ''] : []),
      ...(f.deadline ? [`Please answer by ${f.deadline.dueOn}.`] : []),
    ],
  }),
  submitted: (f) => ({
    subject: `Application ${f.reference} submitted`,
    lines: [`Application ${f.reference} was submitted to ${f.authority} on ${f.at}.`],
  }),
  moved: (f) => ({
    subject: `Application ${f.reference}: ${wordOf(en, f.to)}`,
    lines: [
      `Application ${f.reference} moved from ${wordOf(en, f.from)} to ${wordOf(en, f.to)}.`,
      ...(f.reason ? [`Reason: ${f.reason}`] : []),
      ...(f.deadline && f.deadline.who !== 'exporter'
        ? [`Deadline (${wordOf(en, f.deadline.who)}): ${f.deadline.dueOn}.`]
        : []),
    ],
  }),
  followCase: (url) => `Follow the case at ${url}.`,
  licence: (f) => ({
    subject: `Licence ${f.licenceNumber}: ${f.to}`,
    lines: [
      `Licence ${f.licenceNumber} is now ${f.to} (it was ${f.from}); ${f.authority}, ${f.on}.`,
      ...(f.reason ? [`Reason: ${f.reason}`] : []),
      '',
      `See the licence at ${f.url}.`,
    ],
  }),
  consultation: (f) => ({
    subject: `Application ${f.reference}: Art 16 consultation ${f.event} (${f.memberState})`,
    lines: [
      `The consultation of ${f.memberState} on its denial ${f.denialReference} about application ${f.reference} was ${f.event}; it is now ${wordOf(en, f.status)}.`,
      ...(f.status === 'open' || f.status === 'extended' ? [`Reply due on ${f.replyDueOn}.`] : []),
      '',
      `Follow the case at ${f.url}/denials.`,
    ],
  }),
  deadline: (f) => {
    const what =
      f.kind === 'information_requested'
        ? 'the answer to the information request'
        : `the ${wordOf(en, f.kind)} deadline`;
    const who = wordOf(en, f.who);
    return {
      subject: `Application ${f.reference}: deadline ${f.overdue ? 'passed' : 'approaching'} (${f.dueOn})`,
      lines: [
        f.overdue
          ? `On application ${f.reference}, ${what} was due on ${f.dueOn} (${who}).`
          : `On application ${f.reference}, ${what} is due on ${f.dueOn} (${who}): ${f.remainingWorkingDays} working day(s) left.`,
        '',
        `Follow the case at ${f.url}.`,
      ],
    };
  },
  toDo: 'To do:',
  footer: {
    exporter: 'You receive this message because you are a user of the exporting organisation.',
    case_officer: 'You receive this message as the licensing officer of the case (or of the authority).',
  },
};

const fr: Catalogue = {
  words: {
    draft: 'brouillon',
    submitted: 'transmise',
    in_assessment: 'en évaluation',
    information_requested: 'informations demandées',
    in_consultation: 'en consultation',
    granted: 'accordée',
    granted_with_conditions: 'accordée sous conditions',
    denied: 'refusée',
    withdrawn: 'retirée',
    active: 'active',
    suspended: 'suspendue',
    revoked: 'révoquée',
    annulled: 'annulée',
    expired: 'expirée',
    exhausted: 'épuisée',
    open: 'ouverte',
    extended: 'prolongée',
    answered: 'close par une réponse',
    answered_identical: 'réponse : opération essentiellement identique',
    answered_not_identical: 'réponse : opération différente',
    lapsed_not_identical: 'sans réponse dans le délai (opération différente)',
    opened: 'ouverte',
    authority: 'autorité',
    exporter: 'exportateur',
    consulted_member_state: 'État membre consulté',
  },
  decided: (f, outcome) => ({
    subject: `Demande ${f.reference} : ${outcome}`,
    lines: [
      `${f.authority} a statué sur la demande ${f.reference} : ${outcome} (décision ${f.decision!.reference}).`,
      ...(f.decision!.licenceNumber ? [`Numéro de licence : ${f.decision!.licenceNumber}.`] : []),
      'La décision motivée, avec sa base légale, ses motifs et les voies de recours :',
    ],
  }),
  informationRequested: (f) => ({
    subject: `Demande ${f.reference} : informations demandées`,
    lines: [
      `${f.authority} demande des informations complémentaires sur la demande ${f.reference}.`,
      ...(f.audience === 'exporter' && f.reason ? ['', 'Questions :', f.reason, ''] : []),
      ...(f.deadline ? [`Merci de répondre au plus tard le ${f.deadline.dueOn}.`] : []),
    ],
  }),
  submitted: (f) => ({
    subject: `Demande ${f.reference} transmise`,
    lines: [`La demande ${f.reference} a été transmise à ${f.authority} le ${f.at}.`],
  }),
  moved: (f) => ({
    subject: `Demande ${f.reference} : ${wordOf(fr, f.to)}`,
    lines: [
      `La demande ${f.reference} est passée de l’état « ${wordOf(fr, f.from)} » à l’état « ${wordOf(fr, f.to)} ».`,
      ...(f.reason ? [`Motif : ${f.reason}`] : []),
      ...(f.deadline && f.deadline.who !== 'exporter'
        ? [`Échéance (${wordOf(fr, f.deadline.who)}) : ${f.deadline.dueOn}.`]
        : []),
    ],
  }),
  followCase: (url) => `Suivre le dossier : ${url}`,
  licence: (f) => ({
    subject: `Licence ${f.licenceNumber} : ${wordOf(fr, f.to)}`,
    lines: [
      `La licence ${f.licenceNumber} est désormais ${wordOf(fr, f.to)} (elle était ${wordOf(fr, f.from)}) ; ${f.authority}, ${f.on}.`,
      ...(f.reason ? [`Motif : ${f.reason}`] : []),
      '',
      `Voir la licence : ${f.url}`,
    ],
  }),
  consultation: (f) => ({
    subject: `Demande ${f.reference} : consultation au titre de l’art. 16 ${wordOf(fr, f.event)} (${f.memberState})`,
    lines: [
      `La consultation de l’État membre ${f.memberState} sur son refus ${f.denialReference}, au sujet de la demande ${f.reference}, a été ${wordOf(fr, f.event)} ; état actuel : ${wordOf(fr, f.status)}.`,
      ...(f.status === 'open' || f.status === 'extended' ? [`Réponse attendue le ${f.replyDueOn}.`] : []),
      '',
      `Suivre le dossier : ${f.url}/denials`,
    ],
  }),
  deadline: (f) => {
    const what =
      f.kind === 'information_requested'
        ? 'la réponse à la demande d’informations'
        : `l’échéance « ${wordOf(fr, f.kind)} »`;
    const who = wordOf(fr, f.who);
    return {
      subject: `Demande ${f.reference} : échéance ${f.overdue ? 'dépassée' : 'proche'} (${f.dueOn})`,
      lines: [
        f.overdue
          ? `Pour la demande ${f.reference}, ${what} était attendue le ${f.dueOn} (${who}).`
          : `Pour la demande ${f.reference}, ${what} est attendue le ${f.dueOn} (${who}) : ${f.remainingWorkingDays} jour(s) ouvré(s) restant(s).`,
        '',
        `Suivre le dossier : ${f.url}`,
      ],
    };
  },
  toDo: 'À faire :',
  footer: {
    exporter: 'Vous recevez ce message en tant qu’utilisateur de l’organisation exportatrice.',
    case_officer: 'Vous recevez ce message en tant qu’agent instructeur du dossier (ou de l’autorité).',
  },
};

const CATALOGUES: Record<Locale, Catalogue> = { en, fr };

const OUTCOMES: ReadonlySet<string> = new Set(DECISION_OUTCOMES);

/** The message of an application's transition, for one audience, in one language. */
export function applicationTransitionEmail(locale: Locale, f: ApplicationTransitionFacts): EmailText {
  const c = CATALOGUES[locale];
  let m: EmailText;
  if (f.decision && OUTCOMES.has(f.to)) {
    m = c.decided(f, wordOf(c, f.to));
    m.lines.push(`  ${f.url}/decision/document?format=pdf`, `  ${f.url}/decision/document?format=html`);
  } else if (f.to === 'information_requested') m = c.informationRequested(f);
  else if (f.to === 'submitted') m = c.submitted(f);
  else m = c.moved(f);
  m.lines.push('', c.followCase(f.url));
  return m;
}

export const licenceTransitionEmail = (locale: Locale, f: LicenceTransitionFacts): EmailText =>
  CATALOGUES[locale].licence(f);

export const consultationEmail = (locale: Locale, f: ConsultationFacts): EmailText =>
  CATALOGUES[locale].consultation(f);

export const deadlineEmail = (locale: Locale, f: DeadlineFacts): EmailText => CATALOGUES[locale].deadline(f);

/**
 * The whole text of an e-mail: the message, the policy's actions for the audience (in the language when the policy
 * gives it, else in English) and the footer saying why the recipient receives it.
 */
export function emailBody(
  locale: Locale,
  message: EmailText,
  audience: Audience,
  actions: readonly LocalisedText[],
): string {
  const c = CATALOGUES[locale];
  const todo = actions.length ? ['', c.toDo, ...actions.map((a) => `- ${textIn(a, locale)}`)] : [];
  return [...message.lines, ...todo, '', c.footer[audience]].join('\n');
}
