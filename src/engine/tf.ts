// The one place the engine gets TensorFlow.js from. tfjs-core alone registers no gradients;
// training needs them, so they are registered here once for every entry point (after the core,
// whose side effects set up the tensor methods the gradients use).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';

export { tf };
export type {
  Tensor,
  Tensor1D,
  Tensor2D,
  Tensor3D,
  Tensor4D,
  Variable,
  Rank,
  Scalar,
  GradSaveFunc,
} from '@tensorflow/tfjs-core';
