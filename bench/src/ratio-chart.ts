// The ratios of a run as an SVG bar chart, written by hand: one bar per
// ratio on a log scale (1 in the middle of a decade), its target as a tick.

export interface ChartRatio {
  readonly label: string;
  readonly ratio: number;
  readonly target?: number;
  readonly met: boolean;
}

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Renders `ratios` as a standalone SVG document. */
export function ratioChart(title: string, ratios: readonly ChartRatio[]): string {
  // About 6.6 px a character at 12 px sans-serif: wide enough for the longest label, so none is cut at the left edge.
  const labelWidth = Math.ceil(Math.max(200, ...ratios.map((r) => r.label.length * 6.6)) + 16);
  const plotWidth = 420;
  const row = 22;
  const top = 48;
  const height = top + ratios.length * row + 40;
  const values = ratios.flatMap((r) => [r.ratio, r.target ?? 1]).filter((v) => Number.isFinite(v) && v > 0);
  const low = Math.min(0.1, ...values);
  const high = Math.max(10, ...values);
  const [minLog, maxLog] = [Math.floor(Math.log10(low)), Math.ceil(Math.log10(high))];
  const x = (value: number): number => Math.round((labelWidth + ((Math.log10(value) - minLog) / (maxLog - minLog)) * plotWidth) * 10) / 10;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeXml(title)}" width="${labelWidth + plotWidth + 80}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    '<rect width="100%" height="100%" fill="white"/>',
    `<text x="8" y="20" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="8" y="36" fill="#555">bar: measured ratio (log scale); black tick: target; green met, red missed, grey no target</text>`,
  ];
  for (let power = minLog; power <= maxLog; power++) {
    const value = 10 ** power;
    parts.push(
      `<line x1="${x(value)}" y1="${top - 6}" x2="${x(value)}" y2="${height - 30}" stroke="${power === 0 ? '#333' : '#ddd'}"/>`,
      `<text x="${x(value)}" y="${height - 14}" text-anchor="middle">${value >= 1 ? value : value.toFixed(-power)}×</text>`,
    );
  }
  for (const [index, r] of ratios.entries()) {
    const y = top + index * row;
    const ok = Number.isFinite(r.ratio) && r.ratio > 0;
    parts.push(`<text x="${labelWidth - 8}" y="${y + 14}" text-anchor="end">${escapeXml(r.label)}</text>`);
    if (ok) {
      const [from, to] = [Math.min(x(1), x(r.ratio)), Math.max(x(1), x(r.ratio))];
      parts.push(
        `<rect x="${from}" y="${y + 3}" width="${Math.max(1, to - from)}" height="${row - 8}" fill="${r.target === undefined ? '#8a8f98' : r.met ? '#3a9d5d' : '#d0473f'}"/>`,
        `<text x="${x(r.ratio) + (r.ratio >= 1 ? 4 : -4)}" y="${y + 14}" text-anchor="${r.ratio >= 1 ? 'start' : 'end'}" fill="#222">${r.ratio.toFixed(2)}</text>`,
      );
    }
    if (r.target !== undefined) {
      parts.push(`<line x1="${x(r.target)}" y1="${y + 1}" x2="${x(r.target)}" y2="${y + row - 3}" stroke="black" stroke-width="2"/>`);
    }
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
