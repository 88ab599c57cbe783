package org.jrave.train.discriminator;

import java.util.ArrayList;
import java.util.List;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;

/**
 * Multi-scale spectral discriminator, 1-D variant (spec 4.5, {@code MultiScaleSpectralDiscriminator1d}):
 * per FFT size n, the complex STFT (Hann window n, hop n/4, not centred, normalised by
 * {@code sqrt(sum window^2)} as torchaudio) of a mono signal becomes {@code [real ; imag]} channels
 * {@code [B, n+2, frames]} for a 1-D ConvNet (kernel 5, stride 2, 4 layers).
 */
public final class SpectralDiscriminator1d extends Discriminator {

  public static final List<Integer> SCALES = List.of(4096, 2048, 1024, 512, 256);

  private final List<Integer> scales;
  private final List<ConvNet> nets = new ArrayList<>();
  private final List<Tensor> windows = new ArrayList<>();

  public SpectralDiscriminator1d(List<Integer> scales, int channels, int capacity) {
    this.scales = List.copyOf(scales);
    for (int i = 0; i < scales.size(); i++) {
      int n = scales.get(i);
      nets.add(addChild("layers." + i, new ConvNet(new ConvNet.Spec(n + 2, channels, capacity, 4, 5, 2), true)));
      try (NoGrad ignored = NoGrad.enter()) {
        windows.add(Tensor.hannWindow(n).retain());
      }
    }
  }

  @Override
  public int scaleCount() {
    return scales.size();
  }

  @Override
  public List<Tensor> scale(int index, Tensor audio) {
    Tensor mono = audio.reshape(audio.size(0), audio.size(2));
    int n = scales.get(index);
    Tensor window = windows.get(index).to(audio.device());
    double norm = Math.sqrt(window.square().sum().item());
    Tensor spec = mono.stft(n, n / 4, window, false, false).viewAsReal().div(norm);
    // [B, F, T', 2] -> [B, 2F, T'] with all real parts first, then all imaginary parts.
    Tensor channels = Tensor.cat(List.of(spec.select(3, 0), spec.select(3, 1)), 1);
    return nets.get(index).features(channels);
  }

  @Override
  public void close() {
    windows.forEach(Tensor::close);
    super.close();
  }
}
