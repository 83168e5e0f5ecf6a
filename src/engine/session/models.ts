import { tf } from '../tf';
import { loadCheckpoint } from '../checkpoint';
import { buildParams, disposeParams } from '../model/params';
import type { CheckpointBytes, ModelInfo } from '../apiTypes';
import type { LoadedModel } from '../pipeline/evaluate';

/** A fresh copy of a model's parameters (fine-tuning never changes the model it started from). */
export function cloneModel(model: LoadedModel): LoadedModel {
  const params = buildParams(
    model.config,
    (_spec, existing) => {
      const copy = tf.clone(existing!);
      const variable = tf.variable(copy); // shares the copy's data, which outlives the copy
      copy.dispose();
      return variable;
    },
    model.params,
  );
  return { config: model.config, params };
}

/** Models the engine knows: built-in ones load on first use; fine-tuned ones live in memory. */
export class ModelRegistry {
  private readonly infos = new Map<string, ModelInfo>();
  private readonly loaded = new Map<string, Promise<LoadedModel>>();
  private readonly builtins = new Set<string>();
  /** How to load a model again that is not a built-in (its bytes), e.g. after a device loss. */
  private readonly sources = new Map<string, () => LoadedModel | Promise<LoadedModel>>();

  constructor(private readonly readAsset: (path: string) => Promise<Uint8Array>) {}

  setBuiltins(infos: ModelInfo[]): void {
    for (const info of infos) {
      this.infos.set(info.id, info);
      this.builtins.add(info.id);
    }
  }

  list(): ModelInfo[] {
    return [...this.infos.values()];
  }

  info(id: string): ModelInfo {
    const info = this.infos.get(id);
    if (!info)
      throw new Error(
        `unknown model "${id}" (known: ${[...this.infos.keys()].join(', ') || 'none'})`,
      );
    return info;
  }

  get(id: string): Promise<LoadedModel> {
    const info = this.info(id);
    let model = this.loaded.get(id);
    const source = this.sources.get(id);
    if (!model && source) {
      model = (async () => source())();
      // A failed reload (e.g. after a backend switch) is not cached either: the next call retries.
      model.catch(() => this.loaded.delete(id));
      this.loaded.set(id, model);
    }
    if (!model) {
      model = (async () => {
        const [weights, config] = await Promise.all([
          this.readAsset(`models/${info.id}/model.safetensors`),
          this.readAsset(`models/${info.id}/config.json`),
        ]);
        return loadCheckpoint({ weights, config, source: `models/${info.id}` });
      })();
      // A failed load is not cached: the next call tries again.
      model.catch(() => this.loaded.delete(id));
      this.loaded.set(id, model);
    }
    return model;
  }

  has(id: string): boolean {
    return this.infos.has(id);
  }

  /**
   * Registers a stored checkpoint (a fine-tune saved before a reload, or from a session file)
   * under its id. The files are validated first; the info's shape fields come from config.json.
   */
  register(info: ModelInfo, files: CheckpointBytes): ModelInfo {
    const where = `checkpoint "${info.id}"`;
    if (typeof info.id !== 'string' || !/^[\w.-]{1,100}$/.test(info.id))
      throw new Error(`${where}: the id must be 1 to 100 letters, digits, ".", "_" or "-"`);
    if (this.infos.has(info.id))
      throw new Error(`${where}: a model with this id is already loaded`);
    const load = () => loadCheckpoint({ ...files, source: info.id });
    const model = load();
    const { config } = model;
    const registered: ModelInfo = {
      ...info,
      numLayers: config.numLayers,
      hiddenSize: config.hiddenSize,
      numClasses: config.numClasses,
      kind: config.architecture === 'vit' ? 'image' : 'text',
      perLayerHeads: config.heads === 'per-layer',
      builtin: false,
    };
    this.add(registered, model, load);
    return registered;
  }

  /**
   * Registers an in-memory model under a new id. With `reload` (it reads kept bytes or the
   * dropped files) the model survives a backend switch; without (a fine-tune's live weights) it
   * is dropped then.
   */
  add(
    info: ModelInfo,
    model: LoadedModel,
    reload?: () => LoadedModel | Promise<LoadedModel>,
  ): void {
    this.infos.set(info.id, info);
    this.loaded.set(info.id, Promise.resolve(model));
    if (reload) this.sources.set(info.id, reload);
  }

  /**
   * Closes a model: frees its weights (tensors and, on WebGPU, their GPU buffers). A built-in is
   * only unloaded (it loads again on next use); any other model is forgotten. Unknown ids throw.
   */
  async close(id: string): Promise<void> {
    this.info(id);
    const loaded = this.loaded.get(id);
    this.loaded.delete(id);
    if (!this.builtins.has(id)) {
      this.infos.delete(id);
      this.sources.delete(id);
    }
    const settled = await Promise.allSettled(loaded ? [loaded] : []);
    for (const s of settled) if (s.status === 'fulfilled') disposeParams(s.value.params);
  }

  /**
   * Before a backend switch: frees every loaded model's tensors (they belong to the old backend)
   * so none is read into the new one. Built-ins and models with kept bytes load again on next
   * use; the others are forgotten. Resolves with the ids forgotten.
   */
  async releaseAll(): Promise<string[]> {
    const loaded = [...this.loaded.values()];
    this.loaded.clear();
    for (const settled of await Promise.allSettled(loaded))
      if (settled.status === 'fulfilled') disposeParams(settled.value.params);
    const dropped = [...this.infos.keys()].filter(
      (id) => !this.builtins.has(id) && !this.sources.has(id),
    );
    for (const id of dropped) this.infos.delete(id);
    return dropped;
  }
}
