package org.jrave.train.discriminator;

import java.util.ArrayList;
import java.util.List;
import org.jrave.engine.Module;
import org.jrave.engine.Tensor;

/**
 * The reference's {@code ConvNet} (spec 4.1), the building block of the multi-scale, multi-period
 * and 1-D spectral discriminators: {@code layers} weight-normed convolutions (channels
 * {@code capacity * 2^i}, given kernel along time, stride, centred padding) each followed by
 * LeakyReLU(0.2), then a plain 1x1 convolution to {@code out} channels. Every convolution's output
 * is a feature map, taken before the activation; the last is the logit map.
 *
 * <p>1-D nets ({@code flat}) work on {@code [B, C, T]}; 2-D nets on {@code [B, C, T, P]} with kernels
 * {@code (k, 1)} (the period folded into the last axis).
 */
final class ConvNet extends Module {

  /** Shape of a ConvNet: channels in and out, width, depth, kernel and stride along time. */
  record Spec(int in, int out, int capacity, int layers, int kernel, int stride) {}

  private final List<Conv2dLayer> convs = new ArrayList<>();

  ConvNet(Spec spec, boolean flat) {
    int channels = spec.in();
    // get_padding(k, mode='centered')[0]: the left value, used on both sides.
    int pad = (spec.kernel() - 1) / 2;
    for (int i = 0; i < spec.layers(); i++) {
      int next = spec.capacity() << i;
      convs.add(addChild("net." + (2 * i), new Conv2dLayer(
          Conv2dLayer.Spec.of(channels, next, spec.kernel(), 1).stride(spec.stride(), 1).padding(pad, 0), flat)));
      channels = next;
    }
    convs.add(addChild("net." + (2 * spec.layers()),
        new Conv2dLayer(Conv2dLayer.Spec.of(channels, spec.out(), 1, 1).plain(), flat)));
  }

  /**
   * The features of a 2-D net on {@code [B, C, H, P]} (the multi-period discriminator's folded
   * signal), computed with the P phases folded into the batch ({@code [B * P, C, H]}, 1-D
   * convolutions) and returned as {@code [B, C', H', P]} views: same values as {@link #features}.
   */
  List<Tensor> periodFeatures(Tensor x) {
    if (!convs.stream().allMatch(Conv2dLayer::separableAcross)) {
      return features(x);
    }
    long b = x.size(0);
    long p = x.size(3);
    Tensor h = x.permute(0, 3, 1, 2).reshape(b * p, x.size(1), x.size(2));
    List<Tensor> maps = new ArrayList<>(convs.size());
    for (int i = 0; i < convs.size(); i++) {
      Tensor y = convs.get(i).forwardFolded(h);
      maps.add(y.reshape(b, p, y.size(1), y.size(2)).permute(0, 2, 3, 1));
      if (i + 1 < convs.size()) {
        h = y.leakyRelu(0.2);
      }
    }
    return maps;
  }

  List<Tensor> features(Tensor x) {
    List<Tensor> maps = new ArrayList<>(convs.size());
    Tensor h = x;
    for (int i = 0; i < convs.size(); i++) {
      Tensor y = convs.get(i).forward(h);
      maps.add(y);
      h = y.leakyRelu(0.2);
    }
    return maps;
  }
}
