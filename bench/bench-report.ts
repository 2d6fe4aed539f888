/**
 * What `npm run bench` prints and keeps: the side-by-side table, and under `bench/results/`
 * the figures as JSON and an HTML page with the latency charts (inline SVG, no scripts), each
 * named by the run's timestamp and copied to `latest.json` / `latest.html`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { PercentileCurve } from './score-load.js';

export interface TableRow {
  figure: string;
  value: string;
  target: string;
  /** The ceiling measured in the same run, and the ratio to it. */
  ceiling: string;
  /** undefined: a figure without a target. */
  pass: boolean | undefined;
}

export interface Charts {
  submitCurve: PercentileCurve | undefined;
  /** The same action on the game-server route, same server and run. */
  serverSubmitCurve: PercentileCurve | undefined;
  baselineSubmitCurve: PercentileCurve | undefined;
  deliveryCurve: PercentileCurve | undefined;
  deliveryHistogram: number[] | undefined;
  subscribers: number;
  /** Around-me windows, 201 → window at the acting player's socket. */
  aroundDeliveryCurve?: PercentileCurve | undefined;
  aroundSubscribers?: number;
}

const verdict = (pass: boolean | undefined): string => (pass === undefined ? '—' : pass ? 'pass' : 'MISS');

/** A plain-text table with aligned columns. */
export function renderTable(rows: readonly TableRow[]): string {
  const cells = [['figure', 'value', 'target', 'ceiling / ratio', 'result'], ...rows.map((r) => [r.figure, r.value, r.target, r.ceiling, verdict(r.pass)])];
  const widths = cells[0]?.map((_, c) => Math.max(...cells.map((row) => (row[c] ?? '').length))) ?? [];
  const line = (row: string[]): string => row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd();
  return [line(cells[0] ?? []), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** Same rows as a markdown table (the README's Performance section uses it). */
export function renderMarkdownTable(rows: readonly TableRow[]): string {
  const escape = (cell: string): string => cell.replaceAll('|', '\\|');
  return [
    '| figure | value | target | ceiling / ratio | result |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${[r.figure, r.value, r.target, r.ceiling, verdict(r.pass)].map(escape).join(' | ')} |`),
  ].join('\n');
}

const escapeHtml = (text: string): string => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const COLOURS = ['#1f6feb', '#8b949e', '#d1242f'];

/**
 * Latency against percentile, the percentile axis in "nines" (x = −log10(1 − p)), so the tail
 * gets as much room as the median. The 100th percentile (the maximum) is left off.
 */
function percentileChart(title: string, series: { label: string; curve: PercentileCurve }[]): string {
  const W = 640;
  const H = 320;
  const left = 56;
  const bottom = 40;
  const top = 30;
  const right = 150;
  const nines = (p: number): number => Math.min(5, -Math.log10(1 - p / 100));
  const points = series.map((s) => ({ ...s, curve: s.curve.filter(([p]) => p < 100) }));
  const maxMs = Math.max(1, ...points.flatMap((s) => s.curve.map(([, ms]) => ms)));
  const x = (p: number): number => left + (nines(p) / 5) * (W - left - right);
  const y = (ms: number): number => H - bottom - (ms / maxMs) * (H - top - bottom);
  const ticksX = [0, 90, 99, 99.9, 99.99, 99.999]
    .map((p) => `<line x1="${x(p)}" y1="${top}" x2="${x(p)}" y2="${H - bottom}" stroke="#eee"/><text x="${x(p)}" y="${H - bottom + 16}" text-anchor="middle">p${p}</text>`)
    .join('');
  const ticksY = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => `<line x1="${left}" y1="${y(f * maxMs)}" x2="${W - right}" y2="${y(f * maxMs)}" stroke="#eee"/><text x="${left - 6}" y="${y(f * maxMs) + 4}" text-anchor="end">${Math.round(f * maxMs)}</text>`)
    .join('');
  const lines = points
    .map((s, i) => {
      const colour = COLOURS[i % COLOURS.length] ?? '#000';
      const path = s.curve.map(([p, ms]) => `${x(p).toFixed(1)},${y(ms).toFixed(1)}`).join(' ');
      const dots = s.curve.map(([p, ms]) => `<circle cx="${x(p).toFixed(1)}" cy="${y(ms).toFixed(1)}" r="2.5" fill="${colour}"><title>${escapeHtml(s.label)} p${p}: ${ms} ms</title></circle>`).join('');
      return `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${path}"/>${dots}<text x="${W - right + 10}" y="${top + 14 + i * 18}" fill="${colour}">${escapeHtml(s.label)}</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">
<text x="${left}" y="18" font-size="13" font-weight="bold">${escapeHtml(title)}</text>${ticksX}${ticksY}
<text x="14" y="${(H - bottom + top) / 2}" transform="rotate(-90 14 ${(H - bottom + top) / 2})" text-anchor="middle">ms</text>${lines}</svg>`;
}

/** Delivery samples per latency bucket, up to the 99.9th percentile. */
function histogramChart(title: string, counts: readonly number[]): string {
  const W = 640;
  const H = 260;
  const left = 56;
  const bottom = 40;
  const top = 30;
  const total = counts.reduce((sum, n) => sum + n, 0);
  let seen = 0;
  let end = counts.length;
  for (let ms = 0; ms < counts.length; ms += 1) {
    seen += counts[ms] ?? 0;
    if (seen >= total * 0.999) {
      end = ms + 1;
      break;
    }
  }
  const bucketMs = Math.max(1, Math.ceil(end / 80));
  const buckets = Array.from({ length: Math.ceil(end / bucketMs) }, (_, b) => counts.slice(b * bucketMs, (b + 1) * bucketMs).reduce((sum, n) => sum + n, 0));
  const maxCount = Math.max(1, ...buckets);
  const barWidth = (W - left - 20) / Math.max(1, buckets.length);
  const bars = buckets
    .map((n, b) => {
      const h = (n / maxCount) * (H - top - bottom);
      return `<rect x="${(left + b * barWidth).toFixed(1)}" y="${(H - bottom - h).toFixed(1)}" width="${Math.max(1, barWidth - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="#1f6feb"><title>${b * bucketMs}–${(b + 1) * bucketMs} ms: ${n}</title></rect>`;
    })
    .join('');
  const labels = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => `<text x="${(left + f * buckets.length * barWidth).toFixed(1)}" y="${H - bottom + 16}" text-anchor="middle">${Math.round(f * buckets.length * bucketMs)} ms</text>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">
<text x="${left}" y="18" font-size="13" font-weight="bold">${escapeHtml(title)}</text>${bars}${labels}
<text x="${left - 6}" y="${top + 4}" text-anchor="end">${maxCount}</text><text x="${left - 6}" y="${H - bottom}" text-anchor="end">0</text></svg>`;
}

export function renderHtml(title: string, rows: readonly TableRow[], charts: Charts, figures: object): string {
  const table = `<table><tr><th>figure</th><th>value</th><th>target</th><th>ceiling / ratio</th><th>result</th></tr>${rows
    .map(
      (r) =>
        `<tr><td>${escapeHtml(r.figure)}</td><td>${escapeHtml(r.value)}</td><td>${escapeHtml(r.target)}</td><td>${escapeHtml(r.ceiling)}</td><td class="${r.pass === false ? 'miss' : ''}">${verdict(r.pass)}</td></tr>`,
    )
    .join('')}</table>`;
  const submit = [
    ...(charts.submitCurve ? [{ label: 'submit (201)', curve: charts.submitCurve }] : []),
    ...(charts.serverSubmitCurve ? [{ label: 'server route (201)', curve: charts.serverSubmitCurve }] : []),
    ...(charts.baselineSubmitCurve ? [{ label: 'bare Fastify', curve: charts.baselineSubmitCurve }] : []),
  ];
  const sections = [
    submit.length > 0 ? percentileChart('Submit latency under saturating load (autocannon)', submit) : '',
    charts.deliveryCurve ? percentileChart(`Delivery latency, 201 → update, ${charts.subscribers} subscribers`, [{ label: 'delivery', curve: charts.deliveryCurve }]) : '',
    charts.aroundDeliveryCurve
      ? percentileChart(`Around-me windows, 201 → window, ${charts.aroundSubscribers ?? 0} subscribers`, [{ label: 'around-me', curve: charts.aroundDeliveryCurve }])
      : '',
    charts.deliveryHistogram ? histogramChart('Delivery latency histogram (up to p99.9)', charts.deliveryHistogram) : '',
  ].filter((svg) => svg !== '');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}.miss{color:#d1242f;font-weight:bold}svg{display:block;margin:1.5em 0}</style>
</head><body><h1>${escapeHtml(title)}</h1>${table}${sections.join('\n')}
<details><summary>figures (JSON)</summary><pre>${escapeHtml(JSON.stringify(figures, null, 2))}</pre></details></body></html>\n`;
}

/** Writes `<stamp>.json` and `<stamp>.html` and copies them to `latest.*`; returns the paths. */
export function writeResults(dir: string, stamp: string, figures: object, html: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const json = `${JSON.stringify(figures, null, 2)}\n`;
  const files: [string, string][] = [
    [`${stamp}.json`, json],
    [`${stamp}.html`, html],
    ['latest.json', json],
    ['latest.html', html],
  ];
  for (const [name, text] of files) fs.writeFileSync(path.join(dir, name), text);
  return files.map(([name]) => path.join(dir, name));
}
