package org.jrave.cli;

import org.jrave.engine.Precision;
import org.jrave.inference.AudioCodec;
import org.jrave.inference.NativeCodec;
import org.jrave.model.RaveModel;
import picocli.CommandLine.Option;

/** {@code --precision fp32|bf16}: the number format of offline inference on a jrave model. */
public final class PrecisionOption {

  @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|bf16",
      description = "offline number format: fp32 (default), or bf16 convolutions below the multiband rate "
          + "(about 1.5x faster on CPUs with AVX512-BF16, within a few percent of fp32)")
  String value;

  Precision get() {
    return parse(value);
  }

  static Precision parse(String value) {
    try {
      return Precision.parse(value);
    } catch (IllegalArgumentException e) {
      throw new UserError("--precision: " + e.getMessage());
    }
  }

  /** The model as a codec in this precision; anything but fp32 needs a jrave model, offline. */
  AudioCodec loadCodec(ModelOptions model, boolean streaming) {
    if (get() == Precision.FP32) {
      return model.loadCodec();
    }
    requireNative(model, streaming);
    return new NativeCodec(load(model, streaming), model.device());
  }

  /** The jrave model in this precision (see {@link RaveModel#setOfflinePrecision}). */
  RaveModel load(ModelOptions model, boolean streaming) {
    requireNative(model, streaming);
    RaveModel m = model.load();
    m.setOfflinePrecision(get());
    return m;
  }

  /** Refuses a precision other than fp32 where it does not apply. */
  void requireNative(ModelOptions model, boolean streaming) {
    if (get() == Precision.FP32) {
      return;
    }
    if (streaming) {
      throw new UserError("--precision " + value + " applies offline only: leave out --stream");
    }
    if (model.isTorchScript()) {
      throw new UserError("--precision " + value + " needs a jrave model: a TorchScript export runs in its own format");
    }
  }
}
