import { chartFont, estimateTextWidth } from './text';

/** An axis-aligned box in plot coordinates. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A label placed: the text's start (x) and baseline (y), and the box it covers. */
export interface PlacedLabel {
  x: number;
  y: number;
  box: Box;
}

/** Share of the font size above the baseline (ascent); the box spans one font size. */
const ASCENT = 0.8;

/** The box a start-anchored `text` covers with its baseline at (x, y). */
export function labelBox(x: number, y: number, text: string, fontSize = chartFont.size): Box {
  return {
    x,
    y: y - fontSize * ASCENT,
    width: estimateTextWidth(text, fontSize),
    height: fontSize,
  };
}

/** True when two boxes overlap (touching edges do not count). */
export function boxesIntersect(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

const overflow = (b: Box, area: Box) =>
  Math.max(0, area.x - b.x) +
  Math.max(0, b.x + b.width - (area.x + area.width)) +
  Math.max(0, area.y - b.y) +
  Math.max(0, b.y + b.height - (area.y + area.height));

/**
 * Places `text` beside the point (px, py): above-right, above-left, below-right or below-left,
 * whichever first lies inside `area` (the plot, so it never reaches the axes' tick labels) and
 * clear of `avoid` (other marks and labels). When none is clear, the one overlapping least;
 * a box that does not fit is shifted back inside `area`.
 */
export function placeLabel(
  px: number,
  py: number,
  text: string,
  area: Box,
  avoid: readonly Box[] = [],
  gap = 8,
): PlacedLabel {
  const w = estimateTextWidth(text);
  const h = chartFont.size;
  const above = py - gap;
  const below = py + gap + h * ASCENT;
  const candidates: [number, number][] = [
    [px + gap, above],
    [px - gap - w, above],
    [px + gap, below + h * (1 - ASCENT)],
    [px - gap - w, below + h * (1 - ASCENT)],
  ];
  let best: { score: number; x: number; y: number } | null = null;
  for (const [x, y] of candidates) {
    const box = labelBox(x, y, text);
    const score = overflow(box, area) * 1000 + avoid.filter((a) => boxesIntersect(box, a)).length;
    if (!best || score < best.score) best = { score, x, y };
    if (score === 0) break;
  }
  const b = best!;
  // Shifted inside the area when no candidate fits (a label wider than the plot stays left-aligned).
  const x = Math.max(area.x, Math.min(b.x, area.x + area.width - w));
  const top = Math.max(area.y, Math.min(b.y - h * ASCENT, area.y + area.height - h));
  const y = top + h * ASCENT;
  return { x, y, box: labelBox(x, y, text) };
}
