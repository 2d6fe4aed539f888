// @ts-check
/** Small display helpers shared by the client's modules. */

const numberFormat = new Intl.NumberFormat('en');

/** @param {number} value */
export function formatScore(value) {
  return numberFormat.format(value);
}

/**
 * A board value in the form its metric suggests: a `*-ms` metric as a time (`1:02.345`,
 * `9.870s`), anything else as a number.
 * @param {number} value
 * @param {string} [metric]
 */
export function formatValue(value, metric = 'points') {
  if (!metric.endsWith('-ms')) return formatScore(value);
  const ms = Math.max(0, Math.round(value));
  const minutes = Math.floor(ms / 60_000);
  const seconds = (ms % 60_000) / 1000;
  return minutes > 0 ? `${minutes}:${seconds.toFixed(3).padStart(6, '0')}` : `${seconds.toFixed(3)}s`;
}

/**
 * What a board's value is called in a column head: `Time` for a `*-ms` metric, `Score` for
 * points, the metric's own words otherwise.
 * @param {string} [metric]
 */
export function valueLabel(metric = 'points') {
  if (metric.endsWith('-ms')) return 'Time';
  if (metric === 'points') return 'Score';
  return actionLabel(metric);
}

/**
 * A short, human duration: `12s`, `4m 05s`, `5h 12m`. Rounds up, so a countdown never shows 0s
 * while there is still time left.
 * @param {number} ms
 */
export function formatDuration(ms) {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/**
 * `daily-bonus` → `Daily bonus`.
 * @param {string} type
 */
export function actionLabel(type) {
  const words = type.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * A stable hue per user, so an avatar keeps its colour as rows move.
 * @param {string} id
 */
export function hueOf(id) {
  let hash = 0;
  for (let i = 0; i < id.length; i += 1) hash = (hash * 31 + id.charCodeAt(i)) >>> 0;
  return hash % 360;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * A stroked 24×24 icon from path data (built in script: the page's CSP allows no inline markup tricks).
 * @param {string} d
 * @param {string} [className]
 */
export function icon(d, className = 'icon') {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', className);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', d);
  svg.append(path);
  return svg;
}

export const ICONS = {
  bolt: 'M13 2 3 14h9l-1 8 10-12h-9l1-8z',
  flag: 'M4 15s1-1 4-1 5 2 8 2 4-1 4-1V3s-1 1-4 1-5-2-8-2-4 1-4 1zM4 22v-7',
  gift: 'M20 12v10H4V12M2 7h20v5H2zM12 22V7M12 7H7.5a2.5 2.5 0 0 1 0-5C11 2 12 7 12 7zM12 7h4.5a2.5 2.5 0 0 0 0-5C13 2 12 7 12 7z',
  star: 'M12 2l3.09 6.26L22 9.27l-5 4.87 1.18 6.88L12 17.77l-6.18 3.25L7 14.14 2 9.27l6.91-1.01L12 2z',
  alert: 'M12 9v4M12 17h.01M10.29 3.86 1.82 18a2 2 0 0 0 1.71 3h16.94a2 2 0 0 0 1.71-3L13.71 3.86a2 2 0 0 0-3.42 0z',
  close: 'M18 6 6 18M6 6l12 12',
};
