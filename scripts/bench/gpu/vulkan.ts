import { existsSync } from 'node:fs';

/** Where Debian's Chromium keeps its Vulkan loader and SwiftShader's Vulkan driver. */
export const CHROMIUM_DIR = '/usr/lib/chromium';
const SYSTEM_LOADERS = [
  '/usr/lib/x86_64-linux-gnu/libvulkan.so.1',
  '/usr/lib/aarch64-linux-gnu/libvulkan.so.1',
  '/usr/lib64/libvulkan.so.1',
  '/usr/lib/libvulkan.so.1',
];

/**
 * The environment a Node process needs for Dawn to find a Vulkan adapter: nothing when the
 * caller chose a driver (VK_ICD_FILENAMES) or the system has a Vulkan loader (a GPU machine);
 * else Chromium's loader and SwiftShader, the software adapter. STRATA_VULKAN=swiftshader forces
 * SwiftShader. The loader is found at process start, so this goes to a child's environment.
 */
export function vulkanEnv(
  env: Record<string, string | undefined> = process.env,
  exists: (path: string) => boolean = existsSync,
): Record<string, string> {
  const forced = env.STRATA_VULKAN === 'swiftshader';
  if (!forced && (env.VK_ICD_FILENAMES || SYSTEM_LOADERS.some(exists))) return {};
  const icd = `${CHROMIUM_DIR}/vk_swiftshader_icd.json`;
  if (!exists(`${CHROMIUM_DIR}/libvulkan.so.1`) || !exists(icd)) return {};
  return {
    LD_LIBRARY_PATH: [CHROMIUM_DIR, env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
    VK_ICD_FILENAMES: icd,
  };
}
