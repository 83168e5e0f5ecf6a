// Strata's tensor names → a Hugging Face checkpoint's, per architecture.
import { backbonePrefix } from '../model/params';
import type { HfModelSpec } from './hfConfig';

type Renames = readonly (readonly [RegExp, string])[];

/** DistilBERT's own names for BERT's layers (after the backbone prefix). */
const DISTILBERT: Renames = [
  [/^encoder\.layer\./, 'transformer.layer.'],
  [/\.attention\.self\.query\./, '.attention.q_lin.'],
  [/\.attention\.self\.key\./, '.attention.k_lin.'],
  [/\.attention\.self\.value\./, '.attention.v_lin.'],
  [/\.attention\.output\.dense\./, '.attention.out_lin.'],
  [/\.attention\.output\.LayerNorm\./, '.sa_layer_norm.'],
  [/\.intermediate\.dense\./, '.ffn.lin1.'],
  [/\.output\.dense\./, '.ffn.lin2.'],
  [/\.output\.LayerNorm\./, '.output_layer_norm.'],
];

/**
 * The checkpoint's name of a Strata tensor. The backbone prefix differs (`deit.`, `bert.`,
 * `roberta.`, `distilbert.`); DistilBERT renames the block's layers; the shared head's pooler is
 * RoBERTa's `classifier.dense` and DistilBERT's `pre_classifier`, its classifier RoBERTa's
 * `classifier.out_proj`.
 */
export function hubTensorName(strataName: string, spec: HfModelSpec): string {
  const ours = `${backbonePrefix(spec.config)}.`;
  const roberta = spec.prefix === 'roberta';
  const distil = spec.prefix === 'distilbert';
  if (strataName.startsWith(`${ours}pooler.dense.`)) {
    const rest = strataName.slice(`${ours}pooler.dense.`.length);
    if (roberta) return `classifier.dense.${rest}`;
    if (distil) return `pre_classifier.${rest}`;
  }
  if (roberta && strataName.startsWith('classifier.'))
    return `classifier.out_proj.${strataName.slice('classifier.'.length)}`;
  if (!strataName.startsWith(ours)) return strataName;
  let rest = strataName.slice(ours.length);
  if (distil) for (const [from, to] of DISTILBERT) rest = rest.replace(from, to);
  return `${spec.prefix}.${rest}`;
}
