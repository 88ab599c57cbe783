package org.jrave.cli;

import org.jrave.io.WriteFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jrave.audio.AudioClip;
import org.jrave.audio.WavFile;
import org.jrave.inference.AudioCodec;

/** Reading and writing the audio files of the encode/decode/forward commands, with checks. */
final class AudioIO {
  private AudioIO() {}

  static AudioClip readFor(Path input, AudioCodec model) {
    if (!Files.isRegularFile(input)) {
      throw new UserError("input " + input + " does not exist or is not a file");
    }
    AudioClip clip;
    try {
      clip = WavFile.read(input);
    } catch (IOException e) {
      throw new UserError("cannot read " + input + ": " + e.getMessage());
    }
    int sr = model.sampleRate();
    if (clip.sampleRate() != sr) {
      throw new UserError(input + " is at " + clip.sampleRate() + " Hz but the model runs at " + sr
          + " Hz: resample it first (for example with 'jrave generate', which resamples)");
    }
    int channels = model.inputChannels();
    if (clip.channelCount() != channels) {
      throw new UserError(input + " has " + clip.channelCount() + " channel(s) but the model expects " + channels
          + ": convert it to " + (channels == 1 ? "mono" : channels + " channels") + " first");
    }
    if (clip.frameCount() == 0) {
      throw new UserError(input + " contains no audio samples");
    }
    return clip;
  }

  static void write(Path output, AudioClip clip) {
    try {
      Path parent = output.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      WavFile.write(output, clip);
    } catch (IOException e) {
      throw new UserError(WriteFailure.of(output, e).getMessage());
    }
  }
}
