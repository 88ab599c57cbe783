package org.jrave.studio;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.jrave.audio.AudioClip;
import org.jrave.audio.AudioDecodeException;
import org.jrave.audio.AudioDecoder;
import org.jrave.audio.AudioTarget;
import org.jrave.audio.DecodedAudio;
import org.jrave.inference.AudioCodec;
import org.jrave.inference.OfflineCodec;
import org.jrave.model.RaveModel;
import org.jrave.prior.PriorFile;
import org.jrave.prior.PriorLatents;
import org.jrave.prior.PriorNetwork;
import org.jrave.prior.PriorSampler;
import org.jrave.train.log.SpectrogramImage;

/**
 * The Play panel's work: takes an uploaded file (size-limited, decoded by jrave's own decoder,
 * refused with a clear message when it is not audio) and renders sounds through models.
 */
final class Player {

  private final SoundStore sounds;
  private final Workers workers;
  private final long maxUploadBytes;
  private final AudioDecoder decoder = new AudioDecoder();

  Player(SoundStore sounds, Workers workers, long maxUploadBytes) {
    this.sounds = sounds;
    this.workers = workers;
    this.maxUploadBytes = maxUploadBytes;
  }

  /**
   * Stores an uploaded file as a sound.
   *
   * @param label the file's name as the browser gave it: shown, never used as a path
   * @param declaredLength the request's Content-Length, or -1
   */
  SoundStore.Sound upload(String label, InputStream body, long declaredLength) throws Exception {
    if (declaredLength > maxUploadBytes) {
      throw tooLarge();
    }
    Path file = sounds.newUploadFile();
    try {
      copyLimited(body, file);
      DecodedAudio audio = workers.decode(() -> decoder.decode(file, AudioTarget.asIs()));
      if (audio.frames() == 0) {
        throw new StudioError(415, "'" + label + "' holds no audio samples");
      }
      AudioClip clip = new AudioClip(audio.sampleRate(), audio.samples());
      return sounds.add(label, clip, spectrogram(List.of(panel(label, clip)), clip.sampleRate()), file);
    } catch (AudioDecodeException e) {
      Files.deleteIfExists(file);
      // The decoder names the stored file; the user knows it by its own name.
      String reason = String.valueOf(e.getMessage()).replace(file + ": ", "");
      throw new StudioError(415, "'" + label + "' is not an audio file jrave can read (" + reason + ")");
    } catch (Exception e) {
      Files.deleteIfExists(file);
      throw e;
    }
  }

  /** {@code input} through {@code model} (encode, decode), at the model's rate and channel count. */
  SoundStore.Sound render(PlayableModel model, SoundStore.Sound input) throws Exception {
    if (input.source() == null) {
      throw new StudioError(400, "choose an uploaded clip as the input");
    }
    AudioCodec codec = model.codec();
    DecodedAudio audio = workers.decode(() -> decoder.decode(input.source(),
        AudioTarget.of(codec.sampleRate(), codec.inputChannels())));
    float[][] out = workers.model(() -> model.locked(() -> codec.forward(audio.samples(), OfflineCodec.Mode.RANDOM)));
    AudioClip inputAtRate = new AudioClip(codec.sampleRate(), audio.samples());
    AudioClip clip = new AudioClip(codec.sampleRate(), out);
    String label = input.label() + " through " + model.entry().label();
    byte[] png = spectrogram(List.of(panel("input: " + input.label(), inputAtRate), panel("through " + model.entry().label(), clip)),
        clip.sampleRate());
    return sounds.add(label, clip, png, null);
  }

  /** {@code seconds} of audio the prior writes (at {@code temperature}) and the model decodes. */
  SoundStore.Sound sample(PlayableModel model, PriorCatalog.Entry prior, double seconds, double temperature)
      throws Exception {
    RaveModel rave = model.nativeModel();
    if (rave == null) {
      throw new StudioError(422, "sampling from a prior needs a jrave model, not a TorchScript export");
    }
    float[][] audio = workers.model(() -> model.locked(() -> sampleWith(rave, prior, seconds, temperature)));
    AudioClip clip = new AudioClip(model.codec().sampleRate(), audio);
    String label = String.format(Locale.ROOT, "%s sampled from %s at temperature %.2f", model.entry().label(),
        prior.label(), temperature);
    return sounds.add(label, clip, spectrogram(List.of(panel(label, clip)), clip.sampleRate()), null);
  }

  private static float[][] sampleWith(RaveModel rave, PriorCatalog.Entry prior, double seconds, double temperature)
      throws IOException {
    PriorFile.Loaded loaded = PriorFile.load(prior.file());
    try (PriorNetwork network = loaded.network()) {
      String mismatch = loaded.mismatch(rave);
      if (mismatch != null) {
        throw new StudioError(422, mismatch);
      }
      network.to(rave.device());
      PriorLatents latents = new PriorLatents(rave, network.config().latentSize());
      int sr = rave.config().sampleRate();
      int frames = (int) Math.ceil(seconds * sr / rave.ratio());
      float[][] z = new PriorSampler(network).sample(frames, temperature, new Random());
      float[][] out = latents.decode(z);
      int length = (int) Math.round(seconds * sr);
      for (int c = 0; c < out.length; c++) {
        out[c] = Arrays.copyOf(out[c], length);
      }
      return out;
    }
  }

  private void copyLimited(InputStream body, Path file) throws IOException {
    byte[] buffer = new byte[1 << 16];
    long total = 0;
    try (OutputStream out = Files.newOutputStream(file)) {
      int n;
      while ((n = body.read(buffer)) > 0) {
        total += n;
        if (total > maxUploadBytes) {
          throw tooLarge();
        }
        out.write(buffer, 0, n);
      }
    }
    if (total == 0) {
      throw new StudioError(400, "the upload is empty: drop an audio file");
    }
  }

  private StudioError tooLarge() {
    return new StudioError(413, String.format("the file is larger than this studio accepts (%.0f MB; start it with "
        + "--max-upload-mb to change)", maxUploadBytes / 1048576.0));
  }

  private static SpectrogramImage.Panel panel(String label, AudioClip clip) {
    return new SpectrogramImage.Panel(label, clip.channel(0));
  }

  private static byte[] spectrogram(List<SpectrogramImage.Panel> panels, int sampleRate) {
    return SpectrogramImage.of(panels, sampleRate).png();
  }
}
