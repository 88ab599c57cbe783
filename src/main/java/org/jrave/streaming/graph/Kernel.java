package org.jrave.streaming.graph;

/** One prepared step of a {@link BlockGraph}: reads its input signals' blocks, writes its output's. */
interface Kernel {
  void run(Workers workers);

  String name();

  /** Describes this step to {@code visitor}. */
  void accept(KernelVisitor visitor);

  /** Forgets any state of the kernel's own (signals are reset by the graph). */
  default void reset() {}

  /** Frees what the kernel holds outside the Java heap. */
  default void close() {}
}
