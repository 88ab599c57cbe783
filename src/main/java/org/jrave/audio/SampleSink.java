package org.jrave.audio;

/** Receives decoded audio block by block; the arrays are reused by the decoder, so copy what you keep. */
@FunctionalInterface
public interface SampleSink {
  void accept(float[][] planar, int frames);
}
