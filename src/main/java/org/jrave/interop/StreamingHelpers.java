package org.jrave.interop;

/**
 * TorchScript helpers of streaming exports, the in-module form of jrave's stream state: caches are
 * buffers of {@link #MAX_BATCH} rows of which a call of batch B uses the first B, updated in place
 * so that the next call continues the stream.
 */
final class StreamingHelpers {
  private StreamingHelpers() {}

  /** Rows of every cache buffer: the largest batch a streaming export accepts. */
  static final int MAX_BATCH = 64;

  static final String SOURCE = """
      def _check_batch(self, x):
          assert x.shape[0] <= %d, "a streaming export keeps the state of at most %d streams (batch rows)"

      def _prepend(self, cache: Tensor, x: Tensor) -> Tensor:
          b = x.shape[0]
          n = cache.shape[2]
          joined = torch.cat([cache[:b], x], 2)
          cache[:b].copy_(joined[:, :, joined.shape[2] - n:])
          return joined

      def _silence_from(self, x: Tensor, seen: int, lag: int) -> Tensor:
          if seen >= lag:
              return x
          t = torch.arange(x.shape[2], device=x.device) + seen
          return x * (t >= lag).to(x.dtype)

      def _alternating_sign(self, x: Tensor, bands: int, first: int) -> Tensor:
          k = torch.remainder(torch.arange(x.shape[1], device=x.device), bands).reshape(-1, 1)
          t = torch.arange(x.shape[2], device=x.device).reshape(1, -1) + first
          flip = torch.logical_and(torch.remainder(k, 2) == 1, torch.remainder(t, 2) == 0)
          return x * (1.0 - 2.0 * flip.to(x.dtype))

      """.formatted(MAX_BATCH, MAX_BATCH);
}
