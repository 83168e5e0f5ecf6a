import { initBackend, type BackendInfo } from '../backend';
import type { BackendEvent } from '../deviceLoss';
import { watchDevice, type DeviceWatch } from '../deviceWatch';
import { tf } from '../tf';
import { createBackendGuard, type BackendGuard } from './backendGuard';
import type { ModelImports } from './modelImports';
import type { ModelRegistry } from './models';
import type { TrainingSession } from './training';

export interface DeviceRecovery {
  /** Runs an engine call so that a device loss interrupts it cleanly (see BackendGuard.run). */
  run: BackendGuard['run'];
  /** After init: watches the new backend's device. */
  started(info: BackendInfo): void;
  /** The page's listener for backend changes (one; a new one replaces it). */
  listen(listener: (change: BackendEvent) => void): void;
  /** Test hook: loses the device now (destroy() on WebGPU, a simulated loss elsewhere). */
  loseForTest(): Promise<void>;
  /** Why the engine cannot compute any more (no backend could start after a loss), or null. */
  failure(): Error | null;
}

interface Parts {
  wasmPaths?: Record<string, string>;
  models: ModelRegistry;
  imports: ModelImports;
  training: TrainingSession;
  /** Receives the backend the engine runs on after a switch (null: none could start). */
  switched(info: BackendInfo | null): void;
}

/**
 * What the engine does when its GPU device is lost: interrupt the work in flight, free every
 * tensor of the lost backend, start the next backend by the policy, and tell the page (which asks
 * again for what was interrupted). Built-in and imported models load again on next use.
 */
export function createDeviceRecovery(parts: Parts): DeviceRecovery {
  let watch: DeviceWatch | null = null;
  let backend: BackendInfo | null = null;
  let listener: ((change: BackendEvent) => void) | null = null;

  const guard = createBackendGuard({
    interrupt: () => parts.training.abandon(),
    onGpu: () => backend?.name === 'webgpu',
    async recover(failure) {
      // The device's own word on the loss, when it came before a failed read-back's.
      const lost = { backend: backend!.name, message: watch?.lostMessage() ?? failure };
      watch?.stop();
      const droppedModels = await parts.models.releaseAll();
      parts.imports.releaseStaged();
      // The lost backend goes with its buffers; no kernel of it runs again, nothing moves over.
      tf.engine().removeBackend(lost.backend);
      let info: BackendInfo;
      try {
        info = await initBackend({
          wasmPaths: parts.wasmPaths,
          exclude: [lost.backend, ...(backend!.lost ? [backend!.lost.backend] : [])],
          lost,
          gpu: backend!.gpu,
        });
      } catch (e) {
        // The lost backend is already gone: the engine has none left and must say so.
        const reason = e instanceof Error ? e.message : String(e);
        const message =
          `engine (deviceRecovery.ts): the ${lost.backend} device was lost (${lost.message}) and ` +
          `no other backend could start (${reason}). Reload the page; if it fails again, open it ` +
          `with ?backend=cpu or try another browser.`;
        backend = null;
        parts.switched(null);
        try {
          await listener?.({ type: 'restart-failed', lost, message });
        } catch {
          // The page went away: nobody to tell.
        }
        throw new Error(message);
      }
      started(info);
      parts.switched(info);
      try {
        await listener?.({ type: 'device-lost', lost, info, droppedModels });
      } catch {
        // The page went away: nobody to tell.
      }
    },
  });

  function started(info: BackendInfo): void {
    backend = info;
    watch = watchDevice((message) => void guard.lose(message).catch(() => undefined));
  }

  return {
    run: guard.run,
    started,
    listen: (l) => (listener = l),
    failure: guard.failure,
    async loseForTest() {
      const failure = guard.failure();
      if (failure) throw failure;
      if (!backend) throw new Error('engine: init() must be called before losing its device');
      if (watch?.destroyForTest()) return;
      await guard.lose(`simulated loss of the ${backend.name} device`);
    },
  };
}
