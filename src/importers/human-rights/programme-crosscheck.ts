/**
 * Cross-check of the restrictive measures written from the law against OpenSanctions programme descriptions
 * (../shared/data/sanctions/opensanctions-programs/*.yml): coverage of every EU ban mentioned, and target countries.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { MeasureKind, RestrictiveMeasure } from '../../domain/assessment.ts';
import { isCountryCode } from '../../domain/codes.ts';
import { invalid } from '../../domain/errors.ts';

export interface ProgrammeDescription {
  key: string;
  summary: string;
  /** ISO alpha-2 target countries (sub-national and thematic codes dropped). */
  targets: string[];
  measures: string[];
}

/** Read every `*.yml` programme file of a folder, sorted by file name. */
export function loadProgrammeDescriptions(dir: string): ProgrammeDescription[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yml'))
    .sort()
    .map((f) => {
      let d: Record<string, unknown>;
      try {
        d = parseYaml(fs.readFileSync(path.join(dir, f), 'utf-8')) as Record<string, unknown>;
      } catch (e) {
        throw invalid(`${f}: ${(e as Error).message}`, [{ path: f, message: 'invalid YAML' }]);
      }
      if (typeof d.key !== 'string')
        throw invalid(`${f}: no key`, [{ path: `${f}:key`, message: 'missing' }]);
      return {
        key: d.key,
        summary: String(d.summary ?? '').replace(/\s+/g, ' '),
        targets: ((d.target_territories as string[] | null) ?? [])
          .map((t) => t.toUpperCase())
          .filter((t) => isCountryCode(t)),
        measures: (d.measures as string[] | null) ?? [],
      };
    });
}

/** Kinds of ban a programme summary mentions as in force (sentences saying a ban "was lifted" are ignored). */
export function findBansMentioned(summary: string): Set<MeasureKind> {
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

export interface CrossCheckResult {
  /** Differences that make the measures file wrong: uncovered bans, missing countries, unknown keys. */
  failures: string[];
  /** Differences to read, not failures: extra measures, extra countries, arms restrictions not modelled. */
  report: string[];
}

/**
 * Every EU programme whose summary mentions an internal-repression, telecom-monitoring or dual-use ban, or that
 * lists an arms embargo, must be covered by a measure of that kind citing the programme, whose countries include
 * the programme's targets.
 *
 * @example
 * const { failures, report } = crossCheckMeasures(loadProgrammeDescriptions(dir), measures);
 */
export function crossCheckMeasures(
  programmes: ProgrammeDescription[],
  measures: RestrictiveMeasure[],
): CrossCheckResult {
  const failures: string[] = [];
  const report: string[] = [];
  const keys = new Set(programmes.map((p) => p.key));
  for (const m of measures)
    for (const k of m.programmeKeys) if (!keys.has(k)) failures.push(`${m.id}: unknown programme ${k}`);
  for (const p of programmes.filter((x) => x.key.startsWith('EU-'))) {
    const kinds = findBansMentioned(p.summary);
    if (p.measures.includes('Arms embargo')) kinds.add('arms_embargo');
    for (const kind of [...kinds].sort()) {
      const ours = measures.filter((m) => m.kind === kind && m.programmeKeys.includes(p.key));
      if (ours.length === 0) {
        failures.push(`${p.key}: mentions ${kind}, not covered`);
        continue;
      }
      for (const m of ours) {
        const a = [...m.countries].sort().join(',');
        const b = [...p.targets].sort().join(',');
        if (!p.targets.every((t) => m.countries.includes(t)))
          failures.push(`${m.id}: countries ${a} miss targets of ${p.key} (${b})`);
        else if (a !== b) report.push(`${m.id}: countries ${a} vs ${p.key} targets ${b}`);
      }
    }
  }
  for (const m of measures.filter((x) => x.kind !== 'arms_embargo')) {
    const mentioned = m.programmeKeys.some((k) => {
      const p = programmes.find((x) => x.key === k);
      return p ? findBansMentioned(p.summary).has(m.kind) : false;
    });
    if (!mentioned)
      report.push(
        `${m.id}: ${m.kind} not mentioned in the summaries of ${m.programmeKeys.join(', ') || 'any programme'}`,
      );
  }
  for (const p of programmes.filter(
    (x) =>
      x.measures.includes('Arms restrictions') ||
      (x.key.startsWith('UN-') && x.measures.includes('Arms embargo')),
  )) {
    if (!measures.some((m) => m.kind === 'arms_embargo' && m.programmeKeys.includes(p.key)))
      report.push(`${p.key}: arms restrictions listed, not modelled`);
  }
  return { failures, report };
}
