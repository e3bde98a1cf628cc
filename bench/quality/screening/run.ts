/**
 * Screening quality benchmark on ../shared/bench/screening: labelled pair checks (P/R/F1 across thresholds), recall@k
 * of treated UN names against the UN list, alerts per 1,000 synthetic negatives against UN + OFAC 2021 + CSL, and
 * cross-script pairs; Custos beside three npm baselines. Run: npx tsx bench/quality/screening/run.ts
 * Writes bench/results/screening-quality.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import YAML from 'yaml';
import type { EntitySchema, WatchlistEntry } from '../../../src/domain/watchlist.ts';
import {
  DEFAULT_MATCH_THRESHOLD,
  type Scorer,
  buildScreeningIndex,
  custosScorer,
  matchPair,
  prepareName,
  screenName,
} from '../../../src/engines/screening/index.ts';
import { toCountryCode } from '../../../src/importers/lists/country-names.ts';
import { sharedPath } from '../../../test/support/shared.ts';
import { BASELINES } from './baselines.ts';
import { loadCsl2023, loadOfac2021, loadUnList } from './bench-lists.ts';
import { describeMachine } from '../../support/machine.ts';

const BENCH = (...p: string[]) => sharedPath('bench', 'screening', ...p);
const SCORERS: Scorer[] = [custosScorer as Scorer, ...BASELINES];
const THRESHOLDS = Array.from({ length: 19 }, (_, i) => Math.round((0.05 + i * 0.05) * 100) / 100);
const NEGATIVE_BASELINE_SAMPLE = Number(process.env.NEG_BASELINE_SAMPLE ?? 1000);
const NEGATIVE_LIMIT = Number(process.env.NEG_LIMIT ?? 50000);
const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

interface Check {
  index: number;
  schema: EntitySchema;
  query: string;
  candidate: string;
  match: boolean;
  label?: string;
}

function nameOf(props: Record<string, unknown>): string {
  if (typeof props.name === 'string') return props.name;
  return ['firstName', 'middleName', 'fatherName', 'lastName']
    .map((k) => props[k])
    .filter((v): v is string => typeof v === 'string')
    .join(' ');
}

function loadChecks(): Check[] {
  const doc = YAML.parse(fs.readFileSync(BENCH('nomenklatura_entity_bench_checks.yml'), 'utf8')) as {
    checks: {
      match: boolean;
      schema: EntitySchema;
      query: Record<string, unknown>;
      candidate: Record<string, unknown>;
      label?: string;
    }[];
  };
  return doc.checks.map((c, index) => ({
    index,
    schema: c.schema,
    query: nameOf(c.query),
    candidate: nameOf(c.candidate),
    match: c.match,
    label: c.label,
  }));
}

function prf(scored: { score: number; match: boolean }[], threshold: number) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (const s of scored) {
    const p = s.score >= threshold;
    if (p && s.match) tp++;
    else if (p) fp++;
    else if (s.match) fn++;
    else tn++;
  }
  const precision = tp + fp ? tp / (tp + fp) : 1;
  const recall = tp + fn ? tp / (tp + fn) : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { threshold, tp, fp, fn, tn, precision: round(precision), recall: round(recall), f1: round(f1) };
}

function benchChecks() {
  const checks = loadChecks();
  const out: Record<string, unknown> = {
    count: checks.length,
    positives: checks.filter((c) => c.match).length,
  };
  const best: Record<string, number> = {};
  for (const scorer of SCORERS) {
    const t0 = performance.now();
    const scored = checks.map((c) => ({
      ...c,
      score: matchPair(c.schema, c.query, c.candidate, 0, scorer).score01,
    }));
    const ms = performance.now() - t0;
    const curve = THRESHOLDS.map((t) => prf(scored, t));
    const top = curve.reduce((a, b) => (b.f1 > a.f1 ? b : a));
    best[scorer.id] = top.threshold;
    // 2-fold cross-validation: the threshold chosen on one half (even / odd check index), F1 measured on the other
    const halves = [0, 1].map((h) => scored.filter((c) => c.index % 2 === h));
    const folds = [0, 1].map((fit) => {
      const chosen = THRESHOLDS.map((t) => prf(halves[fit]!, t)).reduce((a, b) => (b.f1 > a.f1 ? b : a));
      const heldOut = prf(halves[1 - fit]!, chosen.threshold);
      return {
        fitOn: fit === 0 ? 'even' : 'odd',
        threshold: chosen.threshold,
        fitF1: chosen.f1,
        heldOutF1: heldOut.f1,
      };
    });
    const row: Record<string, unknown> = {
      bestThreshold: top.threshold,
      bestF1: top.f1,
      crossValidated: { folds, meanHeldOutF1: round((folds[0]!.heldOutF1 + folds[1]!.heldOutF1) / 2) },
      curve,
      msPerPair: round(ms / checks.length, 4),
    };
    if (scorer === (custosScorer as Scorer)) {
      row.atDefault = prf(scored, DEFAULT_MATCH_THRESHOLD);
      row.evenHalf = prf(
        scored.filter((c) => c.index % 2 === 0),
        DEFAULT_MATCH_THRESHOLD,
      );
      row.oddHalf = prf(
        scored.filter((c) => c.index % 2 === 1),
        DEFAULT_MATCH_THRESHOLD,
      );
      row.errorsAtDefault = scored
        .filter((c) => c.score >= DEFAULT_MATCH_THRESHOLD !== c.match)
        .map((c) => ({
          schema: c.schema,
          query: c.query,
          candidate: c.candidate,
          expected: c.match,
          score01: c.score,
        }));
      // reliability: share of true matches per score band (calibration check)
      row.reliability = [0, 0.2, 0.4, 0.6, 0.7, 0.8, 0.9].map((lo, i, a) => {
        const hi = a[i + 1] ?? 1.0001;
        const band = scored.filter((c) => c.score >= lo && c.score < hi);
        return {
          band: `[${lo}, ${Math.min(hi, 1)})`,
          n: band.length,
          matchShare: band.length ? round(band.filter((c) => c.match).length / band.length, 3) : null,
        };
      });
    }
    out[scorer.id] = row;
  }
  return { result: out, best };
}

function benchCrossScript(best: Record<string, number>) {
  const lines = fs
    .readFileSync(BENCH('cross_script_pairs_labelled.csv'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'));
  const pairs = lines.map((l) => {
    const [query, expected, minScore, description] = l.split(',');
    return { query: query!, expected: expected!, minScore: Number(minScore), description: description ?? '' };
  });
  const out: Record<string, unknown> = { count: pairs.length };
  for (const scorer of SCORERS) {
    const threshold = scorer === (custosScorer as Scorer) ? DEFAULT_MATCH_THRESHOLD : best[scorer.id]!;
    const scores = pairs.map((p) => ({
      ...p,
      score01: matchPair('Person', p.query, p.expected, threshold, scorer).score01,
    }));
    out[scorer.id] = {
      threshold,
      matchedAtThreshold: scores.filter((s) => s.score01 >= threshold).length,
      meanScore01: round(scores.reduce((s, x) => s + x.score01, 0) / scores.length),
      perPair:
        scorer === (custosScorer as Scorer)
          ? scores.map((s) => ({
              query: s.query,
              expected: s.expected,
              score01: s.score01,
              transliterated: prepareName(s.query, 'Person').normalised,
            }))
          : undefined,
    };
  }
  return out;
}

function readPeople(file: string): Record<string, string>[] {
  return parse(fs.readFileSync(BENCH(file)), {
    columns: true,
    skip_empty_lines: true,
    relax_quotes: true,
  }) as Record<string, string>[];
}

function isoDate(v: string | undefined): string | undefined {
  return v && /^\d{4}(-\d{2}(-\d{2})?)?$/.test(v.trim()) ? v.trim() : undefined;
}

async function benchUnRecall(best: Record<string, number>) {
  const un = await loadUnList();
  const treated = readPeople('yente_cgb_positives_un_treated.csv');
  const untreated = readPeople('yente_cgb_positives_un_untreated.csv');
  const t0 = performance.now();
  const index = buildScreeningIndex(un.entries, un.listName);
  const buildMs = performance.now() - t0;
  // the entry each untreated (original) name comes from: same prepared name among its names
  const byNormal = new Map<string, Set<string>>();
  const sortedKey = (n: string) =>
    prepareName(n)
      .tokens.map((t) => t.text)
      .sort()
      .join(' ');
  for (const e of un.entries) {
    for (const n of [e.name, ...e.aliases.map((a) => a.name)]) {
      const k = sortedKey(n);
      if (!byNormal.has(k)) byNormal.set(k, new Set());
      byNormal.get(k)!.add(e.sourceId);
    }
  }
  const expected = untreated.map((r) => byNormal.get(sortedKey(r.full_name!)) ?? new Set<string>());
  const resolvable = expected.filter((s) => s.size > 0).length;
  const queries = treated.map((r) => ({
    name: r.full_name!,
    birthDate: isoDate(r.date_of_birth),
    country: r.nationality ? r.nationality.toUpperCase() : undefined,
  }));
  const out: Record<string, unknown> = {
    queries: treated.length,
    resolvable,
    unEntries: un.entries.length,
    unNames: index.aliasName.length,
    indexBuildMs: round(buildMs, 1),
  };
  const rankOf = (ids: string[], exp: Set<string>) => ids.findIndex((id) => exp.has(id));
  for (const variant of ['custos', 'custos-name-only'] as const) {
    let r1 = 0;
    let r5 = 0;
    let r5AtDefault = 0;
    const misses: unknown[] = [];
    queries.forEach((q, i) => {
      if (expected[i]!.size === 0) return;
      const query = variant === 'custos' ? q : { name: q.name };
      const hits = screenName(index, query, { threshold: 0, limit: 5, candidates: 64 });
      const rank = rankOf(
        hits.map((h) => h.sourceId),
        expected[i]!,
      );
      if (rank === 0) r1++;
      if (rank >= 0) r5++;
      if (rank >= 0 && hits[rank]!.score01 >= DEFAULT_MATCH_THRESHOLD) r5AtDefault++;
      else if (misses.length < 25)
        misses.push({
          treated: q.name,
          original: untreated[i]!.full_name,
          rank,
          top: hits[0] ? `${hits[0].matchedAlias} ${hits[0].score01}` : null,
          expectedScore: rank >= 0 ? hits[rank]!.score01 : null,
        });
    });
    out[variant] = {
      recallAt1: round(r1 / resolvable),
      recallAt5: round(r5 / resolvable),
      recallAt5AtDefaultThreshold: round(r5AtDefault / resolvable),
      missesSample: misses,
    };
  }
  // baselines: brute force over every UN name (no index), best name per entry
  const names = index.aliasName.map((n, row) => ({ n, id: un.entries[index.aliasEntry[row]!]!.sourceId }));
  for (const scorer of BASELINES) {
    const t1 = performance.now();
    let r1 = 0;
    let r5 = 0;
    let r5t = 0;
    const prepared = names.map((x) => ({ p: scorer.prepare(x.n), id: x.id }));
    const sample = Number(process.env.UN_BASELINE_SAMPLE ?? 200);
    let counted = 0;
    queries.slice(0, sample).forEach((q, i) => {
      if (expected[i]!.size === 0) return;
      counted++;
      const pq = scorer.prepare(q.name);
      const bestById = new Map<string, number>();
      for (const x of prepared) {
        const s = scorer.score(pq, x.p).score01;
        if (s > (bestById.get(x.id) ?? -1)) bestById.set(x.id, s);
      }
      const top = [...bestById.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
      const rank = rankOf(
        top.map((t) => t[0]),
        expected[i]!,
      );
      if (rank === 0) r1++;
      if (rank >= 0) r5++;
      if (rank >= 0 && top[rank]![1] >= best[scorer.id]!) r5t++;
    });
    out[scorer.id] = {
      queriesScored: counted,
      recallAt1: round(r1 / counted),
      recallAt5: round(r5 / counted),
      recallAt5AtBestCheckThreshold: round(r5t / counted),
      bruteForceMsPerQuery: round((performance.now() - t1) / sample, 2),
    };
  }
  return out;
}

async function benchNegatives(best: Record<string, number>) {
  const lists = [await loadUnList(), await loadOfac2021(), loadCsl2023()];
  const entries: WatchlistEntry[] = lists.flatMap((l) => l.entries);
  const names = lists.flatMap((l) => l.entries.map(() => l.listName));
  const index = buildScreeningIndex(entries, names);
  const out: Record<string, unknown> = {
    lists: lists.map((l) => ({ listName: l.listName, entries: l.entries.length })),
    indexedNames: index.aliasName.length,
  };
  const files = ['yente_cgb_negatives_global.csv', 'yente_cgb_negatives_us.csv'];
  let total = 0;
  let alerted = 0;
  const samples: unknown[] = [];
  const perFile: Record<string, unknown> = {};
  const baselineAlerts: Record<string, { alerted: number; queries: number }> = Object.fromEntries(
    BASELINES.map((b) => [b.id, { alerted: 0, queries: 0 }]),
  );
  let custosOnSample = { alerted: 0, queries: 0 };
  const t0 = performance.now();
  for (const file of files) {
    const rows = readPeople(file).slice(0, NEGATIVE_LIMIT);
    let fileAlerts = 0;
    rows.forEach((r, i) => {
      const query = {
        name: r.full_name!,
        schema: 'Person' as const,
        birthDate: isoDate(r.date_of_birth),
        country: toCountryCode(r.nationality),
      };
      const hits = screenName(index, query, { limit: 3 });
      total++;
      const nameOnly =
        i < NEGATIVE_BASELINE_SAMPLE
          ? screenName(index, { name: query.name, schema: 'Person' }, { limit: 1 })
          : [];
      if (hits.length) {
        alerted++;
        fileAlerts++;
        if (samples.length < 30)
          samples.push({
            query: query.name,
            hit: hits[0]!.matchedAlias,
            list: hits[0]!.listName,
            score01: hits[0]!.score01,
          });
      }
      if (i < NEGATIVE_BASELINE_SAMPLE) {
        custosOnSample.queries++;
        if (nameOnly.length) custosOnSample.alerted++;
        for (const scorer of BASELINES) {
          const b = baselineAlerts[scorer.id]!;
          b.queries++;
          if (
            screenName(
              index,
              { name: query.name, schema: 'Person' },
              { threshold: best[scorer.id]!, limit: 1, candidates: 32 },
              scorer,
            ).length
          )
            b.alerted++;
        }
      }
    });
    perFile[file] = {
      queries: rows.length,
      alerts: fileAlerts,
      alertsPer1000: round((fileAlerts / rows.length) * 1000, 2),
    };
  }
  out.custos = {
    threshold: DEFAULT_MATCH_THRESHOLD,
    queries: total,
    alerts: alerted,
    alertsPer1000: round((alerted / total) * 1000, 2),
    perFile,
    msPerQuery: round((performance.now() - t0) / total, 3),
    alertSamples: samples,
  };
  custosOnSample = { ...custosOnSample };
  out.baselinesOnSample = {
    note: `first ${NEGATIVE_BASELINE_SAMPLE} names of each file, name only, candidates from the Custos index (32 per query) re-scored by each baseline at its best-F1 threshold on the checks`,
    'custos-v1 (name only)': {
      ...custosOnSample,
      alertsPer1000: round((custosOnSample.alerted / custosOnSample.queries) * 1000, 2),
    },
    ...Object.fromEntries(
      Object.entries(baselineAlerts).map(([k, v]) => [
        k,
        { ...v, threshold: best[k], alertsPer1000: round((v.alerted / v.queries) * 1000, 2) },
      ]),
    ),
  };
  return out;
}

const started = new Date();
const checks = benchChecks();
console.log('checks done');
const crossScript = benchCrossScript(checks.best);
const unRecall = await benchUnRecall(checks.best);
console.log('UN recall done');
const negatives = process.env.SKIP_NEGATIVES ? null : await benchNegatives(checks.best);
const result = {
  benchmark: 'screening-quality',
  date: started.toISOString(),
  machine: describeMachine(),
  defaultThreshold: DEFAULT_MATCH_THRESHOLD,
  targets: { checksF1: 0.92, unRecallAt5: 0.98, alertsPer1000Negatives: 1 },
  checks: checks.result,
  crossScript,
  unRecall,
  negatives,
  durationS: round((Date.now() - started.getTime()) / 1000, 1),
};
const outFile = path.resolve(
  import.meta.dirname,
  '..',
  '..',
  'results',
  process.env.OUT ?? 'screening-quality.json',
);
fs.writeFileSync(outFile, JSON.stringify(result, null, 2) + '\n');
console.log(
  JSON.stringify(
    {
      checks: Object.fromEntries(
        SCORERS.map((s) => {
          const r = checks.result[s.id] as { bestF1: number; crossValidated: { meanHeldOutF1: number } };
          return [s.id, { best: r.bestF1, crossValidated: r.crossValidated.meanHeldOutF1 }];
        }),
      ),
      atDefault: (checks.result[custosScorer.id] as { atDefault: unknown }).atDefault,
      unRecall: { custos: unRecall.custos, nameOnly: unRecall['custos-name-only'] },
      negatives: negatives?.custos,
    },
    null,
    1,
  ).slice(0, 6000),
);
