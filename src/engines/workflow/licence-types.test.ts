import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readWorkflowPolicy } from '../../../test/fixtures/workflow/policy-files.ts';
import {
  checkEugeaEligibility,
  checkLicenceRequirements,
  computeValidity,
  entryCovers,
  normaliseControlEntry,
  parseEugeaPolicy,
  parseLicenceTypePolicy,
  planAmendment,
  type EugeaCheckRequest,
} from './licence-types.ts';

const e = readWorkflowPolicy('eugea.yaml');
const eugeas = parseEugeaPolicy(e.text, e.sourceName);
const t = readWorkflowPolicy('licence-types.yaml');
const types = parseLicenceTypePolicy(t.text, t.sourceName);

const hw = (controlEntry: string | null) => ({ controlEntry, itemForm: 'hardware' as const });
const sw = (controlEntry: string, relatedEntries?: string[]) => ({
  controlEntry,
  itemForm: 'software' as const,
  relatedEntries,
});
const noBars = {
  wmd_end_use: false,
  military_end_use_embargoed: false,
  illegally_exported_military_parts: false,
  customs_free_zone: false,
};

describe('checkEugeaEligibility', () => {
  it.each<[string, string, EugeaCheckRequest, string, string[]]>([
    [
      'EU001 cyber entry to the US (BRIEF H.9: no cyber exclusion)',
      'EU001',
      { destinationCountry: 'US', items: [hw('5A001.f.1')], facts: noBars },
      'eligible',
      [],
    ],
    [
      'EU001 intrusion software tooling to the UK',
      'EU001',
      { destinationCountry: 'GB', items: [hw('4A005')], facts: noBars },
      'eligible',
      [],
    ],
    [
      'EU001 to Liechtenstein (with Switzerland)',
      'EU001',
      { destinationCountry: 'LI', items: [hw('5A001.j')], facts: noBars },
      'eligible',
      [],
    ],
    [
      'EU001 to China',
      'EU001',
      { destinationCountry: 'CN', items: [hw('5A001.j')], facts: noBars },
      'not_eligible',
      ['destination_not_covered'],
    ],
    [
      'EU001 to a Member State',
      'EU001',
      { destinationCountry: 'FR', items: [hw('5A001.j')], facts: noBars },
      'not_eligible',
      ['destination_member_state'],
    ],
    [
      'EU001 cryptanalytic equipment (Annex IV)',
      'EU001',
      { destinationCountry: 'US', items: [hw('5A004.a')], facts: noBars },
      'not_eligible',
      ['item_section_i'],
    ],
    [
      'EU001 forensic extraction (not in Annex IV)',
      'EU001',
      { destinationCountry: 'US', items: [hw('5A004.b')], facts: noBars },
      'eligible',
      [],
    ],
    [
      'EU001 5A004 without sub-entry',
      'EU001',
      { destinationCountry: 'US', items: [hw('5A004')], facts: noBars },
      'needs_information',
      ['item_section_i_possible'],
    ],
    [
      'EU001 pathogens (Section I)',
      'EU001',
      { destinationCountry: 'JP', items: [hw('1C351.a')], facts: noBars },
      'not_eligible',
      ['item_section_i'],
    ],
    [
      'EU001 non-listed item',
      'EU001',
      { destinationCountry: 'JP', items: [hw(null)], facts: noBars },
      'not_eligible',
      ['item_not_listed'],
    ],
    [
      'EU001 informed of WMD end use',
      'EU001',
      { destinationCountry: 'JP', items: [hw('5A001.j')], facts: { ...noBars, wmd_end_use: true } },
      'not_eligible',
      ['bar_wmd_end_use'],
    ],
    [
      'EU007 intrusion software',
      'EU007',
      { destinationCountry: 'IN', items: [sw('4D004', [])], exporter: { icpOnFile: true } },
      'not_eligible',
      ['item_excluded_related'],
    ],
    [
      'EU007 software for 5A001.f',
      'EU007',
      { destinationCountry: 'IN', items: [sw('5D001.a', ['5A001.f.2'])], exporter: { icpOnFile: true } },
      'not_eligible',
      ['item_excluded_related'],
    ],
    [
      'EU007 5D001.e (not named)',
      'EU007',
      { destinationCountry: 'IN', items: [sw('5D001.e', [])], exporter: { icpOnFile: true } },
      'eligible',
      [],
    ],
    [
      'EU007 software, related items unknown',
      'EU007',
      { destinationCountry: 'IN', items: [sw('5D001.a')], exporter: { icpOnFile: true } },
      'needs_information',
      ['item_related_unknown'],
    ],
    [
      'EU007 hardware',
      'EU007',
      { destinationCountry: 'IN', items: [hw('5A001.b')], exporter: { icpOnFile: true } },
      'not_eligible',
      ['item_form_not_covered'],
    ],
    [
      'EU007 without ICP',
      'EU007',
      { destinationCountry: 'IN', items: [sw('5D001.e', [])], exporter: { icpOnFile: false } },
      'not_eligible',
      ['icp_missing'],
    ],
    [
      'EU007 ICP unknown',
      'EU007',
      { destinationCountry: 'IN', items: [sw('5D001.e', [])] },
      'needs_information',
      ['icp_unknown'],
    ],
    [
      'EU007 to a destination outside its list',
      'EU007',
      { destinationCountry: 'AE', items: [sw('5D001.e', [])], exporter: { icpOnFile: true } },
      'not_eligible',
      ['destination_not_covered'],
    ],
    [
      'EU005 interception for human-rights abuse',
      'EU005',
      { destinationCountry: 'IN', items: [hw('5A001.c')], facts: { human_rights_interception: true } },
      'not_eligible',
      ['bar_human_rights_interception'],
    ],
    [
      'EU005 item outside its list',
      'EU005',
      { destinationCountry: 'IN', items: [hw('5A001.f.1')] },
      'not_eligible',
      ['item_not_in_scope'],
    ],
    [
      'EU004 software (Section D excluded)',
      'EU004',
      { destinationCountry: 'BR', items: [sw('5D001.a', [])] },
      'not_eligible',
      ['item_excluded_group'],
    ],
    [
      'EU003 listed exclusion 5A001.b.5',
      'EU003',
      { destinationCountry: 'BR', items: [hw('5A001.b.5')] },
      'not_eligible',
      ['item_excluded'],
    ],
    [
      'EU003 5A001.b broader than an exclusion',
      'EU003',
      { destinationCountry: 'BR', items: [hw('5A001.b')] },
      'needs_information',
      ['item_possibly_excluded'],
    ],
    [
      'EU008 to an EU001 country',
      'EU008',
      { destinationCountry: 'US', items: [hw('5A002.a.2')], facts: { destination_embargoed: false } },
      'not_eligible',
      ['destination_excluded'],
    ],
    [
      'EU008 to a listed exclusion',
      'EU008',
      { destinationCountry: 'AE', items: [hw('5A002.a.2')], facts: { destination_embargoed: false } },
      'not_eligible',
      ['destination_excluded'],
    ],
    [
      'EU008 embargo unknown',
      'EU008',
      { destinationCountry: 'BR', items: [hw('5A002.a.2')] },
      'needs_information',
      ['destination_embargo_unknown', 'item_in_scope_qualified'],
    ],
    [
      'EU006 unverified policy',
      'EU006',
      { destinationCountry: 'AR', items: [hw('1C350.a')] },
      'needs_information',
      ['policy_unverified'],
    ],
  ])('%s', (_label, id, request, outcome, codes) => {
    const r = checkEugeaEligibility(eugeas, id, request);
    expect(r.outcome).toBe(outcome);
    for (const code of codes) expect(r.reasons.map((x) => x.code)).toContain(code);
    for (const reason of r.reasons) expect(reason.message.length).toBeGreaterThan(0);
  });

  it('turns bars without facts into declarations and keeps them out of the outcome', () => {
    const r = checkEugeaEligibility(eugeas, 'EU001', { destinationCountry: 'NO', items: [hw('5A001.j')] });
    expect(r.outcome).toBe('eligible');
    expect(r.declarationsRequired.map((d) => d.bar)).toEqual([
      'wmd_end_use',
      'military_end_use_embargoed',
      'illegally_exported_military_parts',
      'customs_free_zone',
    ]);
  });

  it('EU001 has exactly the nine destinations (Switzerland with Liechtenstein)', () => {
    expect(eugeas.eugeas[0]?.destinations.countries).toEqual([
      'AU',
      'CA',
      'IS',
      'JP',
      'NZ',
      'NO',
      'CH',
      'LI',
      'GB',
      'US',
    ]);
  });

  it('rejects a policy with an unknown bar or a missing EUGEA, naming the rule', () => {
    expect(() =>
      parseEugeaPolicy(
        e.text.replace(
          'bars: [wmd_end_use, military_end_use_embargoed, illegally_exported_military_parts, customs_free_zone]',
          'bars: [nope]',
        ),
        e.sourceName,
      ),
    ).toThrow(/eugeas\.0\.bars\.0: unknown bar nope/);
    expect(() => parseEugeaPolicy(e.text.replace('id: EU006', 'id: EU001'), e.sourceName)).toThrow(
      /EU001 must appear exactly once/,
    );
  });
});

describe('control list entries', () => {
  it.each([
    ['5A001.f', '5A001.f.2', true],
    ['5A001.f', '5A001.f', true],
    ['5A001.f', '5A001', false],
    ['5A001.b', '5A001.b.5', true],
    ['5A001.b.5', '5A001.b.50', false],
    ['4A005', '4A0051', false],
  ])('%s covers %s: %s', (p, x, expected) => expect(entryCovers(p, x)).toBe(expected));

  it('property: normalisation is idempotent and coverage reflexive', () => {
    const arbEntry = fc
      .tuple(
        fc.integer({ min: 0, max: 9 }),
        fc.constantFrom('A', 'b', 'C', 'd', 'E'),
        fc.integer({ min: 0, max: 999 }),
        fc.array(fc.constantFrom('a', 'B', '1', '12', 'j'), { maxLength: 3 }),
        fc.boolean(),
      )
      .map(
        ([c, g, n, subs, dot]) =>
          `${c}${g}${String(n).padStart(3, '0')}${subs.map((s) => `.${s}`).join('')}${dot ? '.' : ''}`,
      );
    fc.assert(
      fc.property(arbEntry, (x) => {
        expect(normaliseControlEntry(normaliseControlEntry(x))).toBe(normaliseControlEntry(x));
        expect(entryCovers(x, x)).toBe(true);
      }),
    );
  });
});

describe('validity and requirements', () => {
  it.each([
    ['individual', '2026-03-01', undefined, true, '2028-02-29', false],
    ['global', '2026-01-15', '2027-01-14', true, '2027-01-14', false],
    ['individual', '2026-01-15', '2028-06-01', false, null, false],
    ['large_project', '2026-01-15', undefined, true, '2030-01-14', true],
    ['eu_general_registration', '2026-01-15', undefined, true, null, true],
  ] as const)(
    '%s issued %s until %s: ok=%s until %s (verified %s)',
    (licenceType, issuedOn, requestedValidUntil, ok, validUntil, verified) => {
      const v = computeValidity(types, { licenceType, issuedOn, requestedValidUntil });
      expect(v).toMatchObject({ ok, validUntil, verified });
      if (!verified) expect(v.reasons.join(' ')).toMatch(/UNVERIFIED/);
    },
  );

  it('lets a large project exceed four years only when duly justified', () => {
    expect(
      computeValidity(types, {
        licenceType: 'large_project',
        issuedOn: '2026-01-15',
        requestedValidUntil: '2031-01-14',
      }).ok,
    ).toBe(false);
    expect(
      computeValidity(types, {
        licenceType: 'large_project',
        issuedOn: '2026-01-15',
        requestedValidUntil: '2031-01-14',
        dulyJustified: true,
      }).ok,
    ).toBe(true);
  });

  it('requires an ICP for a global licence unless waived (Art 12(4))', () => {
    expect(checkLicenceRequirements(types, 'global', {}).guardFacts.icp_on_file_or_waived).toBe(false);
    expect(checkLicenceRequirements(types, 'global', { icpWaivedByAuthority: true }).met).toBe(true);
    const individual = checkLicenceRequirements(types, 'individual', {});
    expect(individual.met).toBe(false);
    expect(individual.guardFacts).toEqual({ icp_on_file_or_waived: true, end_use_statement_on_file: false });
    expect(checkLicenceRequirements(types, 'individual', { endUseStatementExempted: true }).met).toBe(true);
  });

  it.each([
    ['change_end_user', {}, 'active', false, 'new_application'],
    ['increase_quantity_or_value', {}, 'active', true, 'reassess'],
    ['correct_clerical_error', {}, 'suspended', true, 'administrative'],
    ['correct_clerical_error', {}, 'revoked', false, 'refused'],
    ['extend_validity', { newValidUntil: '2027-06-30' }, 'active', true, 'reassess'],
    ['extend_validity', { newValidUntil: '2029-06-30' }, 'active', false, 'new_application'],
    ['rename_everything', {}, 'active', false, 'refused'],
  ] as const)('amendment %s on a %s licence', (kind, extra, status, allowed, effect) => {
    const r = planAmendment(
      types,
      { licenceType: 'individual', status, issuedOn: '2026-01-10' },
      { kind, ...extra },
    );
    expect(r).toMatchObject({ allowed, effect });
  });
});
