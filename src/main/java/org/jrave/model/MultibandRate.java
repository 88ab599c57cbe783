package org.jrave.model;

import java.util.List;
import org.jrave.engine.Module;
import org.jrave.engine.Precision;
import org.jrave.model.blocks.Conv1d;
import org.jrave.model.blocks.ConvTranspose1d;
import org.jrave.model.blocks.Layer;
import org.jrave.model.blocks.NetLayer;
import org.jrave.model.blocks.Sequential;
import org.jrave.model.v1.GeneratorV1;
import org.jrave.model.v2.GeneratorV2;

/**
 * Sets a lower precision on the layers of a model that run below the multiband signal's own rate,
 * and keeps float32 at that rate: the encoder's layers before its first downsampling, the decoder's
 * layers from its last upsampling on, and the decoder's output branches. At the full rate, filters
 * that cancel the signal's strong low-frequency content lose that cancellation when their weights
 * are rounded to bfloat16 (measured with the golden weights: 15-30% error per layer there, 0.3%
 * below it; 55% RMS error at the output with every layer in bfloat16, 2% without those). About a
 * quarter of a v2 model's arithmetic stays in float32.
 */
final class MultibandRate {
  private MultibandRate() {}

  static void apply(RaveModel model, Precision precision) {
    model.setPrecision(Precision.FP32);
    if (precision == Precision.FP32) {
      return;
    }
    Sequential encoder = net(model.encoder().inner());
    if (encoder != null) {
      List<Layer> layers = encoder.layers();
      boolean downsampled = false;
      for (Layer layer : layers) {
        downsampled |= layer.modules().stream().anyMatch(m -> m instanceof Conv1d c && c.spec().stride() > 1);
        if (downsampled) {
          layer.setPrecision(precision);
        }
      }
    }
    Sequential decoder = switch (model.decoder()) {
      case GeneratorV2 g -> g.net();
      case GeneratorV1 g -> g.net();
      default -> null;
    };
    if (decoder != null) {
      List<Layer> layers = decoder.layers();
      int lastUpsampling = -1;
      for (int i = 0; i < layers.size(); i++) {
        if (layers.get(i).modules().stream().anyMatch(m -> m instanceof ConvTranspose1d)) {
          lastUpsampling = i;
        }
      }
      for (int i = 0; i < lastUpsampling; i++) {
        layers.get(i).setPrecision(precision);
      }
    }
  }

  private static Sequential net(Module inner) {
    return inner instanceof NetLayer<?> n && n.net() instanceof Sequential s ? s : null;
  }
}
