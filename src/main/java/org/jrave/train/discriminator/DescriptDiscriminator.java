package org.jrave.train.discriminator;

import java.util.ArrayList;
import java.util.List;
import org.jrave.engine.Module;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;

/**
 * The DAC ("descript") discriminator (spec 4.6): five period discriminators and three multi-band
 * STFT discriminators, 8 scales. Inputs are centred and peak-normalised to 0.8 per item and
 * channel; all convolutions are weight-normed; LeakyReLU(0.1); feature maps are taken after the
 * activation.
 */
public final class DescriptDiscriminator extends Discriminator {

  public static final List<Integer> FFT_SIZES = List.of(2048, 1024, 512);
  static final double[] BAND_EDGES = {0.0, 0.1, 0.25, 0.5, 0.75, 1.0};

  /** One of the eight sub-discriminators: a list of feature maps, the logits last. */
  private abstract static class ScaleNet extends Module {
    abstract List<Tensor> features(Tensor x);
  }

  private final List<ScaleNet> members = new ArrayList<>();

  public DescriptDiscriminator(int channels) {
    int i = 0;
    for (int p : MultiPeriodDiscriminator.PERIODS) {
      members.add(addChild("discriminators." + i++, new PeriodNet(p, channels)));
    }
    for (int w : FFT_SIZES) {
      members.add(addChild("discriminators." + i++, new ResolutionNet(w, channels)));
    }
  }

  @Override
  public int scaleCount() {
    return members.size();
  }

  @Override
  public List<Tensor> scale(int index, Tensor audio) {
    return members.get(index).features(normalize(audio));
  }

  /** Centred and peak-normalised to 0.8 per item and channel. */
  private static Tensor normalize(Tensor audio) {
    Tensor x = audio.sub(audio.mean(2, true));
    return x.mul(0.8).div(x.abs().max(2, true).add(1e-9));
  }

  /** Runs a stack of convolutions with LeakyReLU(0.1), collecting each activated output. */
  private static Tensor stack(List<Conv2dLayer> convs, Tensor x, List<Tensor> maps) {
    Tensor h = x;
    for (Conv2dLayer c : convs) {
      h = c.forward(h).leakyRelu(0.1);
      maps.add(h);
    }
    return h;
  }

  /** MPD(p): reflect-pad by {@code p - T mod p} (a full period when T is a multiple), fold, 2-D convs. */
  static final class PeriodNet extends ScaleNet {
    private final int period;
    private final List<Conv2dLayer> convs = new ArrayList<>();
    private final Conv2dLayer post;

    PeriodNet(int period, int channels) {
      this.period = period;
      int[] widths = {channels, 32, 128, 512, 1024, 1024};
      for (int i = 0; i < 5; i++) {
        int stride = i < 4 ? 3 : 1;
        convs.add(addChild("convs." + i, new Conv2dLayer(
            Conv2dLayer.Spec.of(widths[i], widths[i + 1], 5, 1).stride(stride, 1).padding(2, 0), false)));
      }
      post = addChild("conv_post", new Conv2dLayer(Conv2dLayer.Spec.of(1024, 1, 3, 1).padding(1, 0), false));
    }

    @Override
    List<Tensor> features(Tensor x) {
      long t = x.size(2);
      Tensor padded = x.padReflectLast(0, period - t % period);
      Tensor folded = padded.reshape(x.size(0), x.size(1), padded.size(2) / period, period);
      List<Tensor> maps = new ArrayList<>();
      maps.add(post.forward(stack(convs, folded, maps)));
      return maps;
    }
  }

  /** MRD(w): complex STFT split into five frequency bands, one conv stack per band, shared post conv. */
  static final class ResolutionNet extends ScaleNet {
    private final int window;
    private final Tensor hann;
    private final List<List<Conv2dLayer>> bands = new ArrayList<>();
    private final Conv2dLayer post;

    ResolutionNet(int window, int channels) {
      this.window = window;
      try (NoGrad ignored = NoGrad.enter()) {
        this.hann = Tensor.hannWindow(window).retain();
      }
      for (int b = 0; b < BAND_EDGES.length - 1; b++) {
        List<Conv2dLayer> convs = new ArrayList<>();
        String prefix = "band_convs." + b + ".";
        convs.add(addChild(prefix + 0, new Conv2dLayer(Conv2dLayer.Spec.of(2 * channels, 32, 3, 9).padding(1, 4), false)));
        for (int i = 1; i < 4; i++) {
          convs.add(addChild(prefix + i, new Conv2dLayer(Conv2dLayer.Spec.of(32, 32, 3, 9).stride(1, 2).padding(1, 4), false)));
        }
        convs.add(addChild(prefix + 4, new Conv2dLayer(Conv2dLayer.Spec.of(32, 32, 3, 3).padding(1, 1), false)));
        bands.add(convs);
      }
      post = addChild("conv_post", new Conv2dLayer(Conv2dLayer.Spec.of(32, 1, 3, 3).padding(1, 1), false));
    }

    @Override
    List<Tensor> features(Tensor x) {
      long b = x.size(0);
      long c = x.size(1);
      Tensor spec = x.reshape(b * c, x.size(2)).stft(window, window / 4, hann.to(x.device()), true, false)
          .viewAsReal();                                     // [B*C, F, T', 2]
      long f = spec.size(1);
      long frames = spec.size(2);
      Tensor planes = spec.reshape(b, c, f, frames, 2).permute(0, 1, 4, 3, 2)
          .reshape(b, 2 * c, frames, f);                     // channels c0.re, c0.im, c1.re, ...
      List<Tensor> maps = new ArrayList<>();
      List<Tensor> outs = new ArrayList<>();
      for (int i = 0; i < bands.size(); i++) {
        long lo = (long) (BAND_EDGES[i] * f);
        long hi = (long) (BAND_EDGES[i + 1] * f);
        outs.add(stack(bands.get(i), planes.narrow(3, lo, hi - lo), maps));
      }
      maps.add(post.forward(Tensor.cat(outs, 3)));
      return maps;
    }

    @Override
    public void close() {
      hann.close();
      super.close();
    }
  }
}
