import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_CLASSIFICATION_POLICY_DIR,
  loadClassificationPolicy,
  loadSearchVocabulary,
} from './classification-policy.loader.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-policy-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('classification policy loader', () => {
  it('loads the repository rules, the legal and broad profiles, and the vocabulary', () => {
    const p = loadClassificationPolicy();
    expect([...p.profiles.keys()].sort()).toEqual(['broad', 'legal']);
    expect(p.entryRuleIds).toEqual(
      expect.arrayContaining([
        '5A001.f.1',
        '5A001.f.2',
        '5A001.f.3',
        '5A001.f.4',
        '5A001.j',
        '5D001.e',
        '4A005',
        '4D004',
        '4E001.c',
        '5A004.b',
        '5D002.c.3.b',
      ]),
    );
    for (const r of p.rules.values()) expect(r.source.quote.length).toBeGreaterThan(5);
    expect(loadSearchVocabulary().terms.length).toBeGreaterThan(5);
  });

  it("adds an authority's own profile from another directory", () => {
    const dir = path.join(tmp, 'authority');
    fs.mkdirSync(dir);
    fs.writeFileSync(
      path.join(dir, 'de-national.yaml'),
      [
        'id: de-national',
        'version: "2026-1"',
        'title: National list of monitoring centres',
        'summary: Flags monitoring-centre equipment under a national measure (Art. 9).',
        'flagConsequence: National licence requirement (Art. 9).',
        'flags:',
        '  - id: monitoring-centre',
        '    title: Monitoring centre',
        '    rationale: National list entry.',
        "    source: { entry: 'National list', quote: 'monitoring centres' }",
        '    when: { fact: designedForLawEnforcementMonitoring }',
      ].join('\n'),
    );
    const p = loadClassificationPolicy(DEFAULT_CLASSIFICATION_POLICY_DIR, [dir]);
    expect(p.profiles.get('de-national')?.flags[0]?.id).toBe('monitoring-centre');
  });

  it('fails on a bad profile naming the file and the flag', () => {
    const dir = path.join(tmp, 'bad');
    fs.mkdirSync(dir);
    fs.writeFileSync(
      path.join(dir, 'bad.yaml'),
      "id: bad\nversion: '1'\ntitle: B\nsummary: s\nflags:\n  - { id: f1, title: t, rationale: r, source: { entry: e, quote: q }, when: { fact: isSpyware } }\n",
    );
    expect(() => loadClassificationPolicy(DEFAULT_CLASSIFICATION_POLICY_DIR, [dir])).toThrow(
      /bad\.yaml: flag f1\.when\.fact: unknown fact "isSpyware"/,
    );
  });
});

describe('published JSON Schema of the item technical profile', () => {
  it('policy/classification/item-technical-profile.schema.json is the schema the code generates', async () => {
    const { buildItemTechnicalProfileJsonSchema } = await import('../../domain/classification.ts');
    const committed = JSON.parse(
      fs.readFileSync(
        path.join(DEFAULT_CLASSIFICATION_POLICY_DIR, 'item-technical-profile.schema.json'),
        'utf8',
      ),
    );
    expect(committed).toEqual(buildItemTechnicalProfileJsonSchema());
  });
});
