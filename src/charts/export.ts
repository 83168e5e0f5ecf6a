import { ink } from './colors';
import { chartFont, estimateTextWidth, wrapText } from './text';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Edits the cloned SVG before it is serialised (e.g. turns canvas cells into rects). */
export type SvgDecorator = (clone: SVGSVGElement) => void;

export interface SerializeSvgOptions {
  /** Caption drawn under the chart and used as the document's <title>. */
  caption?: string;
  /** Accessible summary, written as the document's <desc>. */
  description?: string;
  decorate?: SvgDecorator;
  /** Background fill; null for a transparent export. Default white. */
  background?: string | null;
}

/** Computed properties that decide how an SVG looks; the rest is layout of the page around it. */
const STYLE_PROPERTIES = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-opacity',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'visibility',
] as const;
/** Not inherited: inlined when they differ from their initial value, not from the parent's. */
const NON_INHERITED_INITIAL: Record<string, string> = { opacity: '1', display: 'inline' };

/**
 * `svg` as a self-contained SVG document: computed styles that matter (fill, stroke, fonts) are
 * inlined, so CSS from the page is not needed; elements marked `data-export="skip"` (overlays,
 * focus rings) are dropped; scripts, foreign content, event-handler attributes and external links
 * are removed; the caption is drawn under the chart. Text is serialised by XMLSerializer, which
 * escapes `<`, `>`, `&` and quotes, so user strings cannot become markup.
 */
export function serializeSvg(svg: SVGSVGElement, options: SerializeSvgOptions = {}): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.removeAttribute('style');
  clone.removeAttribute('tabindex');
  inlineComputedStyles(svg, clone);
  clone.querySelectorAll('[data-export="skip"]').forEach((el) => el.remove());
  options.decorate?.(clone);
  sanitizeSvg(clone);

  const doc = clone.ownerDocument;
  const width = Number(svg.getAttribute('width')) || 0;
  let height = Number(svg.getAttribute('height')) || 0;
  const background = options.background === undefined ? ink.background : options.background;
  if (background !== null) {
    const rect = doc.createElementNS(SVG_NS, 'rect');
    rect.setAttribute('width', String(width));
    rect.setAttribute('height', '100%');
    rect.setAttribute('fill', background);
    clone.insertBefore(rect, clone.firstChild);
  }
  if (options.caption) height = drawCaptionLines(clone, [options.caption], width, height);
  for (const [tag, text] of [
    ['desc', options.description],
    ['title', options.caption],
  ] as const) {
    if (!text) continue;
    const el = doc.createElementNS(SVG_NS, tag);
    el.textContent = text;
    clone.insertBefore(el, clone.firstChild);
  }
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  clone.setAttribute('viewBox', `0 0 ${width} ${height}`);
  if (!clone.getAttribute('font-family')) clone.setAttribute('font-family', chartFont.family);
  return new XMLSerializer().serializeToString(clone);
}

/**
 * Draws `lines` (each wrapped to the width) under the chart, in the export caption group, and
 * returns the new height. Text goes in through textContent only.
 */
function drawCaptionLines(
  root: SVGSVGElement,
  lines: readonly string[],
  width: number,
  height: number,
): number {
  const doc = root.ownerDocument;
  const maxChars = Math.max(10, Math.floor((width - 16) / estimateTextWidth('x')));
  const wrapped = lines.flatMap((line) => wrapText(line, maxChars));
  if (wrapped.length === 0) return height;
  let g = Array.from(root.children).find((el) => el.classList.contains('strata-export-caption'));
  // A line below the last one already drawn (15 px apart), or 16 px under the chart.
  const firstBaseline = g ? height + 4 : height + 16;
  if (!g) {
    g = doc.createElementNS(SVG_NS, 'g');
    g.setAttribute('class', 'strata-export-caption');
    g.setAttribute('fill', ink.muted);
    root.appendChild(g);
  }
  wrapped.forEach((line, i) => {
    const text = doc.createElementNS(SVG_NS, 'text');
    text.setAttribute('x', '8');
    text.setAttribute('y', String(firstBaseline + i * 15));
    text.textContent = line;
    g.appendChild(text);
  });
  return firstBaseline - 4 + wrapped.length * 15;
}

/**
 * `svg` (a document from {@link serializeSvg}) with `lines` added to the caption under the chart,
 * its height and viewBox grown to fit: how the app adds the backend, version and date to a chart's
 * own caption without the chart knowing them.
 */
export function appendSvgCaption(svg: string, lines: readonly string[]): string {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const root = doc.documentElement;
  if (root.localName !== 'svg' || doc.getElementsByTagName('parsererror').length > 0) {
    throw new Error(`appendSvgCaption: expected an SVG document, got "${svg.slice(0, 60)}…"`);
  }
  const svgRoot = root as unknown as SVGSVGElement;
  const width = Number(root.getAttribute('width')) || 0;
  const height = drawCaptionLines(svgRoot, lines, width, Number(root.getAttribute('height')) || 0);
  root.setAttribute('height', String(height));
  root.setAttribute('viewBox', `0 0 ${width} ${height}`);
  sanitizeSvg(svgRoot);
  return new XMLSerializer().serializeToString(root);
}

function inlineComputedStyles(live: SVGSVGElement, clone: SVGSVGElement): void {
  const view = live.ownerDocument.defaultView;
  if (!view || !live.isConnected) return;
  const liveEls = [live, ...Array.from(live.querySelectorAll('*'))];
  const cloneEls = [clone, ...Array.from(clone.querySelectorAll('*'))];
  const computed = new Map<Element, CSSStyleDeclaration>();
  const style = (el: Element) => {
    let cs = computed.get(el);
    if (!cs) computed.set(el, (cs = view.getComputedStyle(el)));
    return cs;
  };
  liveEls.forEach((el, i) => {
    const target = cloneEls[i];
    const cs = style(el);
    const parent = el === live || !el.parentElement ? null : style(el.parentElement);
    const decls: string[] = [];
    for (const prop of STYLE_PROPERTIES) {
      const value = cs.getPropertyValue(prop);
      if (!value || target.hasAttribute(prop)) continue;
      if (parent && parent.getPropertyValue(prop) === value) continue;
      decls.push(`${prop}:${value}`);
    }
    for (const [prop, initial] of Object.entries(NON_INHERITED_INITIAL)) {
      const value = cs.getPropertyValue(prop);
      if (value && value !== initial && !target.hasAttribute(prop)) decls.push(`${prop}:${value}`);
    }
    if (decls.length > 0) target.setAttribute('style', decls.join(';'));
  });
}

const FORBIDDEN_ELEMENTS = new Set([
  'script',
  'foreignobject',
  'iframe',
  'object',
  'embed',
  // A <style> could @import or load fonts from elsewhere; exports carry their styles inline.
  'style',
]);
/** A CSS url() that points anywhere but into the document itself (`url(#id)`). */
const EXTERNAL_URL = /url\(\s*(?!\s|['"]?#)/i;

/**
 * Removes anything executable or external from an SVG tree: scripts, foreign content, `on*`
 * handlers, links other than `#…` and `data:image/png|jpeg`, and attributes (inline styles
 * included) that reference a URL outside the document. Defence in depth on top of text-only
 * labels: the report runs every chart through it again.
 */
export function sanitizeSvg(root: SVGSVGElement): void {
  for (const el of [root, ...Array.from(root.querySelectorAll('*'))]) {
    if (
      el !== root &&
      (el.namespaceURI !== SVG_NS || FORBIDDEN_ELEMENTS.has(el.localName.toLowerCase()))
    ) {
      el.remove();
      continue;
    }
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      const isLink = name === 'href' || name === 'xlink:href';
      if (
        name.startsWith('on') ||
        (isLink && !/^(#|data:image\/(png|jpeg);)/i.test(attr.value.trim())) ||
        EXTERNAL_URL.test(attr.value)
      ) {
        el.removeAttributeNode(attr);
      }
    }
  }
}

/**
 * Rasterises an SVG document to a PNG blob at `scale` times its size (2 for sharp slides). Needs
 * a real 2D canvas and image decoding (a browser); rejects with a clear error elsewhere. The
 * image is loaded from a `data:` URL, so a Content Security Policy must allow `img-src data:`.
 */
export function svgStringToPng(svg: string, scale = 2, background = '#ffffff'): Promise<Blob> {
  return new Promise((resolve, reject) => {
    const { width, height } = svgSize(svg);
    if (!(width > 0 && height > 0 && scale > 0)) {
      reject(
        new Error(
          `svgStringToPng: expected a positive size and scale, got ${width}×${height} at ${scale}×`,
        ),
      );
      return;
    }
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) {
      reject(
        new Error('svgStringToPng: this environment has no 2D canvas (PNG export needs a browser)'),
      );
      return;
    }
    const image = new Image();
    image.onload = () => {
      ctx.fillStyle = background;
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
      canvas.toBlob((blob) => {
        if (blob) resolve(blob);
        else reject(new Error('svgStringToPng: the canvas produced no PNG'));
      }, 'image/png');
    };
    image.onerror = () => reject(new Error('svgStringToPng: the browser could not decode the SVG'));
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  });
}

/** Width and height (CSS pixels) declared on an SVG document's root. */
export function svgSize(svg: string): { width: number; height: number } {
  const root = new DOMParser().parseFromString(svg, 'image/svg+xml').documentElement;
  return { width: Number(root.getAttribute('width')), height: Number(root.getAttribute('height')) };
}
