import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../domain/errors.ts';
import { describeWithShared, SHARED_DIR } from '../../../test/support/shared.ts';
import { importWatchlistFile } from './import-watchlist.ts';
import { downloadWatchlists } from './watchlist-download.ts';

/** Serves ../shared/data/sanctions read-only on 127.0.0.1 (random port), with a few misbehaving routes. */
function startServer(): Promise<{ server: http.Server; base: string }> {
  const root = path.join(SHARED_DIR, 'data', 'sanctions');
  const types: Record<string, string> = {
    '.xml': 'application/xml',
    '.csv': 'text/csv',
    '.txt': 'text/plain',
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/html') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
      return;
    }
    if (url.pathname === '/big.xml' || url.pathname === '/declared.xml') {
      const body = '<a>' + 'x'.repeat(5000) + '</a>';
      // /big.xml is sent chunked (no Content-Length): the limit is enforced while streaming
      res.writeHead(200, {
        'content-type': 'application/xml',
        ...(url.pathname === '/declared.xml' ? { 'content-length': body.length } : {}),
      });
      res.write(body.slice(0, 2000));
      res.end(body.slice(2000));
      return;
    }
    if (url.pathname === '/cut.xml') {
      res.writeHead(200, { 'content-type': 'application/xml', 'content-length': '1000' });
      res.end('<a>short</a>');
      return;
    }
    const file = path.join(
      root,
      path.normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, ''),
    );
    if (!file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': types[path.extname(file)] ?? 'application/octet-stream',
      'content-length': fs.statSync(file).size,
    });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

describeWithShared(
  'downloadWatchlists against a local HTTP server serving ../shared',
  [['data', 'sanctions', 'un', 'un_consolidated_2026.xml']],
  () => {
    let server: http.Server;
    let base = '';
    beforeAll(async () => {
      ({ server, base } = await startServer());
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'custos-dl-'));

    it('downloads UN and the OFAC set, then they import', async () => {
      const dest = tmp();
      const files = await downloadWatchlists(
        [
          { kind: 'un-sc', urls: [`${base}/un/un_consolidated_2026.xml`] },
          { kind: 'ofac-sdn', urls: ['sdn', 'add', 'alt'].map((r) => `${base}/ofac/ofac_${r}_2019.csv`) },
        ],
        dest,
      );
      expect(files.map((f) => path.relative(dest, f.path))).toEqual([
        path.join('un-sc', 'un_consolidated_2026.xml'),
        path.join('ofac-sdn', 'ofac_sdn_2019.csv'),
        path.join('ofac-sdn', 'ofac_add_2019.csv'),
        path.join('ofac-sdn', 'ofac_alt_2019.csv'),
      ]);
      expect(files[0]).toMatchObject({ bytes: 2030620, contentType: 'application/xml' });
      const un = await importWatchlistFile('un-sc', files[0]!.path, { importedAt: '2026-11-29T19:00:00Z' });
      expect(un.provenance.checksum).toBe(files[0]!.sha256);
      expect(un.provenance.counts.entries).toBe(1003);
      const ofac = await importWatchlistFile('ofac-sdn', files[1]!.path, {
        importedAt: '2026-11-29T19:00:00Z',
      });
      expect(ofac.provenance.counts.entries).toBe(7379);
      expect(fs.readdirSync(path.join(dest, 'ofac-sdn')).filter((f) => f.includes('.part-'))).toEqual([]);
    });

    it.each([
      ['a 404', '/un/missing.xml', 'UNAVAILABLE', /HTTP 404/],
      ['an HTML page', '/html', 'INVALID', /content type "text\/html"/],
      ['a body cut short', '/cut.xml', 'UNAVAILABLE', /cut\.xml: download interrupted/],
      ['a file over the size limit', '/big.xml', 'INVALID', /big\.xml: more than 1000 bytes/],
      [
        'a declared size over the limit',
        '/declared.xml',
        'INVALID',
        /declared\.xml: 5007 bytes exceeds the limit of 1000/,
      ],
    ])('refuses %s and leaves the previous files untouched', async (_case, route, code, message) => {
      const dest = tmp();
      fs.mkdirSync(path.join(dest, 'un-sc'));
      fs.writeFileSync(path.join(dest, 'un-sc', 'un_consolidated_2026.xml'), 'previous');
      const e = await downloadWatchlists(
        [
          {
            kind: 'un-sc',
            urls:
              route === '/big.xml' || route === '/declared.xml'
                ? [`${base}${route}`]
                : [`${base}/un/un_consolidated_2026.xml`, `${base}${route}`],
          },
        ],
        dest,
        fetch,
        { maxBytes: route === '/big.xml' || route === '/declared.xml' ? 1000 : undefined },
      ).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe(code);
      expect((e as DomainError).message).toMatch(message);
      expect(fs.readFileSync(path.join(dest, 'un-sc', 'un_consolidated_2026.xml'), 'utf8')).toBe('previous');
      expect(fs.readdirSync(path.join(dest, 'un-sc'))).toEqual(['un_consolidated_2026.xml']);
    });

    it('refuses a network failure via an injected fetch', async () => {
      const failing = () => Promise.reject(new Error('ECONNREFUSED'));
      await expect(
        downloadWatchlists([{ kind: 'un-sc', urls: ['https://example.invalid/x.xml'] }], tmp(), failing),
      ).rejects.toThrow(/download failed \(ECONNREFUSED\)/);
    });
  },
);

describe('downloadWatchlists input checks', () => {
  it('refuses a non-http URL and an unknown kind', async () => {
    const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-dl-'));
    await expect(downloadWatchlists([{ kind: 'un-sc', urls: ['file:///etc/passwd'] }], dest)).rejects.toThrow(
      /only http\(s\) URLs/,
    );
    // @ts-expect-error an unknown kind, as a configuration file might hold
    await expect(downloadWatchlists([{ kind: 'interpol', urls: ['https://x'] }], dest)).rejects.toThrow(
      /Unknown list source kind/,
    );
  });
});
