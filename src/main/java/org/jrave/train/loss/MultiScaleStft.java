package org.jrave.train.loss;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;

/**
 * Magnitude spectrograms at several resolutions (spec 4.9): for each scale {@code n}, an STFT with
 * an n-sample periodic Hann window, hop n/4, centred with reflect padding, onesided, not
 * normalised. Input {@code [B, C, T]} is treated as B*C mono signals.
 */
public final class MultiScaleStft implements AutoCloseable {

  /** The reference's scales. */
  public static final List<Integer> SCALES = List.of(2048, 1024, 512, 256, 128);

  private final List<Integer> scales;
  private final Map<String, Tensor> windows = new LinkedHashMap<>();

  public MultiScaleStft(List<Integer> scales) {
    this.scales = List.copyOf(scales);
  }

  public List<Integer> scales() {
    return scales;
  }

  /**
   * The scales whose reflect padding ({@code n/2}) fits in {@code x}'s length, in order. The others
   * are left out: the reference fails on such short signals (e.g. a 512-sample multiband crop at
   * scale 2048); jrave trains on the scales that fit, which is what short training crops of small
   * test models need.
   */
  public List<Integer> scalesFor(Tensor x) {
    long length = x.size(x.dim() - 1);
    return scales.stream().filter(n -> n / 2 < length).toList();
  }

  /** The {@code [B*C, n/2+1, frames]} magnitude of scale {@code n}. */
  public Tensor magnitude(Tensor x, int n) {
    Tensor flat = x.reshape(-1, x.size(x.dim() - 1));
    Tensor spectrum = flat.stft(n, n / 4, window(n, flat), true, false);
    Tensor magnitude = spectrum.complexAbs();
    spectrum.close();
    if (flat != x) {
      flat.close();
    }
    return magnitude;
  }

  /** The window of scale {@code n} for signal {@code x}: on its device, float64 for a float64 signal. */
  private Tensor window(int n, Tensor x) {
    return windows.computeIfAbsent(n + "@" + x.device() + (x.isDouble() ? "/f64" : ""), k -> {
      try (NoGrad ignored = NoGrad.enter()) {
        return Tensor.hannWindow(n, x).retain();
      }
    });
  }

  @Override
  public void close() {
    windows.values().forEach(Tensor::close);
    windows.clear();
  }
}
