package org.jrave.cli;

import org.jrave.engine.Precision;
import org.jrave.inference.AudioCodec;
import org.jrave.inference.NativeCodec;
import org.jrave.model.RaveModel;
import picocli.CommandLine.Option;

/**
 * {@code --precision fp32|bf16}: the number format of inference on a jrave model, offline (bf16
 * convolutions below the multiband rate, {@link RaveModel#setOfflinePrecision}) or streaming (the
 * block engine's weights below the multiband rate).
 */
public final class PrecisionOption {

  @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|bf16",
      description = "number format: fp32 (default), or bf16 weights below the multiband rate "
          + "(faster, within a few percent of fp32; offline it needs AVX512-BF16 to gain)")
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

  /** The model as a codec in this precision; anything but fp32 needs a jrave model. */
  AudioCodec loadCodec(ModelOptions model, boolean streaming) {
    if (get() == Precision.FP32) {
      return model.loadCodec();
    }
    requireNative(model);
    return new NativeCodec(load(model, streaming), model.device(), get());
  }

  /**
   * The jrave model, set to this precision offline (see {@link RaveModel#setOfflinePrecision}); a
   * stream takes the precision when it is made ({@code RealtimeProcessor.of(model, precision)}).
   */
  RaveModel load(ModelOptions model, boolean streaming) {
    requireNative(model);
    RaveModel m = model.load();
    if (!streaming) {
      m.setOfflinePrecision(get());
    }
    return m;
  }

  /** Refuses a precision other than fp32 where it does not apply (TorchScript models). */
  void requireNative(ModelOptions model) {
    if (get() == Precision.FP32) {
      return;
    }
    if (model.isTorchScript()) {
      throw new UserError("--precision " + value + " needs a jrave model: a TorchScript export runs in its own format");
    }
  }
}
