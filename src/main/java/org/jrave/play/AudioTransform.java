package org.jrave.play;

import java.util.function.UnaryOperator;
import org.jrave.audio.ChannelMapper;
import org.jrave.audio.ChannelMode;

/** Whole-signal audio to audio ({@code [channels][samples]}, any channel count), as generate runs it. */
@FunctionalInterface
public interface AudioTransform {
  float[][] transform(float[][] audio);

  /**
   * Runs {@code model} (which takes exactly {@code channels} channels) on audio with any channel
   * count: equal counts pass through, a mono model transforms each channel on its own, otherwise the
   * input is mixed to the model's channels and the result mixed back to the input's.
   */
  static float[][] fitChannels(float[][] audio, int channels, UnaryOperator<float[][]> model) {
    int k = audio.length;
    int frames = audio[0].length;
    if (k == channels) {
      return model.apply(audio);
    }
    if (channels == 1) {
      float[][] out = new float[k][];
      for (int c = 0; c < k; c++) {
        out[c] = model.apply(new float[][] {audio[c]})[0];
      }
      return out;
    }
    float[][] in = new float[channels][frames];
    new ChannelMapper(ChannelMode.DOWNMIX, k, channels).map(audio, frames, in);
    float[][] y = model.apply(in);
    float[][] out = new float[k][frames];
    new ChannelMapper(ChannelMode.DOWNMIX, y.length, k).map(y, frames, out);
    return out;
  }
}
