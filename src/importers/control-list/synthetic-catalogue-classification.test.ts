// Every synthetic item template classified under the law: the typical product of each category gets the entries the
// law gives it, and drawn items mix controlled, excluded and undetermined ones without ever leaving their category.
import { describe, expect, it } from 'vitest';
import { FACT_KEYS, parseItemTechnicalProfile } from '../../domain/classification.ts';
import type { ItemForm } from '../../domain/model.ts';
import { classifyItem } from '../../engines/classification/classifier.ts';
import { Rng } from '../../engines/synthetic/prng.ts';
import { ITEM_TEMPLATES } from '../../engines/synthetic/synthetic-catalogue.ts';
import type { ItemTemplate } from '../../engines/synthetic/synthetic-catalogue.ts';
import { generateFacts } from '../../engines/synthetic/synthetic-generator.ts';
import { loadClassificationPolicy } from './classification-policy.loader.ts';

const policy = loadClassificationPolicy();
const classify = (t: ItemTemplate, itemForm: ItemForm, facts: Record<string, unknown>) =>
  classifyItem(
    parseItemTechnicalProfile({
      itemForm,
      description: t.label,
      biometricModality: t.biometricModality ?? 'none',
      facts,
    }),
    policy,
    { profileId: 'legal', controlListVersion: 'test' },
  );

/**
 * What the law gives each category (Annex I as amended to 2025, Art. 2(20)), written from the entries' text:
 * `typical` = entries met by the typical product per form, and its Art. 2(20) value; `possible` = every entry any
 * variant of the category can meet; `mixed` = variants fall on both sides of the list (Notes, missing criteria).
 */
const LAW: Record<
  string,
  {
    typical: Partial<Record<ItemForm, string[]>>;
    art220: boolean | 'unknown';
    possible: string[];
    mixed: boolean;
  }
> = {
  // Fake base station extracting IMSI/IMEI: 5A001.f.2; operator drive-test scanners fall under the Note to 5A001.f.
  imsi_catcher: {
    typical: { hardware: ['5A001.f.2'] },
    art220: true,
    possible: ['5A001.f.1', '5A001.f.2'],
    mixed: true,
  },
  // Carrier-class probes with layer-7 extraction, indexing, hard selectors and mapping: 5A001.j, its software 5D001.c.
  interception_system: {
    typical: { hardware: ['5A001.j'], software: ['5D001.c'] },
    art220: true,
    possible: ['5A001.j', '5D001.c', '5D001.e'],
    mixed: true,
  },
  // Law-enforcement monitoring centre software on handover data: 5D001.e; mediation devices and billing excluded.
  monitoring_centre: {
    typical: { software: ['5D001.e'], hardware: [] },
    art220: true,
    possible: ['5D001.e', '5D001.c'],
    mixed: true,
  },
  // DPI sold for QoS/QoE or marketing: the Note to 5A001.j; only a full surveillance variant is listed.
  deep_packet_inspection: {
    typical: { hardware: [], software: [] },
    art220: false,
    possible: ['5A001.j', '5D001.c'],
    mixed: true,
  },
  // Command and control of intrusion software: 4D004; an owner-installed recovery agent is not intrusion software.
  spyware_c2: { typical: { software: ['4D004'] }, art220: true, possible: ['4D004'], mixed: true },
  // Raw extraction circumventing authentication: 5A004.b / 5D002.c.3.b; logical-only and chip-off kits excluded.
  mobile_forensics: {
    typical: { hardware: ['5A004.b'], software: ['5D002.c.3.b'] },
    art220: false,
    possible: ['5A004.b', '5D002.c.3.b'],
    mixed: true,
  },
  // No Annex I entry for biometric identification; Art. 2(20) open (dual use and ICT systems not stated).
  facial_recognition: {
    typical: { software: [], hardware: [] },
    art220: 'unknown',
    possible: [],
    mixed: false,
  },
  // SS7 location tracking: not in Annex I, but a cyber-surveillance item (Art. 5 catch-all).
  ss7_location_tracking: { typical: { software: [] }, art220: true, possible: [], mixed: false },
  // Development technology for monitoring-centre functions: 5E001.a.
  interception_technology: {
    typical: { technology: ['5E001.a'] },
    art220: true,
    possible: ['5E001.a'],
    mixed: true,
  },
  network_probe: { typical: { hardware: [], software: [] }, art220: false, possible: [], mixed: false },
  core_router: { typical: { hardware: [] }, art220: false, possible: [], mixed: false },
  radio_access: { typical: { hardware: [] }, art220: false, possible: [], mixed: false },
  // Cryptography (5A002 and onwards) is outside the cyber-surveillance rules: never listed by them.
  hardware_security_module: { typical: { hardware: [] }, art220: false, possible: [], mixed: false },
  vpn_gateway: { typical: { hardware: [], software: [] }, art220: false, possible: [], mixed: false },
  secure_phone: { typical: { hardware: [] }, art220: false, possible: [], mixed: false },
  crypto_sdk: { typical: { software: [] }, art220: false, possible: [], mixed: false },
  crypto_technology: { typical: { technology: [] }, art220: false, possible: [], mixed: false },
  // Exploit frameworks delivering payloads that defeat ASLR/DEP: 4D004; scanners without delivery are not.
  penetration_testing: { typical: { software: ['4D004'] }, art220: false, possible: ['4D004'], mixed: true },
};

/** The typical product: every probability resolved to its likelier value, stated unknowns kept, the rest false. */
function typicalFacts(t: ItemTemplate): Record<string, unknown> {
  return Object.fromEntries(
    FACT_KEYS.map((k) => {
      const v = t.facts[k] ?? false;
      return [k, typeof v === 'number' ? v >= 0.5 : v];
    }),
  );
}

describe('synthetic item templates classified under the law', () => {
  it('has the law written down for every template category', () => {
    expect(ITEM_TEMPLATES.map((t) => t.category).sort()).toEqual(Object.keys(LAW).sort());
  });

  for (const t of ITEM_TEMPLATES) {
    const law = LAW[t.category]!;
    it(`${t.category}: the typical product gets the law's entries for each of its forms`, () => {
      for (const [form] of t.forms) {
        const r = classify(t, form, typicalFacts(t));
        expect(r.matchedEntries, `${t.category} as ${form}`).toEqual(law.typical[form]);
        expect(r.listing).toBe(law.typical[form]!.length > 0 ? 'listed' : 'not_listed');
        expect(r.cyberSurveillance.value, `${t.category} Art. 2(20)`).toBe(law.art220);
      }
    });

    it(`${t.category}: drawn items stay within the category's entries${law.mixed ? ' and mix both sides' : ''}`, () => {
      const rng = new Rng(`classify:${t.category}`);
      const listings = new Map<string, number>();
      for (let i = 0; i < 300; i++) {
        const form = rng.weighted(t.forms);
        const r = classify(t, form, generateFacts(rng, t));
        for (const code of r.matchedEntries) expect(law.possible).toContain(code);
        listings.set(r.listing, (listings.get(r.listing) ?? 0) + 1);
        // An undetermined outcome always comes with the questions that settle it; a determined one needs none.
        if (r.listing === 'undetermined') expect(r.questions.length).toBeGreaterThan(0);
      }
      if (law.mixed) {
        expect(listings.get('listed') ?? 0).toBeGreaterThan(0);
        expect((listings.get('not_listed') ?? 0) + (listings.get('undetermined') ?? 0)).toBeGreaterThan(0);
      } else expect(listings.get('listed') ?? 0).toBe(0);
    });
  }
});
