package org.jrave.play;

/** Whole-signal audio to audio ({@code [channels][samples]}, any channel count), as generate runs it. */
@FunctionalInterface
public interface AudioTransform {
  float[][] transform(float[][] audio);
}
