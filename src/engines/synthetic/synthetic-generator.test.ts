/** Tests of the synthetic data generator: determinism, labelling, and per-application invariants (property-based). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../domain/errors.ts';
import { EU_MEMBER_STATES, isCountryCode, isCurrencyCode } from '../../domain/codes.ts';
import { APPLICATION_STATUSES, ITEM_FORMS, PARTY_TYPES } from '../../domain/model.ts';
import {
  buildSyntheticWorld,
  defaultExporterCount,
  deriveSyntheticOrganisationId,
  generateSyntheticApplications,
  validateSyntheticOptions,
  type SyntheticOptions,
} from './synthetic-generator.ts';
import { FACT_KEYS } from '../../domain/classification.ts';

const REF = new Date('2026-06-30T12:00:00Z');
const generateAll = (o: SyntheticOptions) => {
  const world = buildSyntheticWorld(o);
  return { world, applications: [...generateSyntheticApplications(world)] };
};

describe('synthetic generator', () => {
  it('is deterministic: the same seed and reference date give identical output', () => {
    const o = { seed: 5, referenceDate: REF, applications: 400, exporters: 12 };
    expect(generateAll(o)).toEqual(generateAll({ ...o, referenceDate: new Date(REF.getTime()) }));
  });

  it('gives different data for another seed, and a shorter history for an earlier reference date', () => {
    const a = generateAll({ seed: 5, referenceDate: REF, applications: 50, exporters: 5 });
    const b = generateAll({ seed: 6, referenceDate: REF, applications: 50, exporters: 5 });
    expect(b.world.exporters.map((e) => e.name)).not.toEqual(a.world.exporters.map((e) => e.name));
    expect(new Set([...a.applications, ...b.applications].map((x) => x.id)).size).toBe(100);
    const early = generateAll({
      seed: 5,
      referenceDate: new Date('2023-03-01'),
      applications: 50,
      exporters: 5,
    });
    for (const x of early.applications)
      expect(x.updatedAt.getTime()).toBeLessThanOrEqual(Date.parse('2023-03-01'));
  });

  it('builds exporters in EU Member States with catalogues and party books, all marked synthetic', () => {
    const { world } = generateAll({ seed: 1, referenceDate: REF, applications: 0, exporters: 60 });
    expect(world.exporters).toHaveLength(60);
    expect(world.exporters[0]!.id).toBe(deriveSyntheticOrganisationId(1, 0));
    expect(new Set(world.exporters.map((e) => e.name.toLowerCase())).size).toBe(60);
    for (const e of world.exporters) {
      expect(EU_MEMBER_STATES as readonly string[]).toContain(e.country);
      expect(e.name).toMatch(/ \(synthetic\)$/);
    }
    for (const i of world.items) {
      expect(ITEM_FORMS).toContain(i.itemForm);
      expect(i.name).toMatch(/ \(synthetic\)$/);
      expect(Object.keys(i.technicalProfile.facts).sort()).toEqual([...FACT_KEYS].sort());
      expect(i.unitPriceEur).toBeGreaterThan(0);
    }
    expect(world.items.some((i) => i.cyberSurveillance)).toBe(true);
    expect(world.items.some((i) => !i.cyberSurveillance)).toBe(true);
    for (const p of world.parties) {
      expect(PARTY_TYPES).toContain(p.partyType);
      expect(isCountryCode(p.country)).toBe(true);
      expect(EU_MEMBER_STATES as readonly string[]).not.toContain(p.country);
      expect(p.name).toMatch(/ \(synthetic\)$/);
    }
  });

  it('keeps every application internally consistent (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000, max: 1_000_000 }),
        fc.integer({ min: Date.UTC(2023, 1, 1), max: Date.UTC(2030, 0, 1) }),
        fc.integer({ min: 1, max: 120 }),
        (seed, refMs, n) => {
          const { world, applications } = generateAll({
            seed,
            referenceDate: new Date(refMs),
            applications: n,
            exporters: 6,
          });
          const items = new Map(world.items.map((i) => [i.id, i]));
          const parties = new Map(world.parties.map((p) => [p.id, p]));
          const refs = new Set<string>();
          for (const a of applications) {
            refs.add(a.reference);
            expect(a.reference).toMatch(/^SYN-\d{4}-\d{6}$/);
            expect(APPLICATION_STATUSES).toContain(a.status);
            expect(a.lines.length).toBeGreaterThanOrEqual(1);
            expect(a.lines.length).toBeLessThanOrEqual(4);
            let total = 0;
            for (const l of a.lines) {
              expect(items.get(l.itemId)!.organisationId).toBe(a.organisationId);
              expect(l.quantity).toBeGreaterThan(0);
              expect(isCurrencyCode(l.currency)).toBe(true);
              total += l.valueEur;
            }
            expect(a.totalValueEur).toBeCloseTo(total, 2);
            expect(a.parties.filter((p) => p.role === 'end_user')).toHaveLength(1);
            expect(a.parties.filter((p) => p.role === 'consignee')).toHaveLength(1);
            for (const p of a.parties) expect(parties.get(p.partyId)!.organisationId).toBe(a.organisationId);
            const t = a.transitions;
            expect(t[0]!.fromStatus).toBeNull();
            for (let k = 1; k < t.length; k++) {
              expect(t[k]!.fromStatus).toBe(t[k - 1]!.toStatus);
              expect(t[k]!.at.getTime()).toBeGreaterThanOrEqual(t[k - 1]!.at.getTime());
            }
            expect(t[t.length - 1]!.toStatus).toBe(a.status);
            expect(a.updatedAt.getTime()).toBeLessThanOrEqual(refMs);
            expect(a.createdAt.getTime()).toBeGreaterThanOrEqual(Date.UTC(2023, 0, 1));
            expect(a.reference.slice(4, 8)).toBe(String(a.createdAt.getUTCFullYear()));
            const decided =
              a.status === 'granted' || a.status === 'granted_with_conditions' || a.status === 'denied';
            expect(a.decision !== null).toBe(decided);
            expect(a.licence !== null).toBe(decided && a.status !== 'denied');
            if (a.decision) expect(a.decision.outcome).toBe(a.status);
            expect(a.submittedAt === null).toBe(a.status === 'draft');
          }
          expect(refs.size).toBe(applications.length);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('numbers references per year in order of creation', () => {
    const { applications } = generateAll({ seed: 3, referenceDate: REF, applications: 2000, exporters: 20 });
    const byYear = new Map<string, number[]>();
    for (const a of applications) {
      const [, year, serial] = a.reference.split('-');
      byYear.set(year!, [...(byYear.get(year!) ?? []), Number(serial)]);
    }
    expect([...byYear.keys()]).toEqual(['2023', '2024', '2025', '2026']);
    for (const serials of byYear.values()) expect(serials).toEqual(serials.map((_, k) => k + 1));
  });

  it('denies embargoed destinations and gives licences only to grants', () => {
    const { applications } = generateAll({ seed: 11, referenceDate: REF, applications: 6000, exporters: 80 });
    const embargoed = applications.filter((a) => ['RU', 'BY'].includes(a.destinationCountry) && a.decision);
    expect(embargoed.length).toBeGreaterThan(0);
    expect(embargoed.filter((a) => a.status === 'denied').length / embargoed.length).toBeGreaterThan(0.9);
    for (const a of embargoed.filter((x) => x.status === 'denied'))
      expect(a.decision!.legalBasis.join(' ')).toMatch(/833\/2014|765\/2006/);
    const conditions = applications.filter((a) => a.status === 'granted_with_conditions');
    for (const a of conditions) expect(a.decision!.conditions.length).toBeGreaterThan(0);
  });

  it('validates options, naming each bad field', () => {
    const bad = (o: Partial<SyntheticOptions>) => {
      try {
        validateSyntheticOptions({ seed: 1, referenceDate: REF, applications: 10, exporters: 3, ...o });
        return [];
      } catch (e) {
        expect(e).toBeInstanceOf(DomainError);
        return (e as DomainError).issues.map((i) => i.path);
      }
    };
    expect(bad({})).toEqual([]);
    expect(bad({ seed: Number.NaN })).toEqual(['seed']);
    expect(bad({ applications: 2.5 })).toEqual(['applications']);
    expect(bad({ exporters: 0 })).toEqual(['exporters']);
    expect(bad({ referenceDate: new Date('nope') })).toEqual(['referenceDate']);
    expect(bad({ referenceDate: new Date('2023-03-01'), applications: 5_000_000 })).toEqual(['applications']);
    expect(defaultExporterCount(1000)).toBe(32);
    expect(defaultExporterCount(1_000_000)).toBe(1000);
    expect(defaultExporterCount(0)).toBe(5);
  });
});
