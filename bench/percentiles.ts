/** Percentiles as the benchmarks report them (the nearest-rank value, no interpolation). */

/** The value at percentile `p` (0–1) of raw samples; NaN when there are none. */
export function samplePercentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

/** The value at percentile `p` (0–1) of a whole-ms histogram (`counts[ms]` samples took `ms`). */
export function histogramPercentile(counts: readonly number[], p: number): number {
  const total = counts.reduce((sum, n) => sum + n, 0);
  const wanted = Math.min(total, Math.floor(total * p) + 1);
  let seen = 0;
  for (let ms = 0; ms < counts.length; ms += 1) {
    seen += counts[ms] ?? 0;
    if (seen >= wanted) return ms;
  }
  return counts.length - 1;
}
