package org.jrave.interop;

import java.util.ArrayList;
import java.util.List;
import org.jrave.model.blocks.Padding;
import org.jrave.model.pqmf.Pqmf;

/**
 * TorchScript for the PQMF filter bank of an export ({@code _analysis<suffix>}: audio to stacked
 * bands per channel, {@code _synthesis<suffix>}: back), reading the filters from the {@code pqmf.*}
 * buffers and negating odd bands at even frames as jrave's {@link Pqmf} does. In streaming, the
 * lags of {@code Pqmf.analysisLag}/{@code synthesisLag}: caches for the stride delay and
 * filter history, and frame counters that keep the sign pattern of the whole signal.
 */
final class PqmfScript {

  private final Pqmf pqmf;
  private final int channels;
  private final List<LayerScriptWriter.Cache> caches = new ArrayList<>();

  PqmfScript(Pqmf pqmf, int channels) {
    this.pqmf = pqmf == null || pqmf.bands() == 1 ? null : pqmf;
    this.channels = channels;
  }

  List<LayerScriptWriter.Cache> caches() {
    return List.copyOf(caches);
  }

  /** {@code _band_signs(frames, first, like)}: +1, or -1 for odd bands at even global frames. */
  String common() {
    if (pqmf == null) {
      return "";
    }
    int m = pqmf.bands();
    return """
        def _band_signs(self, frames: int, first: int, like: Tensor) -> Tensor:
            k = torch.arange(%1$d, device=like.device).reshape(%1$d, 1)
            t = torch.arange(frames, device=like.device).reshape(1, frames) + first
            flip = torch.logical_and(torch.remainder(k, 2) == 1, torch.remainder(t, 2) == 0)
            return 1.0 - 2.0 * flip.to(like.dtype)

        """.formatted(m);
  }

  /** Frames by which the streamed bands lag the offline ones (0 offline or without a PQMF). */
  int analysisLag() {
    if (pqmf == null) {
      return 0;
    }
    int right = pqmf.analysisPadding().right();
    return (right + Math.floorMod(-right, pqmf.bands())) / pqmf.bands();
  }

  /** {@code _analysis<suffix>(x)}; {@code stream} null for offline code. */
  String analysis(String suffix, String stream) {
    if (pqmf == null) {
      return "def _analysis%s(self, x):\n    return x\n\n".formatted(suffix);
    }
    int m = pqmf.bands();
    Padding a = pqmf.analysisPadding();
    StringBuilder src = new StringBuilder();
    src.append("def _analysis").append(suffix).append("(self, x):\n");
    src.append("    batch, channels, length = x.shape[0], x.shape[1], x.shape[2]\n");
    src.append("    x = x.reshape(batch * channels, 1, length)\n");
    if (stream == null) {
      src.append("    x = torch.constant_pad_nd(x, [%d, %d], 0.0)\n".formatted(a.left(), a.right()));
      src.append("    first = 0\n");
    } else {
      int strideDelay = Math.floorMod(-a.right(), m);
      if (strideDelay > 0) {
        src.append("    x = self._delay(%s, x)\n".formatted(cache(stream + "_analysis_stride_delay", 1, strideDelay)));
      }
      src.append("    x = self._prepend(%s, x)\n".formatted(cache(stream + "_analysis_history", 1, a.total())));
      String counter = counter(stream + "_analysis_frames");
      src.append("    first = int(%s.item()) - %d\n".formatted(counter, analysisLag()));
      src.append("    %s.add_(length // %d)\n".formatted(counter, m));
    }
    src.append("    x = torch.conv1d(x, self.pqmf.forward_conv.weight, None, [%d], [0], [1], 1)\n".formatted(m));
    src.append("    x = x * self._band_signs(x.shape[2], first, x)\n");
    src.append("    return x.reshape(batch, channels * %d, x.shape[2])\n\n".formatted(m));
    return src.toString();
  }

  /** Samples by which the streamed audio lags the offline audio, for bands lagging by {@code inputDelay}. */
  int synthesisLag(int inputDelay) {
    return pqmf == null ? inputDelay : (inputDelay + pqmf.synthesisPadding().right()) * pqmf.bands();
  }

  /** {@code _synthesis<suffix>(x)} for bands lagging the offline ones by {@code inputDelay} frames. */
  String synthesis(String suffix, String stream, int inputDelay) {
    if (pqmf == null) {
      return "def _synthesis%s(self, x):\n    return x\n\n".formatted(suffix);
    }
    int m = pqmf.bands();
    Padding s = pqmf.synthesisPadding();
    StringBuilder src = new StringBuilder();
    src.append("def _synthesis").append(suffix).append("(self, x):\n");
    src.append("    batch, frames = x.shape[0], x.shape[2]\n");
    src.append("    channels = x.shape[1] // %d\n".formatted(m));
    src.append("    x = x.reshape(batch * channels, %d, frames)\n".formatted(m));
    if (stream == null) {
      src.append("    x = x * self._band_signs(frames, 0, x)\n");
      src.append("    x = torch.constant_pad_nd(x, [%d, %d], 0.0)\n".formatted(s.left(), s.right()));
    } else {
      String counter = counter(stream + "_synthesis_frames");
      src.append("    seen = int(%s.item())\n".formatted(counter));
      src.append("    %s.add_(frames)\n".formatted(counter));
      src.append("    x = self._silence_from(x, seen, %d)\n".formatted(inputDelay));
      src.append("    x = x * self._band_signs(frames, seen - %d, x)\n".formatted(inputDelay));
      src.append("    x = self._prepend(%s, x)\n".formatted(cache(stream + "_synthesis_history", m, s.total())));
    }
    src.append("    x = torch.conv1d(x, self.pqmf.inverse_conv.weight, None, [1], [0], [1], 1) * %d.0\n".formatted(m));
    src.append("    return torch.flip(x, [1]).permute(0, 2, 1).reshape(batch, channels, frames * %d)\n\n".formatted(m));
    return src.toString();
  }

  private String cache(String slot, long rowChannels, long length) {
    String name = "pqmf." + slot;
    caches.add(new LayerScriptWriter.Cache(name, new long[] {(long) LayerScriptWriter.MAX_BATCH * channels,
        rowChannels, length}, false));
    return LayerScriptWriter.ref(name);
  }

  private String counter(String slot) {
    String name = "pqmf." + slot;
    caches.add(new LayerScriptWriter.Cache(name, new long[] {1}, true));
    return LayerScriptWriter.ref(name);
  }
}
