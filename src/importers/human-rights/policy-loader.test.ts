/** The policy files load and validate; a bad file fails naming the file and the rule. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { SAFEGUARD_CRITERIA, createDefaultSafeguardChecklist } from '../../domain/assessment.ts';
import { DomainError } from '../../domain/errors.ts';
import {
  DEFAULT_MEASURES_FILE,
  DEFAULT_MODEL_FILE,
  loadAssessmentModel,
  loadCountryNameTable,
  loadRestrictiveMeasures,
} from './policy-loader.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-policy-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function mutate(file: string, edit: (doc: Record<string, unknown>) => void): string {
  const doc = parseYaml(fs.readFileSync(file, 'utf-8')) as Record<string, unknown>;
  edit(doc);
  const out = path.join(tmp, path.basename(file));
  fs.writeFileSync(out, stringify(doc));
  return out;
}
function failure(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('assessment policy files', () => {
  it('load and validate', () => {
    const model = loadAssessmentModel();
    expect(model.version).toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(model.caseLaw.map((c) => c.id)).toEqual(
      expect.arrayContaining([
        'roman-zakharov',
        'szabo-vissy',
        'big-brother-watch',
        'centrum-for-rattvisa',
        'podchasov',
        'weber-saravia',
        'digital-rights-ireland',
        'tele2-sverige',
        'la-quadrature-du-net',
        'privacy-international',
        'schrems-ii',
      ]),
    );
    // case details are [M] in the brief: none may claim verification yet
    expect(model.caseLaw.filter((c) => c.verified)).toEqual([]);
    const measures = loadRestrictiveMeasures();
    const telecom = measures.measures
      .filter((m) => m.kind === 'telecom_monitoring_equipment_ban')
      .flatMap((m) => m.countries);
    expect(telecom).toEqual(expect.arrayContaining(['IR', 'MM', 'RU', 'SY', 'VE', 'BY']));
    expect(measures.measures.find((m) => m.id === 'eu-syr-telecom')?.legalActs.join(' ')).toContain(
      'No 36/2012',
    );
    expect(Object.keys(loadCountryNameTable().aliases).length).toBeGreaterThan(10);
  });

  it('fail naming the file and the rule on a bad weight', () => {
    const bad = mutate(DEFAULT_MODEL_FILE, (d) => {
      (d.thresholds as Record<string, unknown>).clearRisk01 = 1.7;
    });
    const e = failure(() => loadAssessmentModel(bad));
    expect(e.code).toBe('INVALID');
    expect(e.message).toContain('model.yaml');
    expect(e.issues.map((i) => i.path)).toContain(`${bad}:thresholds.clearRisk01`);
  });

  it('fail on a capability citing an unknown case and on a missing capability', () => {
    const unknownCase = mutate(DEFAULT_MODEL_FILE, (d) => {
      const caps = d.capabilities as Record<string, Record<string, unknown>>;
      (caps.intrusion_software as Record<string, unknown>).standards = ['no-such-case'];
    });
    const e = failure(() => loadAssessmentModel(unknownCase));
    expect(e.message).toContain('no-such-case');
    expect(e.issues.some((i) => i.path.endsWith('capabilities.intrusion_software.standards'))).toBe(true);
    const missing = mutate(DEFAULT_MODEL_FILE, (d) => {
      delete (d.capabilities as Record<string, unknown>).imsi_catcher;
    });
    expect(
      failure(() => loadAssessmentModel(missing)).issues.some((i) =>
        i.path.endsWith('capabilities.imsi_catcher'),
      ),
    ).toBe(true);
  });

  it('fail on a measure with an unknown country or a duplicate id', () => {
    const bad = mutate(DEFAULT_MEASURES_FILE, (d) => {
      const list = d.measures as Record<string, unknown>[];
      (list[0] as Record<string, unknown>).countries = ['QQ'];
      list.push({ ...(list[1] as Record<string, unknown>) });
    });
    const e = failure(() => loadRestrictiveMeasures(bad));
    const paths = e.issues.map((i) => i.path.split(':').pop());
    expect(paths).toContain('measures.0.countries.0');
    expect(e.message).toContain('Duplicate measure id');
  });

  it('give every country the 14-criterion safeguards checklist, unknown by default', () => {
    const list = createDefaultSafeguardChecklist();
    expect(list).toHaveLength(14);
    expect(SAFEGUARD_CRITERIA.map((c) => c.n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(list.every((a) => a.value === 'unknown' && a.source === null)).toBe(true);
  });
});
