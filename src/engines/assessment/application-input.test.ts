import { describe, expect, it } from 'vitest';
import { parseAssessmentInput } from './assess-application.ts';
import { buildApplicationAssessmentInput, deriveItemCapabilities } from './application-input.ts';

const stored = {
  reference: 'CUS-2026-000001',
  licenceType: 'individual' as const,
  destinationCountry: 'EG',
  intendedEndUse: '',
  lines: [
    {
      lineNo: 1,
      itemName: 'Probe',
      itemDescription: 'IP monitoring probe',
      technicalProfile: {
        facts: { operatesOnCarrierClassIpNetwork: true, analysesApplicationLayer: 'unknown' },
      },
      classification: { matchedEntries: ['5A001.j'], cyberSurveillance: true, profileFlags: [] },
    },
  ],
  parties: [
    { id: 'p1', name: 'Ministry', type: 'police' as const, role: 'end_user' as const, country: 'EG' },
  ],
};

describe('buildApplicationAssessmentInput', () => {
  it('maps only true facts to capabilities, in a stable order', () => {
    expect(deriveItemCapabilities({ facts: { operatesCovertly: true, extractsContent: true } })).toEqual([
      'covert_operation',
      'interception_content',
    ]);
    expect(deriveItemCapabilities({ facts: { extractsContent: 'unknown' } })).toEqual([]);
    expect(deriveItemCapabilities({})).toEqual([]);
  });

  it('builds a valid engine input; missing due diligence is entered as nothing documented', () => {
    const input = parseAssessmentInput(
      buildApplicationAssessmentInput(stored, {
        memberState: 'DE',
        capabilities: { '1': ['bulk_collection'] },
      }),
    );
    expect(input.items[0]).toMatchObject({
      controlEntries: ['5A001.j'],
      cyberSurveillance: { underLaw: true, underPolicy: true },
      capabilities: ['bulk_collection', 'ip_network_monitoring'],
    });
    expect(input.intendedEndUse).toBe('(not stated)');
    expect(input.dueDiligence).toMatchObject({ completeness01: 0, endUseStatement: false });
  });
});
