package org.jrave.streaming.graph;

/** The precision the block engine keeps weights in; products and sums are float32 either way. */
public enum Precision {
  /** Exact against the reference (the default). */
  FLOAT32,
  /** bfloat16 weights: half the memory streamed per block, about 3 significant digits per weight. */
  BFLOAT16
}
