import { describe, expect, it } from 'vitest';
import { CHROMIUM_DIR, vulkanEnv } from './vulkan';

const chromium = (path: string) => path.startsWith(CHROMIUM_DIR);

describe('vulkanEnv', () => {
  it("uses Chromium's loader and SwiftShader when the system has no Vulkan loader", () => {
    expect(vulkanEnv({ LD_LIBRARY_PATH: '/opt/x' }, chromium)).toEqual({
      LD_LIBRARY_PATH: `${CHROMIUM_DIR}:/opt/x`,
      VK_ICD_FILENAMES: `${CHROMIUM_DIR}/vk_swiftshader_icd.json`,
    });
  });

  it("leaves a GPU machine's own loader, or a chosen driver, alone", () => {
    const system = (p: string) => p === '/usr/lib/x86_64-linux-gnu/libvulkan.so.1' || chromium(p);
    expect(vulkanEnv({}, system)).toEqual({});
    expect(vulkanEnv({ VK_ICD_FILENAMES: '/etc/nvidia.json' }, chromium)).toEqual({});
    expect(vulkanEnv({}, () => false)).toEqual({});
  });

  it('forces SwiftShader with STRATA_VULKAN=swiftshader', () => {
    const all = () => true;
    expect(vulkanEnv({ STRATA_VULKAN: 'swiftshader' }, all).VK_ICD_FILENAMES).toMatch(
      /vk_swiftshader_icd\.json$/,
    );
  });
});
