import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../domain/locales.ts';
import { readWorkflowPolicy } from '../../../test/fixtures/workflow/policy-files.ts';
import {
  applicationTransitionEmail,
  consultationEmail,
  deadlineEmail,
  emailBody,
  licenceTransitionEmail,
  type ApplicationTransitionFacts,
} from './email-texts.ts';
import { parseNotificationPolicy, planAudiences } from './notification-policy.ts';

const base: ApplicationTransitionFacts = {
  authority: 'Autorité nationale',
  reference: 'CUS-2026-000042',
  from: 'in_assessment',
  to: 'granted_with_conditions',
  url: 'https://custos.example/api/applications/42',
  audience: 'exporter',
  reason: null,
  deadline: null,
  decision: { reference: 'DEC-2026-0007', licenceNumber: 'LIC-2026-0003' },
  at: '2026-12-01T09:00:00.000Z',
};

describe('e-mail texts', () => {
  it('words a decision in English as before, with the decision, the licence and both document links', () => {
    const m = applicationTransitionEmail('en', base);
    expect(m.subject).toBe('Application CUS-2026-000042: granted with conditions');
    expect(m.lines).toEqual([
      'Autorité nationale decided on application CUS-2026-000042: granted with conditions (decision DEC-2026-0007).',
      'Licence number: LIC-2026-0003.',
      'The reasoned decision, with the legal basis, the reasons and how to appeal:',
      '  https://custos.example/api/applications/42/decision/document?format=pdf',
      '  https://custos.example/api/applications/42/decision/document?format=html',
      '',
      'Follow the case at https://custos.example/api/applications/42.',
    ]);
  });

  it('words the same decision in French, with the same facts and links', () => {
    const m = applicationTransitionEmail('fr', base);
    expect(m.subject).toBe('Demande CUS-2026-000042 : accordée sous conditions');
    expect(m.lines[0]).toContain('a statué sur la demande CUS-2026-000042 : accordée sous conditions');
    expect(m.lines.join('\n')).toContain('Numéro de licence : LIC-2026-0003.');
    expect(m.lines).toContain('  https://custos.example/api/applications/42/decision/document?format=pdf');
    expect(m.lines.at(-1)).toBe('Suivre le dossier : https://custos.example/api/applications/42');
  });

  it('gives the questions of an information request to the exporter only, with the answer-by date', () => {
    const f = {
      ...base,
      to: 'information_requested',
      decision: null,
      reason: 'Who operates the system?',
      deadline: { dueOn: '2026-12-29', who: 'exporter' },
    };
    for (const locale of LOCALES) {
      const exporter = applicationTransitionEmail(locale, f).lines.join('\n');
      const officer = applicationTransitionEmail(locale, { ...f, audience: 'case_officer' }).lines.join('\n');
      expect(exporter, locale).toContain('Who operates the system?');
      expect(exporter, locale).toContain('2026-12-29');
      expect(officer, locale).not.toContain('Who operates the system?');
    }
    expect(applicationTransitionEmail('fr', f).lines.join('\n')).toContain(
      'Merci de répondre au plus tard le 2026-12-29.',
    );
  });

  it('names states in the language and keeps an unknown state as its code', () => {
    const moved = { ...base, from: 'submitted', to: 'in_consultation', decision: null, reason: 'Art 16' };
    expect(applicationTransitionEmail('en', moved).lines[0]).toBe(
      'Application CUS-2026-000042 moved from submitted to in consultation.',
    );
    expect(applicationTransitionEmail('fr', moved).lines[0]).toBe(
      'La demande CUS-2026-000042 est passée de l’état « transmise » à l’état « en consultation ».',
    );
    const unknown = applicationTransitionEmail('fr', { ...moved, to: 'under_review_by_board' });
    expect(unknown.subject).toBe('Demande CUS-2026-000042 : under review by board');
  });

  it('words licence, consultation and deadline messages in every language from the same facts', () => {
    for (const locale of LOCALES) {
      const licence = licenceTransitionEmail(locale, {
        authority: 'A',
        licenceNumber: 'LIC-1',
        from: 'active',
        to: 'suspended',
        url: 'https://x/api/licences/1',
        reason: 'End use in doubt',
        on: '2026-12-01',
      });
      expect(licence.subject, locale).toContain('LIC-1');
      expect(licence.lines.join('\n'), locale).toContain('End use in doubt');
      const consultation = consultationEmail(locale, {
        reference: 'CUS-1',
        memberState: 'DE',
        denialReference: 'DE-DEN-9',
        event: 'opened',
        status: 'open',
        replyDueOn: '2026-12-15',
        url: 'https://x/api/applications/1',
      });
      expect(consultation.lines.join('\n'), locale).toMatch(/DE-DEN-9[\s\S]*2026-12-15[\s\S]*\/denials/);
      const deadline = deadlineEmail(locale, {
        reference: 'CUS-1',
        kind: 'submitted',
        who: 'authority',
        dueOn: '2026-12-10',
        overdue: false,
        remainingWorkingDays: 3,
        url: 'https://x/api/applications/1',
      });
      expect(deadline.lines[0], locale).toContain('3');
    }
    expect(
      licenceTransitionEmail('fr', {
        authority: 'A',
        licenceNumber: 'LIC-1',
        from: 'active',
        to: 'revoked',
        url: 'u',
        reason: null,
        on: '2026-12-01',
      }).subject,
    ).toBe('Licence LIC-1 : révoquée');
  });

  it("adds the policy's actions in the recipient's language, English where the policy has no translation", () => {
    const policy = parseNotificationPolicy(
      readWorkflowPolicy('notifications.yaml').text,
      'notifications.yaml',
    );
    const [officer] = planAudiences(policy, ['notify_customs']);
    const message = { subject: 's', lines: ['Body.'] };
    expect(emailBody('en', message, 'case_officer', officer!.actions)).toBe(
      [
        'Body.',
        '',
        'To do:',
        '- Inform the customs authorities.',
        '',
        'You receive this message as the licensing officer of the case (or of the authority).',
      ].join('\n'),
    );
    expect(emailBody('fr', message, 'case_officer', officer!.actions)).toContain(
      'À faire :\n- Informer les autorités douanières.',
    );
    expect(emailBody('fr', message, 'exporter', [{ en: 'Only in English.' }])).toContain(
      '- Only in English.',
    );
  });

  it('has a French text for every action of the shipped policy', () => {
    const policy = parseNotificationPolicy(
      readWorkflowPolicy('notifications.yaml').text,
      'notifications.yaml',
    );
    for (const [effect, rule] of Object.entries(policy.effects))
      if (rule.action) expect(rule.action.fr, effect).toBeTruthy();
  });
});
