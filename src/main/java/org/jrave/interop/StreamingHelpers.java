package org.jrave.interop;

/**
 * TorchScript helpers of streaming exports, the in-module form of jrave's stream state: caches are
 * buffers of {@link LayerScriptWriter#MAX_BATCH} rows of which a call of batch B uses the first B,
 * updated in place so that the next call continues the stream.
 */
final class StreamingHelpers {
  private StreamingHelpers() {}

  static final String SOURCE = """
      def _prepend(self, cache: Tensor, x: Tensor) -> Tensor:
          b = x.shape[0]
          n = cache.shape[2]
          joined = torch.cat([cache[:b], x], 2)
          cache[:b].copy_(joined[:, :, joined.shape[2] - n:])
          return joined

      def _delay(self, cache: Tensor, x: Tensor) -> Tensor:
          return self._prepend(cache, x)[:, :, :x.shape[2]]

      def _overlap_add(self, cache: Tensor, full: Tensor) -> Tensor:
          b = full.shape[0]
          tail = cache.shape[2]
          length = full.shape[2] - tail
          previous = cache[:b].clone()
          head = full[:, :, :tail] + previous
          if length >= tail:
              cache[:b].copy_(full[:, :, length:])
              return torch.cat([head, full[:, :, tail:length]], 2)
          carried = previous[:, :, length:] + full[:, :, length:tail]
          cache[:b].copy_(torch.cat([carried, full[:, :, tail:]], 2))
          return head[:, :, :length]

      def _silence_from(self, x: Tensor, seen: int, lag: int) -> Tensor:
          if seen >= lag:
              return x
          t = torch.arange(x.shape[2], device=x.device) + seen
          return x * (t >= lag).to(x.dtype)

      def _silence(self, counter: Tensor, x: Tensor, lag: int) -> Tensor:
          seen = int(counter.item())
          counter.add_(x.shape[2])
          return self._silence_from(x, seen, lag)

      """;
}
