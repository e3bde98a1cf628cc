/**
 * Portal response times on the demo data (1,000 synthetic applications, as `npm start` seeds them): the public pages
 * (register, entry, reports, feed), the exporter's and the officer's workspaces, each requested over HTTP on loopback, sequentially, after a warm-up; p50, p95 and max per page.
 * Run: npx tsx bench/perf/portal.bench.ts   (PORTAL_N requests per page, default 100)
 * Writes bench/results/portal.json. Target: p95 <= 100 ms for every page.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describeMachine } from '../support/machine.ts';
import { signInCookie, startPortalDemo } from '../support/portal-demo.ts';

const N = Number(process.env.PORTAL_N ?? 100);
const WARMUP = 10;
const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const round = (x: number) => Math.round(x * 10) / 10;

const started = new Date();
const demo = await startPortalDemo();
const exporter = demo.accounts.find((a) => a.role === 'exporter')!;
const officer = demo.accounts.find((a) => a.role === 'officer')!;
const exporterCookie = await signInCookie(demo.url, exporter);
const officerCookie = await signInCookie(demo.url, officer);

const user = await demo.ctx.db
  .selectFrom('users')
  .select('organisation_id')
  .where('email', '=', exporter.email)
  .executeTakeFirstOrThrow();
const org = user.organisation_id;
const item = await demo.ctx.db
  .selectFrom('items')
  .select('id')
  .where('organisation_id', '=', org)
  .orderBy('name')
  .executeTakeFirstOrThrow();
const party = await demo.ctx.db
  .selectFrom('parties')
  .select('id')
  .where('organisation_id', '=', org)
  .orderBy('name')
  .executeTakeFirstOrThrow();
const application = await demo.ctx.db
  .selectFrom('applications')
  .select('id')
  .where('organisation_id', '=', org)
  .orderBy('created_at', 'desc')
  .executeTakeFirstOrThrow();

// Pages whose address comes from the data: the first link of their list page.
const firstLink = async (url: string, pattern: RegExp, cookie?: string): Promise<string> => {
  const res = await fetch(demo.url + url, { headers: cookie ? { cookie } : {} });
  const m = pattern.exec(await res.text());
  if (!m) throw new Error(`${url}: no link matching ${pattern}`);
  return m[0].replace(/&amp;/g, '&');
};
const registerEntry = await firstLink('/register', /\/register\/[^"?#]+/);
// the latest annual report (the largest page of the public site), a quarterly one if none is published
const reportPage = await firstLink('/reports', /\/reports\/\d{4}(?=")/).catch(() =>
  firstLink('/reports', /\/reports\/\d{4}-[A-Z0-9]+(?=")/),
);
const submitted = await demo.ctx.db
  .selectFrom('applications')
  .select(['id', 'destination_country'])
  .where('status', '!=', 'draft')
  .orderBy('submitted_at', 'desc')
  .executeTakeFirstOrThrow();

const pages: { name: string; url: string; cookie?: string }[] = [
  { name: 'register', url: '/register' },
  { name: 'register search and filters', url: '/register?q=a&decision=granted&sort=-valueEur' },
  { name: 'register entry', url: registerEntry },
  { name: 'reports', url: '/reports' },
  { name: 'report', url: reportPage },
  { name: 'feed', url: '/reports/feed.atom' },
  { name: 'landing', url: '/' },
  { name: 'methodology', url: '/methodology' },
  { name: 'sign-in', url: '/sign-in' },
  { name: 'exporter dashboard', url: '/exporter', cookie: exporterCookie },
  { name: 'items', url: '/exporter/items', cookie: exporterCookie },
  { name: 'item', url: `/exporter/items/${item.id}`, cookie: exporterCookie },
  { name: 'classification wizard', url: `/exporter/items/${item.id}/classify?all=1`, cookie: exporterCookie },
  { name: 'classification result', url: `/exporter/items/${item.id}/classification`, cookie: exporterCookie },
  { name: 'parties', url: '/exporter/parties', cookie: exporterCookie },
  { name: 'party with screening', url: `/exporter/parties/${party.id}`, cookie: exporterCookie },
  { name: 'applications', url: '/exporter/applications', cookie: exporterCookie },
  { name: 'application status', url: `/exporter/applications/${application.id}`, cookie: exporterCookie },
  {
    name: 'application parties step',
    url: `/exporter/applications/${application.id}/parties`,
    cookie: exporterCookie,
  },
  { name: 'officer queue', url: '/officer/applications', cookie: officerCookie },
  {
    name: 'officer queue filtered',
    url: '/officer/applications?status=submitted&destination=AE',
    cookie: officerCookie,
  },
  { name: 'officer case', url: `/officer/cases/${submitted.id}`, cookie: officerCookie },
  { name: 'country profiles', url: '/officer/countries', cookie: officerCookie },
  {
    name: 'country profile',
    url: `/officer/countries/${submitted.destination_country}`,
    cookie: officerCookie,
  },
  { name: 'evidence registry', url: '/officer/evidence', cookie: officerCookie },
  { name: 'officer reports', url: '/officer/reports', cookie: officerCookie },
];

const results = [];
for (const p of pages) {
  const headers: Record<string, string> = p.cookie ? { cookie: p.cookie } : {};
  const times: number[] = [];
  let bytes = 0;
  let cpu0 = process.cpuUsage();
  for (let i = 0; i < WARMUP + N; i++) {
    if (i === WARMUP) cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const res = await fetch(demo.url + p.url, { headers, redirect: 'manual' });
    const body = await res.arrayBuffer();
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`${p.url}: ${res.status}`);
    if (i >= WARMUP) times.push(ms);
    bytes = body.byteLength;
  }
  const cpu = process.cpuUsage(cpu0);
  // CPU time per request (server and client share this process): unlike wall-clock time, not inflated by other load
  const cpuMsPerRequest = round((cpu.user + cpu.system) / 1000 / N);
  times.sort((a, b) => a - b);
  const row = {
    page: p.name,
    url: p.url.replace(/[0-9a-f-]{36}/g, ':id'),
    n: N,
    p50Ms: round(quantile(times, 0.5)),
    p95Ms: round(quantile(times, 0.95)),
    maxMs: round(times[times.length - 1]!),
    cpuMsPerRequest,
    htmlBytes: bytes,
  };
  results.push(row);
  console.log(
    `${row.page.padEnd(28)} p50 ${String(row.p50Ms).padStart(6)} ms  p95 ${String(row.p95Ms).padStart(6)} ms  max ${String(row.maxMs).padStart(6)} ms  cpu ${String(row.cpuMsPerRequest).padStart(5)} ms  ${row.htmlBytes} B`,
  );
}
await demo.close();

const worstP95 = Math.max(...results.map((r) => r.p95Ms));
const out = {
  benchmark: 'portal',
  date: started.toISOString(),
  machine: describeMachine(),
  data: 'synthetic demo data: 1,000 applications (seed 20210821), demo watch-list',
  method: `HTTP on loopback, sequential, ${WARMUP} warm-up then ${N} requests per page; time to the full response body`,
  targetP95Ms: 100,
  worstP95Ms: worstP95,
  meetsTarget: worstP95 <= 100,
  worstCpuMsPerRequest: Math.max(...results.map((r) => r.cpuMsPerRequest)),
  note: 'Wall-clock figures are inflated when machine.loadAverage exceeds machine.cores (shared machine); cpuMsPerRequest is not.',
  pages: results,
};
fs.mkdirSync(path.resolve('bench/results'), { recursive: true });
fs.writeFileSync(path.resolve('bench/results/portal.json'), `${JSON.stringify(out, null, 2)}\n`);
console.log(`worst p95 ${worstP95} ms (target 100 ms): ${out.meetsTarget ? 'met' : 'NOT met'}`);
