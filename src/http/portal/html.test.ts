import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeHtml, html, joinHtml, safeUrl, trustedHtml } from './html.ts';

describe('html templates', () => {
  it('escapes interpolated text in content and attributes', () => {
    const evil = `"><script>alert('x')</script>&`;
    const out = html`<p title="${evil}">${evil}</p>`.value;
    expect(out).not.toContain('<script>');
    expect(out).toBe(
      '<p title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</p>',
    );
  });

  it('keeps nested safe markup and escapes text inside arrays', () => {
    const items = ['<b>', 'ok'].map((s) => html`<li>${s}</li>`);
    const list = html`<ul>
      ${items}
    </ul>`.value.replace(/\s+/g, '');
    expect(list).toBe('<ul><li>&lt;b&gt;</li><li>ok</li></ul>');
    expect(html`${['<i>', trustedHtml('<i>')]}`.value).toBe('&lt;i&gt;<i>');
  });

  it('renders nothing for null, undefined and booleans, and numbers as text', () => {
    expect(html`${null}${undefined}${false}${true}${42}${NaN}`.value).toBe('42');
  });

  it('joins fragments', () => {
    expect(joinHtml([html`a`, html`b`], html`, `).value).toBe('a, b');
  });

  it('never lets a tag or quote through for any string', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const out = html`<a title="${s}">${s}</a>`.value;
        const inner = out.slice('<a title="'.length, out.length - '</a>'.length);
        return !/[<>]/.test(inner.replace('">', '')) && !inner.split('">')[0]!.includes('"');
      }),
    );
    fc.assert(fc.property(fc.string(), (s) => !/[<>"'&](?!(amp|lt|gt|quot|#39|#96);)/.test(escapeHtml(s))));
  });

  it('refuses script URLs in links', () => {
    expect(safeUrl('javascript:alert(1)')).toBe('#');
    expect(safeUrl('//evil.example/x')).toBe('#');
    expect(safeUrl('/exporter/items')).toBe('/exporter/items');
    expect(safeUrl('https://eur-lex.europa.eu/')).toBe('https://eur-lex.europa.eu/');
  });
});
