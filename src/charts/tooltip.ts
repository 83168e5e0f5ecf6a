import { ink } from './colors';

/** A floating readout inside a chart's body; its lines are set as text, never as markup. */
export interface Tooltip {
  readonly element: HTMLDivElement;
  /** Shows `lines` near the point (x, y) of the chart body, kept inside the body's width. */
  show(lines: string[], x: number, y: number): void;
  hide(): void;
  /** The lines shown, or null when hidden. */
  lines(): string[] | null;
}

/** Creates a hidden tooltip in `body` (which must be `position: relative`). */
export function createTooltip(body: HTMLElement): Tooltip {
  const el = body.ownerDocument.createElement('div');
  el.className = 'strata-tooltip';
  el.setAttribute('role', 'tooltip');
  Object.assign(el.style, {
    position: 'absolute',
    pointerEvents: 'none',
    display: 'none',
    zIndex: '2',
    background: 'rgba(255, 255, 255, 0.96)',
    color: ink.text,
    border: `1px solid ${ink.axis}`,
    borderRadius: '4px',
    padding: '4px 6px',
    font: '12px system-ui, sans-serif',
    whiteSpace: 'nowrap',
    boxShadow: '0 1px 4px rgba(0, 0, 0, 0.15)',
  } satisfies Partial<CSSStyleDeclaration>);
  body.appendChild(el);
  let shown: string[] | null = null;

  return {
    element: el,
    show(lines, x, y) {
      el.replaceChildren(
        ...lines.map((line, i) => {
          const row = body.ownerDocument.createElement('div');
          row.textContent = line;
          if (i === 0) row.style.fontWeight = '600';
          return row;
        }),
      );
      el.style.display = 'block';
      // Place right of and above the point; flip left when it would leave the body.
      const width = el.offsetWidth || 160;
      const bodyWidth = body.clientWidth || Number.POSITIVE_INFINITY;
      const left = x + 12 + width > bodyWidth ? Math.max(0, x - 12 - width) : x + 12;
      el.style.left = `${left}px`;
      el.style.top = `${Math.max(0, y - 8 - (el.offsetHeight || 0))}px`;
      shown = lines;
    },
    hide() {
      el.style.display = 'none';
      shown = null;
    },
    lines: () => shown,
  };
}
