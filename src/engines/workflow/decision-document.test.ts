import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeDecision } from '../../../test/fixtures/workflow/decision.ts';
import { renderDecisionDocument } from './decision-document.ts';

describe('renderDecisionDocument', () => {
  it('shows the outcome, legal basis, criteria, reasons, evidence and rights', () => {
    const html = renderDecisionDocument(makeDecision(), { lang: 'en' });
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html.match(/<h1>/g)).toHaveLength(1);
    for (const text of [
      '<strong>Refused</strong>',
      'Regulation (EU) 2021/821, Art 15(1)(c)',
      'CP2: Respect for human rights in the country of final destination',
      'Weighs against granting',
      'documented in UN reports as targeting journalists',
      'Report of the UN Special Rapporteur',
      'the Administrative Court of Frankfurt am Main within 30 days',
      'United Arab Emirates (AE)',
      '<caption>Criteria considered</caption>',
      '<th scope="row">',
    ])
      expect(html).toContain(text);
    expect(html).not.toContain('Valid until');
  });

  it('renders German labels and country names', () => {
    const html = renderDecisionDocument(
      makeDecision({ outcome: 'granted', reasons: ['Keine Bedenken.'], validUntil: '2028-04-13' }),
      { lang: 'de' },
    );
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('<strong>Genehmigt</strong>');
    expect(html).toContain('Vereinigte Arabische Emirate (AE)');
    expect(html).toContain('Gültig bis');
    expect(html).toContain('Rechtsbehelf bei the Administrative Court');
  });

  it('lists conditions of a conditional grant and unverified notes', () => {
    const html = renderDecisionDocument(
      makeDecision({
        outcome: 'granted_with_conditions',
        conditions: ['Post-shipment verification within 6 months.'],
        unverifiedNotes: ['Validity of two years: Art 12(3) not verified.'],
      }),
      { lang: 'en' },
    );
    expect(html).toContain('<h2 id="h-conditions">Conditions</h2>');
    expect(html).toContain('Post-shipment verification within 6 months.');
    expect(html).toContain('Art 12(3) not verified.');
  });

  it.each([
    ['a refusal without reasons', makeDecision({ reasons: [] }), /must state its reasons/],
    [
      'a conditional grant without conditions',
      makeDecision({ outcome: 'granted_with_conditions', conditions: [] }),
      /must state them/,
    ],
  ])('refuses %s', (_l, d, pattern) =>
    expect(() => renderDecisionDocument(d, { lang: 'en' })).toThrow(pattern),
  );

  it('property: no input text can inject markup', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (reason, name) => {
        const html = renderDecisionDocument(
          makeDecision({
            reasons: [`<script>${reason}</script>`],
            applicant: { name: `"><img src=x onerror=${name}>`, address: '' },
          }),
          { lang: 'en' },
        );
        expect(html).not.toContain('<script>');
        expect(html).not.toContain('<img');
        expect(html).toContain('&lt;script&gt;');
      }),
      { numRuns: 100 },
    );
  });
});
