package org.jrave.interop;

import org.jrave.model.blocks.Padding;
import org.jrave.model.pqmf.Pqmf;

/**
 * TorchScript for the PQMF filter bank of an offline export ({@code _analysis}: audio to stacked
 * bands per channel, {@code _synthesis}: back), reading the filters from the {@code pqmf.*} buffers
 * and negating odd bands at even frames as jrave's {@link Pqmf} does. Streaming exports take the
 * filter bank from the block engine's graph ({@link GraphToTorchScript}).
 */
final class PqmfScript {

  private final Pqmf pqmf;

  PqmfScript(Pqmf pqmf) {
    this.pqmf = pqmf == null || pqmf.bands() == 1 ? null : pqmf;
  }

  /** {@code _band_signs(frames, like)}: +1, or -1 for odd bands at even frames. */
  String common() {
    if (pqmf == null) {
      return "";
    }
    return """
        def _band_signs(self, frames: int, like: Tensor) -> Tensor:
            k = torch.arange(%1$d, device=like.device).reshape(%1$d, 1)
            t = torch.arange(frames, device=like.device).reshape(1, frames)
            flip = torch.logical_and(torch.remainder(k, 2) == 1, torch.remainder(t, 2) == 0)
            return 1.0 - 2.0 * flip.to(like.dtype)

        """.formatted(pqmf.bands());
  }

  /** {@code _analysis(x)}. */
  String analysis() {
    if (pqmf == null) {
      return "def _analysis(self, x):\n    return x\n\n";
    }
    int m = pqmf.bands();
    Padding a = pqmf.analysisPadding();
    return """
        def _analysis(self, x):
            batch, channels, length = x.shape[0], x.shape[1], x.shape[2]
            x = torch.constant_pad_nd(x.reshape(batch * channels, 1, length), [%2$d, %3$d], 0.0)
            x = torch.conv1d(x, self.pqmf.forward_conv.weight, None, [%1$d], [0], [1], 1)
            x = x * self._band_signs(x.shape[2], x)
            return x.reshape(batch, channels * %1$d, x.shape[2])

        """.formatted(m, a.left(), a.right());
  }

  /** {@code _synthesis(x)}. */
  String synthesis() {
    if (pqmf == null) {
      return "def _synthesis(self, x):\n    return x\n\n";
    }
    int m = pqmf.bands();
    Padding s = pqmf.synthesisPadding();
    return """
        def _synthesis(self, x):
            batch, frames = x.shape[0], x.shape[2]
            channels = x.shape[1] // %1$d
            x = x.reshape(batch * channels, %1$d, frames)
            x = x * self._band_signs(frames, x)
            x = torch.constant_pad_nd(x, [%2$d, %3$d], 0.0)
            x = torch.conv1d(x, self.pqmf.inverse_conv.weight, None, [1], [0], [1], 1) * %1$d.0
            return torch.flip(x, [1]).permute(0, 2, 1).reshape(batch, channels, frames * %1$d)

        """.formatted(m, s.left(), s.right());
  }
}
