import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../domain/errors.ts';
import { loadYaml } from '../../../test/fixtures/reporting/records.ts';
import { CONFIDENTIAL_FIELDS, parseRedactionPolicy, PUBLISHABLE_FIELDS } from './redaction-policy.ts';
import { parseDescriptionVocabulary } from './description-vocabulary.ts';

const raw = () =>
  structuredClone(loadYaml('policy/redaction/default.yaml')) as Record<string, Record<string, unknown>>;

function refusal(data: unknown): { message: string; paths: string[] } {
  try {
    parseRedactionPolicy(data, 'test.yaml');
  } catch (e) {
    if (isDomainError(e)) return { message: e.message, paths: e.issues.map((i) => i.path) };
    throw e;
  }
  throw new Error('policy was accepted');
}

describe('parseRedactionPolicy', () => {
  it('accepts the default policy, which sets every publishable field and withholds legal persons’ names', () => {
    const policy = parseRedactionPolicy(raw(), 'policy/redaction/default.yaml');
    expect(Object.keys(policy.fields).sort()).toEqual([...PUBLISHABLE_FIELDS].sort());
    expect(policy.fields['parties.name.legalPerson'].publish).toBe(false);
  });

  it.each(Object.keys(CONFIDENTIAL_FIELDS))(
    'refuses a policy publishing confidential field %s, with the reason',
    (field) => {
      const data = raw();
      data.fields![field] = { publish: true, source: 'wish' };
      const r = refusal(data);
      expect(r.paths).toEqual([`test.yaml:fields.${field}`]);
      expect(r.message).toContain('confidential and can never be published');
      expect(r.message).toContain(CONFIDENTIAL_FIELDS[field as keyof typeof CONFIDENTIAL_FIELDS]);
    },
  );

  it('accepts a confidential field explicitly withheld', () => {
    const data = raw();
    data.fields!.exporterName = { publish: false, source: 'Art. 26(3)' };
    expect(() => parseRedactionPolicy(data, 'x.yaml')).not.toThrow();
  });

  it('refuses unknown fields, missing fields and bad thresholds, naming file and field', () => {
    const data = raw();
    data.fields!['lines.secretSauce'] = { publish: true, source: 'x' };
    delete data.fields!.reference;
    expect(refusal(data).paths.sort()).toEqual([
      'test.yaml:fields.lines.secretSauce',
      'test.yaml:fields.reference',
    ]);
    const bad = raw();
    bad.aggregation!.minApplicationsPerCell = 0;
    expect(refusal(bad).paths).toEqual(['test.yaml:aggregation.minApplicationsPerCell']);
  });
});

describe('parseDescriptionVocabulary', () => {
  it('loads the repository vocabulary and refuses duplicate codes', () => {
    const data = loadYaml('policy/vocabulary/item-descriptions.yaml') as { descriptions: unknown[] };
    const vocabulary = parseDescriptionVocabulary(data, 'v.yaml');
    expect(vocabulary.byCode.get('IP-SURVEILLANCE')?.controlEntries).toEqual(['5A001.j']);
    const dup = structuredClone(data);
    dup.descriptions.push(dup.descriptions[0]);
    expect(() => parseDescriptionVocabulary(dup, 'v.yaml')).toThrow(/duplicate code MOB-INTERCEPT/);
  });
});
