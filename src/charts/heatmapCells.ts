import { undefinedCell, textColorOn } from './colors';
import { format } from 'd3';

const SVG_NS = 'http://www.w3.org/2000/svg';
const formatCell = format('.2f');

/** True for a value a cell can colour: a finite number (null, NaN and ±Infinity are undefined). */
export function isDefinedValue(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Adds to `defs` the hatch pattern undefined cells are filled with. */
export function appendHatchPattern(defs: SVGDefsElement, id: string): void {
  const doc = defs.ownerDocument;
  const pattern = doc.createElementNS(SVG_NS, 'pattern');
  pattern.setAttribute('id', id);
  pattern.setAttribute('width', '6');
  pattern.setAttribute('height', '6');
  pattern.setAttribute('patternUnits', 'userSpaceOnUse');
  pattern.setAttribute('patternTransform', 'rotate(45)');
  const bg = doc.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('width', '6');
  bg.setAttribute('height', '6');
  bg.setAttribute('fill', undefinedCell.fill);
  const line = doc.createElementNS(SVG_NS, 'line');
  line.setAttribute('x1', '0');
  line.setAttribute('y1', '0');
  line.setAttribute('x2', '0');
  line.setAttribute('y2', '6');
  line.setAttribute('stroke', undefinedCell.hatch);
  line.setAttribute('stroke-width', '2');
  pattern.append(bg, line);
  defs.appendChild(pattern);
}

/**
 * Fills `g` with one rect per cell (row r at y = r·cell, column c at x = c·cell), undefined cells
 * hatched with the pattern `hatchId`, and the value written in each cell when `showValues`.
 */
export function appendCellRects(
  g: SVGGElement,
  values: readonly (readonly (number | null)[])[],
  cell: number,
  color: (v: number) => string,
  hatchId: string,
  showValues: boolean,
): void {
  const doc = g.ownerDocument;
  const rects = doc.createDocumentFragment();
  const labels = doc.createDocumentFragment();
  const fontSize = Math.min(11, Math.max(7, cell * 0.3));
  values.forEach((row, r) =>
    row.forEach((v, c) => {
      const rect = doc.createElementNS(SVG_NS, 'rect');
      rect.setAttribute('x', String(c * cell));
      rect.setAttribute('y', String(r * cell));
      rect.setAttribute('width', String(cell));
      rect.setAttribute('height', String(cell));
      rect.setAttribute('data-row', String(r));
      rect.setAttribute('data-col', String(c));
      // The exact value travels with the cell, so an exported SVG still says what it drew.
      rect.setAttribute('data-value', isDefinedValue(v) ? String(v) : '');
      const fill = isDefinedValue(v) ? color(v) : `url(#${hatchId})`;
      rect.setAttribute('fill', fill);
      rects.appendChild(rect);
      if (showValues && isDefinedValue(v)) {
        const text = doc.createElementNS(SVG_NS, 'text');
        text.setAttribute('x', String((c + 0.5) * cell));
        text.setAttribute('y', String((r + 0.5) * cell));
        text.setAttribute('dy', '0.35em');
        text.setAttribute('text-anchor', 'middle');
        text.setAttribute('font-size', String(fontSize));
        text.setAttribute('fill', textColorOn(fill));
        text.textContent = formatCell(v);
        labels.appendChild(text);
      }
    }),
  );
  g.setAttribute('shape-rendering', 'crispEdges');
  g.replaceChildren(rects, labels);
}

/**
 * Draws the cells on `canvas` (sized to the grid in CSS pixels, scaled for the device pixel
 * ratio). Returns false, drawing nothing, when the environment has no 2D context (jsdom, some
 * locked-down browsers): the caller then draws SVG rects instead.
 */
export function drawCellCanvas(
  canvas: HTMLCanvasElement,
  values: readonly (readonly (number | null)[])[],
  cell: number,
  color: (v: number) => string,
): boolean {
  let ctx: CanvasRenderingContext2D | null = null;
  try {
    ctx = canvas.getContext('2d');
  } catch {
    ctx = null;
  }
  if (!ctx) return false;
  const rows = values.length;
  const cols = rows > 0 ? values[0].length : 0;
  const ratio = canvas.ownerDocument.defaultView?.devicePixelRatio ?? 1;
  canvas.width = Math.ceil(cols * cell * ratio);
  canvas.height = Math.ceil(rows * cell * ratio);
  canvas.style.width = `${cols * cell}px`;
  canvas.style.height = `${rows * cell}px`;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, cols * cell, rows * cell);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = values[r][c];
      ctx.fillStyle = isDefinedValue(v) ? color(v) : undefinedCell.fill;
      // Overlap by a fraction of a pixel so no seams show between cells.
      ctx.fillRect(c * cell, r * cell, cell + 0.5, cell + 0.5);
      if (!isDefinedValue(v)) {
        ctx.strokeStyle = undefinedCell.hatch;
        ctx.beginPath();
        ctx.moveTo(c * cell, (r + 1) * cell);
        ctx.lineTo((c + 1) * cell, r * cell);
        ctx.stroke();
      }
    }
  }
  return true;
}
