/**
 * Charts as pure data -> SVG functions: a world map of destinations (world-atlas TopoJSON, d3-geo Equal Earth
 * projection), a bar chart and a trend line. Every chart carries a title and description for assistive technology;
 * the HTML report places the same numbers in a data table beside it.
 */
import { geoEqualEarth, geoPath } from 'd3-geo';
import countries from 'i18n-iso-countries';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import world from 'world-atlas/countries-110m.json' with { type: 'json' };

export const escapeXml = (s: string): string =>
  s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');

const num = (n: number): string => (Math.round(n * 10) / 10).toString();

/** Five-step sequential palette (ColorBrewer Blues, colour-blind safe); grey for no data. */
const PALETTE = ['#c6dbef', '#9ecae1', '#6baed6', '#3182bd', '#08519c'];
const NO_DATA = '#e5e5e5';

export interface ChartText {
  /** Unique id prefix for aria references within the page. */
  id: string;
  title: string;
  description: string;
}

/** Class breaks for `values`: up to five upper bounds, ascending and distinct. */
export function computeBreaks(values: readonly number[]): number[] {
  const sorted = [...values].filter((v) => v > 0).sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const breaks: number[] = [];
  for (let i = 1; i <= PALETTE.length; i += 1) {
    const v = sorted[Math.min(sorted.length - 1, Math.ceil((i / PALETTE.length) * sorted.length) - 1)]!;
    if (breaks.at(-1) !== v) breaks.push(v);
  }
  return breaks;
}

let cachedShapes: { alpha2: string | null; name: string; d: string }[] | null = null;

/** Country outlines projected once (Equal Earth, 960x500); deterministic, no I/O (the atlas is imported data). */
function worldShapes(): { alpha2: string | null; name: string; d: string }[] {
  if (cachedShapes) return cachedShapes;
  const topology = world as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const collection = feature(topology, topology.objects.countries);
  const projection = geoEqualEarth().fitExtent(
    [
      [4, 4],
      [956, 496],
    ],
    collection,
  );
  const path = geoPath(projection).digits(1);
  cachedShapes = collection.features.map((f) => {
    const id = f.id === undefined ? null : String(f.id);
    return {
      alpha2: id === null ? null : (countries.numericToAlpha2(id) ?? null),
      name: f.properties?.name ?? '',
      d: path(f) ?? '',
    };
  });
  return cachedShapes;
}

/**
 * A choropleth world map of applications per destination (ISO alpha-2 -> count).
 * @example renderWorldMapSvg(new Map([['AE', 12]]), { id: 'map', title: 'Destinations', description: '...' })
 */
export function renderWorldMapSvg(countByCountry: ReadonlyMap<string, number>, text: ChartText): string {
  const breaks = computeBreaks([...countByCountry.values()]);
  const colour = (v: number | undefined): string => {
    if (!v) return NO_DATA;
    const i = breaks.findIndex((b) => v <= b);
    return PALETTE[i === -1 ? PALETTE.length - 1 : i + (PALETTE.length - breaks.length)]!;
  };
  const paths = worldShapes()
    .map((s) => {
      const v = s.alpha2 === null ? undefined : countByCountry.get(s.alpha2);
      const label = v ? `<title>${escapeXml(`${s.name}: ${v}`)}</title>` : '';
      return `<path d="${s.d}" fill="${colour(v)}" stroke="#ffffff" stroke-width="0.5">${label}</path>`;
    })
    .join('');
  const legend = breaks
    .map((b, i) => {
      const lower = i === 0 ? 1 : breaks[i - 1]! + 1;
      const y = 380 + i * 20;
      return `<rect x="20" y="${y}" width="16" height="14" fill="${colour(b)}"/><text x="42" y="${y + 11}" font-size="12">${lower === b ? b : `${lower}–${b}`}</text>`;
    })
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 960 500" role="img" aria-labelledby="${text.id}-title ${text.id}-desc">` +
    `<title id="${text.id}-title">${escapeXml(text.title)}</title><desc id="${text.id}-desc">${escapeXml(text.description)}</desc>` +
    `<g>${paths}</g><g font-family="sans-serif" fill="#0b0c0c">${legend}</g></svg>`
  );
}

export interface BarDatum {
  label: string;
  value: number;
}

/**
 * A horizontal bar chart.
 * @example renderBarChartSvg([{ label: '5A001.j', value: 4 }], { id: 'bars', title: 'By entry', description: '...' })
 */
export function renderBarChartSvg(data: readonly BarDatum[], text: ChartText): string {
  const rowHeight = 24;
  const labelWidth = 260;
  const width = 720;
  const max = Math.max(1, ...data.map((d) => d.value));
  const scale = (width - labelWidth - 70) / max;
  const bars = data
    .map((d, i) => {
      const y = 10 + i * rowHeight;
      const w = Math.max(0, d.value * scale);
      return (
        `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end" font-size="13">${escapeXml(d.label)}</text>` +
        `<rect x="${labelWidth}" y="${y + 3}" width="${num(w)}" height="${rowHeight - 8}" fill="#1d70b8"/>` +
        `<text x="${num(labelWidth + w + 6)}" y="${y + 15}" font-size="13">${d.value}</text>`
      );
    })
    .join('');
  const height = 20 + data.length * rowHeight;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${text.id}-title ${text.id}-desc">` +
    `<title id="${text.id}-title">${escapeXml(text.title)}</title><desc id="${text.id}-desc">${escapeXml(text.description)}</desc>` +
    `<g font-family="sans-serif" fill="#0b0c0c">${bars}</g></svg>`
  );
}

export interface TrendDatum {
  label: string;
  /** Null where the figure is not published; the line breaks there. */
  value: number | null;
}

/**
 * A line chart of one series over periods, with points and value labels.
 * @example renderTrendChartSvg([{ label: '2025-Q3', value: 10 }, { label: '2025-Q4', value: 14 }], text)
 */
export function renderTrendChartSvg(data: readonly TrendDatum[], text: ChartText): string {
  const width = 720;
  const height = 260;
  const left = 50;
  const bottom = 220;
  const top = 20;
  const max = Math.max(1, ...data.map((d) => d.value ?? 0));
  const step = data.length > 1 ? (width - left - 30) / (data.length - 1) : 0;
  const x = (i: number) => left + (data.length > 1 ? i * step : (width - left) / 2);
  const y = (v: number) => bottom - (v / max) * (bottom - top);
  const segments: string[] = [];
  let current: string[] = [];
  data.forEach((d, i) => {
    if (d.value === null) {
      if (current.length > 1) segments.push(current.join(' '));
      current = [];
    } else current.push(`${num(x(i))},${num(y(d.value))}`);
  });
  if (current.length > 1) segments.push(current.join(' '));
  const lines = segments
    .map((p) => `<polyline points="${p}" fill="none" stroke="#1d70b8" stroke-width="2"/>`)
    .join('');
  const marks = data
    .map((d, i) => {
      const label = `<text x="${num(x(i))}" y="${bottom + 20}" text-anchor="middle" font-size="12">${escapeXml(d.label)}</text>`;
      if (d.value === null)
        return `${label}<text x="${num(x(i))}" y="${bottom - 4}" text-anchor="middle" font-size="12">n/p</text>`;
      return `${label}<circle cx="${num(x(i))}" cy="${num(y(d.value))}" r="4" fill="#1d70b8"/><text x="${num(x(i))}" y="${num(y(d.value) - 8)}" text-anchor="middle" font-size="12">${d.value}</text>`;
    })
    .join('');
  const axis = `<line x1="${left}" y1="${bottom}" x2="${width - 10}" y2="${bottom}" stroke="#505a5f"/>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${text.id}-title ${text.id}-desc">` +
    `<title id="${text.id}-title">${escapeXml(text.title)}</title><desc id="${text.id}-desc">${escapeXml(text.description)}</desc>` +
    `<g font-family="sans-serif" fill="#0b0c0c">${axis}${lines}${marks}</g></svg>`
  );
}
