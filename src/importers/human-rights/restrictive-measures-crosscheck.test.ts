/**
 * Cross-checks policy/countries/restrictive-measures.yaml (written from the law) against the OpenSanctions
 * programme descriptions in ../shared: every EU programme whose summary mentions a ban on internal-repression or
 * telecom-monitoring equipment (or dual-use exports, or an arms embargo) must be covered with the same target
 * countries. Differences that are not failures are reported in the test output.
 */
import fs from 'node:fs';
import { expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { describeWithShared, sharedPath } from '../../../test/support/shared.ts';
import type { MeasureKind } from '../../domain/assessment.ts';
import { isCountryCode } from '../../domain/codes.ts';
import { loadRestrictiveMeasures } from './policy-loader.ts';

interface Programme {
  key: string;
  summary: string;
  targets: string[];
  measures: string[];
}

const DIR = ['data', 'sanctions', 'opensanctions-programs'];

function loadProgrammes(): Programme[] {
  const dir = sharedPath(...DIR);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yml'))
    .sort()
    .map((f) => {
      const d = parseYaml(fs.readFileSync(`${dir}/${f}`, 'utf-8')) as Record<string, unknown>;
      return {
        key: String(d.key),
        summary: String(d.summary ?? '').replace(/\s+/g, ' '),
        targets: ((d.target_territories as string[] | null) ?? [])
          .map((t) => t.toUpperCase())
          .filter((t) => isCountryCode(t)),
        measures: (d.measures as string[] | null) ?? [],
      };
    });
}

/** Kinds of ban a programme summary mentions as in force (sentences saying "lifted" or "repealed" are ignored). */
export function bansMentioned(summary: string): Set<MeasureKind> {
  const kinds = new Set<MeasureKind>();
  for (const sentence of summary.split(/(?<=\.)\s+/)) {
    if (/\b(was|were|been|is|are) (lifted|repealed)\b/i.test(sentence)) continue;
    const equipment = /equipment|software|technology/i.test(sentence);
    if (equipment && /internal[- ]repression/i.test(sentence)) kinds.add('internal_repression_equipment_ban');
    if (equipment && /intercept|monitoring/i.test(sentence)) kinds.add('telecom_monitoring_equipment_ban');
    if (/dual-use/i.test(sentence) && /export/i.test(sentence)) kinds.add('dual_use_export_ban');
  }
  return kinds;
}

describeWithShared('restrictive measures cross-checked against OpenSanctions programmes', [DIR], () => {
  const programmes = loadProgrammes();
  const { measures } = loadRestrictiveMeasures();
  const report: string[] = [];

  it('reads the programme files', () => {
    expect(programmes.length).toBeGreaterThan(50);
    expect(
      bansMentioned('It prohibits exports of equipment which might be used for internal repression.'),
    ).toEqual(new Set(['internal_repression_equipment_ban']));
    expect(
      bansMentioned('The ban on exporting equipment usable for internal repression was lifted in 2014.').size,
    ).toBe(0);
  });

  it('cites only programme keys that exist', () => {
    const keys = new Set(programmes.map((p) => p.key));
    const unknown = measures.flatMap((m) =>
      m.programmeKeys.filter((k) => !keys.has(k)).map((k) => `${m.id}: ${k}`),
    );
    expect(unknown).toEqual([]);
  });

  it('covers every EU programme whose summary mentions an equipment, dual-use or arms ban, with the same countries', () => {
    const failures: string[] = [];
    for (const p of programmes.filter((x) => x.key.startsWith('EU-'))) {
      const kinds = bansMentioned(p.summary);
      if (p.measures.includes('Arms embargo')) kinds.add('arms_embargo');
      for (const kind of kinds) {
        const ours = measures.filter((m) => m.kind === kind && m.programmeKeys.includes(p.key));
        if (ours.length === 0) {
          failures.push(`${p.key}: summary mentions ${kind} but no measure covers it`);
          continue;
        }
        for (const m of ours) {
          const a = [...m.countries].sort().join(',');
          const b = [...p.targets].sort().join(',');
          if (!p.targets.every((t) => m.countries.includes(t)) && kind !== 'arms_embargo')
            failures.push(`${m.id}: countries ${a} vs programme ${p.key} ${b}`);
          else if (a !== b) report.push(`${m.id}: countries ${a} vs programme ${p.key} ${b}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('reports measures the programme summaries do not mention, none of them marked verified', () => {
    for (const m of measures.filter((x) => x.kind !== 'arms_embargo')) {
      const mentioned = m.programmeKeys.some((k) => {
        const p = programmes.find((x) => x.key === k);
        return p ? bansMentioned(p.summary).has(m.kind) : false;
      });
      if (!mentioned)
        report.push(`${m.id}: ${m.kind} not mentioned in the summaries of ${m.programmeKeys.join(', ')}`);
    }
    for (const p of programmes.filter(
      (x) =>
        x.measures.includes('Arms restrictions') ||
        (x.key.startsWith('UN-') && x.measures.includes('Arms embargo')),
    )) {
      if (!measures.some((m) => m.kind === 'arms_embargo' && m.programmeKeys.includes(p.key)))
        report.push(`${p.key}: arms restrictions listed by the programme, not modelled`);
    }
    console.info(
      `[restrictive measures cross-check] ${report.length} difference(s):\n  ${report.join('\n  ')}`,
    );
    // A measure the secondary source does not corroborate must not be marked verified.
    const uncorroborated = measures.filter((m) => report.some((r) => r.startsWith(`${m.id}:`)));
    expect(uncorroborated.filter((m) => m.verified).map((m) => m.id)).toEqual([]);
  });
});
