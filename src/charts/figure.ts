import { select, type Selection } from 'd3';
import { ink } from './colors';
import { serializeSvg, type SvgDecorator } from './export';
import { chartFont } from './text';
import { createTooltip, type Tooltip } from './tooltip';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The DOM every chart lives in: figure > body (canvas, svg, tooltip) + figcaption + live region. */
export interface ChartFrame {
  readonly figure: HTMLElement;
  /** `position: relative` box holding the optional canvas, the SVG and the tooltip. */
  readonly body: HTMLDivElement;
  readonly svg: Selection<SVGSVGElement, unknown, null, undefined>;
  readonly tooltip: Tooltip;
  readonly destroyed: boolean;
  setCaption(text: string): void;
  /** Sets the accessible summary of the chart's data (the SVG's aria-label). */
  describe(summary: string): void;
  /** Reads `text` out to screen readers (used for keyboard readouts). */
  announce(text: string): void;
  /** Sizes the body and the SVG in CSS pixels. */
  setSize(width: number, height: number): void;
  /** Adds a listener that `destroy` removes. */
  listen<K extends keyof HTMLElementEventMap>(
    target: Element,
    type: K,
    handler: (event: HTMLElementEventMap[K]) => void,
  ): void;
  /** Routes the pointer over `overlay` and the keyboard on the SVG to `readout`. */
  bindReadout(overlay: Element, readout: Readout): void;
  /** The chart as a self-contained SVG document with its caption. */
  exportSvg(decorate?: SvgDecorator): string;
  /** Removes the figure and every listener added through `listen`. */
  destroy(): void;
}

/** How a chart answers the pointer and the keyboard with its tooltip and live readout. */
export interface Readout {
  /** The pointer moved over the overlay, to `point` in SVG coordinates. */
  hover(point: [number, number]): void;
  /** The SVG took the keyboard focus. */
  focus(): void;
  /** A key other than Escape on the SVG; true when it moved the readout (the key is then used up). */
  key(key: string): boolean;
  /** Hides the readout: the pointer left, the focus went, or Escape. */
  hide(): void;
}

/**
 * Builds a chart's frame in `container`. `kind` names the chart in class names
 * (`strata-chart strata-<kind>`); `focusable` makes the SVG a keyboard stop.
 */
export function createFrame(
  container: HTMLElement,
  kind: string,
  caption: string,
  focusable: boolean,
): ChartFrame {
  if (!container || typeof container.appendChild !== 'function') {
    throw new Error(`create ${kind}: container must be an HTML element, got ${String(container)}`);
  }
  const doc = container.ownerDocument;
  const figure = doc.createElement('figure');
  figure.className = `strata-chart strata-${kind}`;
  figure.style.margin = '0';
  const body = doc.createElement('div');
  body.className = 'strata-chart-body';
  body.style.position = 'relative';
  figure.appendChild(body);

  const svg = select(doc.createElementNS(SVG_NS, 'svg'))
    .attr('role', 'img')
    .attr('font-family', chartFont.family)
    .attr('font-size', chartFont.size)
    .attr('fill', ink.text)
    .style('display', 'block')
    .style('position', 'relative')
    .style('z-index', '1')
    .style('overflow', 'visible');
  if (focusable) svg.attr('tabindex', 0);
  body.appendChild(svg.node() as SVGSVGElement);
  const tooltip = createTooltip(body);

  const figcaption = doc.createElement('figcaption');
  figcaption.className = 'strata-chart-caption';
  figcaption.textContent = caption;
  figure.appendChild(figcaption);

  const live = doc.createElement('div');
  live.setAttribute('aria-live', 'polite');
  live.className = 'strata-visually-hidden';
  Object.assign(live.style, {
    position: 'absolute',
    width: '1px',
    height: '1px',
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
  } satisfies Partial<CSSStyleDeclaration>);
  figure.appendChild(live);
  container.appendChild(figure);

  const listeners: { target: Element; type: string; handler: EventListener }[] = [];
  let destroyed = false;
  const listen: ChartFrame['listen'] = (target, type, handler) => {
    target.addEventListener(type, handler as EventListener);
    listeners.push({ target, type, handler: handler as EventListener });
  };
  const svgNode = svg.node() as SVGSVGElement;

  return {
    figure,
    body,
    svg,
    tooltip,
    get destroyed() {
      return destroyed;
    },
    setCaption(text) {
      figcaption.textContent = text;
    },
    describe(summary) {
      svg.attr('aria-label', summary);
    },
    announce(text) {
      live.textContent = text;
    },
    setSize(width, height) {
      body.style.width = `${width}px`;
      body.style.height = `${height}px`;
      svg.attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
    },
    listen,
    bindReadout(overlay, readout) {
      listen(overlay, 'mousemove', (event) => readout.hover(localPoint(event, svgNode)));
      listen(overlay, 'mouseleave', () => readout.hide());
      listen(svgNode, 'focus', () => readout.focus());
      listen(svgNode, 'blur', () => readout.hide());
      listen(svgNode, 'keydown', (event) => {
        if (event.key === 'Escape') readout.hide();
        else if (readout.key(event.key)) event.preventDefault();
      });
    },
    exportSvg(decorate) {
      return serializeSvg(svgNode, {
        caption: figcaption.textContent ?? '',
        description: svg.attr('aria-label') ?? '',
        decorate,
      });
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      for (const { target, type, handler } of listeners) target.removeEventListener(type, handler);
      listeners.length = 0;
      select(figure).remove();
    },
  };
}

/**
 * Appends to `parent` a transparent rect that takes the pointer over a chart's marks (the caller
 * sizes it); it is left out of exports.
 */
export function appendOverlay(
  parent: Selection<SVGGElement, unknown, null, undefined>,
): SVGRectElement {
  return parent
    .append('rect')
    .attr('class', 'strata-overlay')
    .attr('data-export', 'skip')
    .attr('fill', 'none')
    .attr('pointer-events', 'all')
    .node() as SVGRectElement;
}

let nextId = 0;

/** A document-unique id for gradients and patterns (ids must differ between charts on a page). */
export function uniqueId(prefix: string): string {
  nextId += 1;
  return `strata-${prefix}-${nextId}`;
}

/** Pointer position relative to `element`'s top-left corner, in CSS pixels. */
export function localPoint(event: MouseEvent, element: Element): [number, number] {
  const rect = element.getBoundingClientRect();
  return [event.clientX - rect.left, event.clientY - rect.top];
}
