// A hiddenStates result as a stream of pieces: a leaf module, so that the decoder and the engine's
// API types both use it without importing each other.

/** A run of consecutive elements of one array of a hiddenStates result (float32, row-major). */
export interface HiddenStatesPiece {
  /** `hidden_<l>` or `logits`. */
  name: string;
  /** The whole array's shape. */
  shape: number[];
  /** Index in the whole array of the piece's first element. */
  offset: number;
  data: Float32Array;
}

/**
 * Receives a hiddenStates result piece by piece, so that a caller writes it as it comes and no one
 * holds the whole [N, T, V] logits: each array's pieces come in order, each starting where the last
 * ended, and an array's first piece comes after the first piece of every array before it.
 */
export type HiddenStatesSink = (piece: HiddenStatesPiece) => void | Promise<void>;
