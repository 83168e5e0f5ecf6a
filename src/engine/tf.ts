// The one place the engine gets TensorFlow.js from. tfjs-core alone registers no gradients;
// training needs them, so they are registered here once for every entry point.
import '@tensorflow/tfjs-core/dist/register_all_gradients';

export * as tf from '@tensorflow/tfjs-core';
export type {
  Tensor,
  Tensor1D,
  Tensor2D,
  Tensor3D,
  Tensor4D,
  Variable,
  Rank,
} from '@tensorflow/tfjs-core';
