/** The landing page at `/`: what this instance is, what it holds, and where to go (the portal is not built yet). */
import { z } from 'zod';
import { currentControlListVersion } from '../../services/classification.service.ts';
import { listWatchlists } from '../../services/watchlists.service.ts';
import type { RouteModule } from './types.ts';

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export const homeRoutes: RouteModule = (app, ctx) => {
  app.get('/', { schema: { hide: true, response: { 200: z.string() } } }, async (_req, reply) => {
    const [apps, synthetic, lists, controlList] = await Promise.all([
      ctx.db
        .selectFrom('applications')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
      ctx.db
        .selectFrom('applications')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('synthetic', '=', true)
        .executeTakeFirstOrThrow(),
      listWatchlists(ctx, { currentOnly: true }),
      currentControlListVersion(ctx.db),
    ]);
    const listText = lists.length
      ? lists
          .map(
            (l) =>
              `${escapeHtml(l.listName)} (${escapeHtml(l.publishedOn ?? 'undated')}, ${String(l.counts.entries)} entries)`,
          )
          .join(', ')
      : 'none yet: <code>custos lists import &lt;file&gt; --source &lt;kind&gt;</code> or <code>custos lists update</code>';
    const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Custos: ${escapeHtml(ctx.config.authority.name)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
code{background:#f3f3f3;padding:0 .2em}a{color:#1d4f91}a:focus{outline:3px solid #fd0}
.notice{border-left:4px solid #b58105;background:#fff8e5;padding:.5rem 1rem}</style></head>
<body><main>
<h1>Custos</h1>
<p>Export control of cyber-surveillance items under Regulation (EU) 2021/821, for ${escapeHtml(ctx.config.authority.name)}.</p>
${Number(synthetic.n) > 0 ? `<p class="notice"><strong>Demo data.</strong> ${Number(synthetic.n)} of the ${Number(apps.n)} applications here are <strong>synthetic</strong>, generated for demonstration; no real exporter, party or licence is shown.</p>` : ''}
<h2>What this instance holds</h2>
<ul><li>Applications: ${Number(apps.n)}</li>
<li>Control list: ${controlList ? escapeHtml(controlList) : 'not imported yet: <code>custos control-list import &lt;official text&gt;</code>'}</li>
<li>Restricted-party lists: ${listText}</li></ul>
<h2>Where to go</h2>
<ul><li><a href="/docs">API documentation</a> (try the requests in the browser) and <a href="/openapi.json">OpenAPI document</a></li>
<li><a href="/api/lists">Lists screened against, with their dates and checksums</a></li>
<li><a href="/schemas/technical-profile.json">Technical-profile format</a> for classification</li>
<li><a href="/healthz">Health</a> and <a href="/readyz">readiness</a></li></ul>
<h2>Signing in to the API</h2>
<ol><li>In the API documentation, call <code>POST /api/auth/login</code> with a demo account printed by <code>npm start</code>.</li>
<li>Call <code>POST /api/tokens</code> to get a token, then use <em>Authorize</em> (bearer) with it for every other request.</li></ol>
<p>The command line does the same without a server: <code>bin/custos --help</code>. The web portal for the public, exporters and officers is not built yet.</p>
</main></body></html>`;
    return reply.type('text/html; charset=utf-8').send(html);
  });
};
