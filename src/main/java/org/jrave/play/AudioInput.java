package org.jrave.play;

/** Where live audio comes from: blocks of planar float samples at the model's rate. */
public interface AudioInput extends AutoCloseable {

  /** Fills {@code block} ({@code [channels][frames]}), waiting until that much audio has arrived. */
  void read(float[][] block) throws InterruptedException;

  /** A one-line description for the console. */
  String describe();

  @Override
  void close();
}
