// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { appendSvgCaption, sanitizeSvg, serializeSvg, svgSize, svgStringToPng } from './export';
import { createHeatmap } from './heatmap';
import { hasExecutableContent, mountContainer, parseSvg } from './testing';

afterEach(() => {
  document.body.replaceChildren();
  document.head.replaceChildren();
  vi.restoreAllMocks();
});

describe('serializeSvg', () => {
  const NS = 'http://www.w3.org/2000/svg';
  function liveSvg(): SVGSVGElement {
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('width', '100');
    svg.setAttribute('height', '50');
    document.body.appendChild(svg);
    return svg;
  }

  it('inlines styles that come from the page, so the file needs no CSS', () => {
    const style = document.createElement('style');
    style.textContent = '.marked { fill: rgb(1, 2, 3); stroke: blue; }';
    document.head.appendChild(style);
    const svg = liveSvg();
    const rect = document.createElementNS(NS, 'rect');
    rect.setAttribute('class', 'marked');
    svg.appendChild(rect);
    const doc = parseSvg(serializeSvg(svg));
    const out = doc.querySelector('rect.marked')!.getAttribute('style') ?? '';
    expect(out).toContain('fill:rgb(1, 2, 3)');
    expect(out).toContain('stroke:blue');
  });

  it('drops scripts, foreign content, handlers, external links and interaction layers', () => {
    const svg = liveSvg();
    svg.innerHTML =
      '<script>alert(1)</script><foreignObject><div>x</div></foreignObject>' +
      '<rect onclick="alert(1)" width="5"/><image href="https://evil.example/x.png"/>' +
      '<a href="javascript:alert(1)"><text>link</text></a><rect data-export="skip" class="overlay"/>' +
      '<image href="data:image/png;base64,AAAA"/>';
    const out = serializeSvg(svg, { caption: 'caption', description: 'summary' });
    const doc = parseSvg(out);
    expect(hasExecutableContent(doc)).toBe(false);
    expect(out).not.toMatch(/javascript:|evil\.example|foreignObject/);
    expect(doc.querySelector('.overlay')).toBeNull();
    expect(doc.querySelectorAll('image')[1].getAttribute('href')).toBe(
      'data:image/png;base64,AAAA',
    );
    expect(doc.querySelector('title')!.textContent).toBe('caption');
    expect(doc.querySelector('desc')!.textContent).toBe('summary');
  });

  it('wraps a long caption under the chart and grows the height to fit it', () => {
    const svg = liveSvg();
    const caption =
      'Cosine similarity, cls pooling, vit-mnist aligned, MNIST test, N = 1000, wasm, Strata 0.1.0';
    const doc = parseSvg(serializeSvg(svg, { caption }));
    const lines = Array.from(
      doc.querySelectorAll('.strata-export-caption text'),
      (t) => t.textContent,
    );
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join(' ')).toBe(caption);
    expect(svgSize(new XMLSerializer().serializeToString(doc))).toEqual({
      width: 100,
      height: 50 + 12 + lines.length * 15,
    });
  });
});

describe('appendSvgCaption', () => {
  const NS = 'http://www.w3.org/2000/svg';
  function exported(caption?: string): string {
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('width', '300');
    svg.setAttribute('height', '100');
    document.body.appendChild(svg);
    return serializeSvg(svg, { caption });
  }

  it('adds lines under the chart caption, 15 px apart, and grows the height and viewBox', () => {
    const out = appendSvgCaption(exported('Cosine similarity'), ['Strata 0.1.0', 'wasm']);
    const doc = parseSvg(out);
    const texts = Array.from(doc.querySelectorAll('.strata-export-caption text'));
    expect(texts.map((t) => t.textContent)).toEqual(['Cosine similarity', 'Strata 0.1.0', 'wasm']);
    const ys = texts.map((t) => Number(t.getAttribute('y')));
    expect(ys).toEqual([116, 131, 146]);
    expect(svgSize(out)).toEqual({ width: 300, height: 100 + 12 + 3 * 15 });
    expect(doc.documentElement.getAttribute('viewBox')).toBe('0 0 300 157');
    expect(doc.querySelectorAll('.strata-export-caption')).toHaveLength(1);
  });

  it('starts a caption group when the chart had none, and keeps hostile lines as text', () => {
    const hostile = '</text><script>alert(1)</script>]]><img src=x onerror=alert(1)>';
    const out = appendSvgCaption(exported(), [hostile]);
    const doc = parseSvg(out);
    const lines = Array.from(doc.querySelectorAll('.strata-export-caption text'));
    expect(lines.map((t) => t.textContent).join(' ')).toBe(hostile);
    expect(hasExecutableContent(doc)).toBe(false);
    expect(svgSize(out).height).toBe(100 + 12 + lines.length * 15);
  });

  it('rejects what is not an SVG document, naming what it got', () => {
    expect(() => appendSvgCaption('<html/>', ['x'])).toThrow(
      'appendSvgCaption: expected an SVG document, got "<html/>',
    );
  });
});

describe('sanitizeSvg', () => {
  it('removes style elements, root handlers and attributes that load external URLs', () => {
    const doc = parseSvg(
      '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)" width="10" height="10">' +
        '<style>@import url(https://evil.example/x.css);</style>' +
        '<rect fill="url(#grad)" style="fill:url(&quot;https://evil.example/p.svg#a&quot;)"/>' +
        '<rect fill="url( \'#ok\')" mask="url(https://evil.example/m.svg)"/></svg>',
    );
    sanitizeSvg(doc.documentElement as unknown as SVGSVGElement);
    const out = new XMLSerializer().serializeToString(doc);
    expect(out).not.toMatch(/evil\.example|onload|<style/);
    const rects = doc.querySelectorAll('rect');
    expect(rects[0].getAttribute('fill')).toBe('url(#grad)');
    expect(rects[0].hasAttribute('style')).toBe(false);
    expect(rects[1].getAttribute('fill')).toBe("url( '#ok')");
  });
});

describe('svgStringToPng', () => {
  it('rejects with a clear error where there is no 2D canvas', async () => {
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
    const chart = createHeatmap(mountContainer(), { scale: 'sequential', caption: 'x' });
    chart.update({ rowLabels: ['a'], colLabels: ['a'], values: [[1]] });
    await expect(svgStringToPng(chart.toSvg(), 2)).rejects.toThrow(
      'svgStringToPng: this environment has no 2D canvas',
    );
  });

  it('rejects a document without a size', async () => {
    await expect(svgStringToPng('<svg xmlns="http://www.w3.org/2000/svg"/>')).rejects.toThrow(
      'expected a positive size and scale, got 0×0 at 2×',
    );
  });
});
