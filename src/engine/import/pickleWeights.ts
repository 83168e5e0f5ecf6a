// PyTorch's own weight files (pickles) are not read: unpickling can run arbitrary code, and the
// format is Python's. The message says how to convert one to safetensors once.

/** Weight files saved by torch.save: `pytorch_model.bin`, `*.pt`, `*.pth`. */
export const PICKLE_WEIGHTS = /\.(bin|pt|pth)$/i;

/**
 * Why `path` is not read and the two ways to convert it: transformers' save_pretrained for a
 * checkpoint folder, safetensors' save_file for a bare state dict.
 */
export function pickleWeightsMessage(path: string): string {
  const folder = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '.';
  return (
    `${path}: a PyTorch pickle, which Strata does not read (loading one can run arbitrary code); ` +
    `convert it to model.safetensors once with Python, either for a transformers checkpoint folder: ` +
    `\`from transformers import AutoModel; AutoModel.from_pretrained("${folder}").save_pretrained("${folder}", safe_serialization=True)\` ` +
    `(use the model's own class, e.g. AutoModelForImageClassification, to keep its head), ` +
    `or for a bare state dict: \`import torch; from safetensors.torch import save_file; ` +
    `save_file({k: v.contiguous() for k, v in torch.load("${path}", map_location="cpu").items()}, "${folder}/model.safetensors")\``
  );
}
