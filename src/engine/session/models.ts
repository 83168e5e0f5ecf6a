import { tf } from '../tf';
import { checkpointStep, loadCheckpoint } from '../checkpoint';
import { buildParams, disposeParams } from '../model/params';
import type { CheckpointBlobs, CheckpointBytes, ModelInfo } from '../apiTypes';
import { isCheckpointBlobs, loadCheckpointFiles } from '../import/checkpointFiles';
import { hasPerLayerHeads, type LoadedModel } from '../pipeline/evaluate';

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
  /** Models whose weights are changing (a fine-tune being trained): their step, read live. */
  private readonly live = new Map<string, () => number>();

  constructor(private readonly readAsset: (path: string) => Promise<Uint8Array>) {}

  setBuiltins(infos: ModelInfo[]): void {
    for (const info of infos) {
      this.infos.set(info.id, info);
      this.builtins.add(info.id);
    }
  }

  list(): ModelInfo[] {
    return [...this.infos.keys()].map((id) => this.info(id));
  }

  info(id: string): ModelInfo {
    const info = this.infos.get(id);
    if (!info)
      throw new Error(
        `unknown model "${id}" (known: ${[...this.infos.keys()].join(', ') || 'none'})`,
      );
    const step = this.live.get(id);
    return step ? { ...info, revision: step() } : info;
  }

  /**
   * The model's weights and revision taken at one instant. A model being trained changes between
   * the awaits of a long computation, so it is copied (the caller calls `release` when done);
   * any other model is lent as is.
   */
  async pin(id: string): Promise<{ model: LoadedModel; info: ModelInfo; release: () => void }> {
    const model = await this.get(id);
    if (!this.live.has(id)) return { model, info: this.info(id), release: () => undefined };
    // Synchronous from here: no training step can run between the copy and the revision read.
    const copy = cloneModel(model);
    return { model: copy, info: this.info(id), release: () => disposeParams(copy.params) };
  }

  /** Marks a model as being trained: its revision is `step()`, read whenever asked. */
  track(id: string, step: () => number): void {
    this.live.set(id, step);
  }

  /** The training of a model ended: its revision stays where it stands. */
  settle(id: string): void {
    const info = this.infos.get(id);
    if (info) this.infos.set(id, this.info(id));
    this.live.delete(id);
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
   * Registers a stored checkpoint (a fine-tune saved before a reload, or from a session file; in
   * Node, a checkpoint folder: Strata's own or a Hugging Face classifier) under its id. The files
   * are validated first, errors naming them by `source`; the info's shape fields come from
   * config.json.
   */
  async register(
    info: ModelInfo,
    files: CheckpointBytes | CheckpointBlobs,
    source: string = info.id,
  ): Promise<ModelInfo> {
    const where = `checkpoint "${info.id}"`;
    if (typeof info.id !== 'string' || !/^[\w.-]{1,100}$/.test(info.id))
      throw new Error(`${where}: the id must be 1 to 100 letters, digits, ".", "_" or "-"`);
    if (this.infos.has(info.id))
      throw new Error(`${where}: a model with this id is already loaded`);
    // Blobs (a folder given to the command line) stream tensor by tensor, now and on a reload.
    const load = async (): Promise<LoadedModel> => {
      const { config, params } = await loadCheckpointFiles(files, source);
      return { config, params };
    };
    const model = await load();
    const { config } = model;
    // A fine-tune's weights say their own step; a record without one stands for fixed weights.
    const step = isCheckpointBlobs(files) ? undefined : checkpointStep(files.weights);
    const registered: ModelInfo = {
      ...info,
      revision:
        step ?? (Number.isSafeInteger(info.revision) && info.revision >= 0 ? info.revision : 0),
      numLayers: config.numLayers,
      hiddenSize: config.hiddenSize,
      numClasses: config.numClasses,
      kind: config.architecture === 'vit' ? 'image' : 'text',
      perLayerHeads: hasPerLayerHeads(config),
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

  /** Forgets a model that is not a built-in and frees its tensors (an aborted fine-tune's). */
  async remove(id: string): Promise<void> {
    if (this.builtins.has(id)) throw new Error(`model "${id}" is built in and cannot be removed`);
    const model = this.loaded.get(id);
    this.infos.delete(id);
    this.loaded.delete(id);
    this.sources.delete(id);
    if (model) disposeParams((await model).params);
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
    for (const id of dropped) {
      this.infos.delete(id);
      this.live.delete(id);
    }
    return dropped;
  }
}
