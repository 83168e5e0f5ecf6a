/** What the WebGL probe found: null when no WebGL context could be made. */
export interface WebGlProbe {
  hardware: boolean;
  /** The renderer string, e.g. "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device…))". */
  description: string;
  /** Why the renderer counts as software, for the badge; absent on hardware. */
  softwareBecause?: string;
}

// Renderers that rasterise on the CPU: Chromium's SwiftShader, Mesa's llvmpipe/softpipe (also
// behind lavapipe), Windows' WARP ("Microsoft Basic Render Driver"), and generic "Software".
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|lavapipe|software|microsoft basic render/i;

/** Whether a WebGL renderer string names a software rasteriser. */
export function isSoftwareRenderer(renderer: string): boolean {
  return SOFTWARE_RENDERER.test(renderer);
}

/**
 * Classifies what a WebGL context creation saw: `performanceCaveat` is true when a context with
 * `failIfMajorPerformanceCaveat: true` failed but a plain one succeeded, which is how browsers
 * flag a software or blocklisted GPU path even when the renderer string is masked.
 */
export function classifyWebGl(renderer: string, performanceCaveat: boolean): WebGlProbe {
  const description = renderer.trim() || 'unknown WebGL renderer';
  // The rasteriser's own name is short enough for the badge; the full string is the adapter.
  const software = SOFTWARE_RENDERER.exec(description);
  if (software) {
    return { hardware: false, description, softwareBecause: `software renderer: ${software[0]}` };
  }
  if (performanceCaveat) {
    return {
      hardware: false,
      description,
      softwareBecause: 'the browser flags a major performance caveat',
    };
  }
  return { hardware: true, description };
}

type Gl = WebGLRenderingContext | WebGL2RenderingContext;

function makeContext(caveat: boolean): Gl | null {
  const attributes: WebGLContextAttributes = { failIfMajorPerformanceCaveat: caveat };
  // The engine runs in a worker: OffscreenCanvas is its only canvas (none in Node).
  if (typeof OffscreenCanvas === 'undefined') return null;
  const canvas = new OffscreenCanvas(1, 1);
  return (canvas.getContext('webgl2', attributes) ??
    canvas.getContext('webgl', attributes)) as Gl | null;
}

function rendererOf(gl: Gl): string {
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const value = gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER);
  return typeof value === 'string' ? value : '';
}

function release(gl: Gl): void {
  gl.getExtension('WEBGL_lose_context')?.loseContext();
}

/** Looks at the WebGL this browser (page or worker) offers; null when there is none. */
export function probeWebGl(): WebGlProbe | null {
  try {
    const strict = makeContext(true);
    const gl = strict ?? makeContext(false);
    if (!gl) return null;
    const renderer = rendererOf(gl);
    release(gl);
    return classifyWebGl(renderer, strict === null);
  } catch {
    return null;
  }
}
