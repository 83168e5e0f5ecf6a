import { describe, expect, it } from 'vitest';
import { classifyWebGl, isSoftwareRenderer } from './webglProbe';

describe('WebGL renderer strings: software or hardware', () => {
  it('names the software rasterisers as software', () => {
    const software = [
      'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
      'Google SwiftShader',
      'llvmpipe (LLVM 15.0.6, 256 bits)',
      'ANGLE (Mesa, llvmpipe (LLVM 15.0.6, 256 bits), OpenGL 4.5)',
      'softpipe',
      'Mesa/X.org, lavapipe',
      'ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0, D3D11)',
      'Software Rasterizer',
    ];
    for (const r of software) expect(isSoftwareRenderer(r), r).toBe(true);
  });

  it('leaves real GPUs as hardware', () => {
    const hardware = [
      'ANGLE (NVIDIA, NVIDIA GeForce RTX 3080 Direct3D11 vs_5_0 ps_5_0, D3D11)',
      'ANGLE (Intel, Mesa Intel(R) UHD Graphics 620 (KBL GT2), OpenGL 4.6)',
      'Apple M1',
      'ANGLE (AMD, AMD Radeon RX 6800 XT (radeonsi, navi21, LLVM 15.0.7), OpenGL 4.6)',
      'Mali-G78',
    ];
    for (const r of hardware) expect(isSoftwareRenderer(r), r).toBe(false);
  });

  it('counts a failed failIfMajorPerformanceCaveat context as software, and says why', () => {
    expect(classifyWebGl('WebKit WebGL', true)).toEqual({
      hardware: false,
      description: 'WebKit WebGL',
      softwareBecause: 'the browser flags a major performance caveat',
    });
    expect(classifyWebGl('Apple M1', false)).toEqual({ hardware: true, description: 'Apple M1' });
    expect(classifyWebGl('llvmpipe (LLVM 15)', false).softwareBecause).toBe(
      'software renderer: llvmpipe',
    );
    expect(classifyWebGl('  ', false)).toEqual({
      hardware: true,
      description: 'unknown WebGL renderer',
    });
  });
});
