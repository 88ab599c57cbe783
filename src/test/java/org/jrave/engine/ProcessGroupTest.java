package org.jrave.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Two ranks of a Gloo group on loopback, one per thread of this JVM. */
class ProcessGroupTest {

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Runs {@code body} on ranks 0 and 1, each on a thread of its own (they block on each other). */
  private static <T> List<T> onTwoRanks(int port, Function<ProcessGroup, T> body) {
    try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
      List<Future<T>> ranks = java.util.stream.IntStream.range(0, 2).mapToObj(r -> threads.submit(() -> {
        try (ProcessGroup g = ProcessGroup.join(
            new ProcessGroup.Rendezvous("127.0.0.1", port, r, 2, Duration.ofSeconds(20)), Device.CPU)) {
          return body.apply(g);
        }
      })).toList();
      return ranks.stream().map(f -> {
        try {
          return f.get();
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }).toList();
    }
  }

  @Test
  void sumsAndBroadcastsAcrossRanks() throws Exception {
    List<float[]> out = onTwoRanks(freePort(), g -> {
      try (TensorScope scope = new TensorScope()) {
        Tensor a = Tensor.fromFloats(new float[] {g.rank() + 1f, 10f * (g.rank() + 1)}, 2);
        Tensor b = Tensor.fromFloats(new float[] {g.rank() == 0 ? 7f : -1f}, 1);
        g.sumInPlace(a);
        g.broadcastFromRankZero(b);
        String shared = g.shareFromRankZero("greeting", g.rank() == 0 ? "from zero" : "ignored");
        assertThat(shared).isEqualTo("from zero");
        float[] sum = a.toFloatArray();
        return new float[] {sum[0], sum[1], b.toFloatArray()[0]};
      }
    });
    for (float[] r : out) {
      assertThat(r).containsExactly(3f, 30f, 7f);
    }
  }

  @Test
  void aPortInUseIsNamed() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      assertThatThrownBy(() -> ProcessGroup.join(new ProcessGroup.Rendezvous("127.0.0.1", taken.getLocalPort(), 0, 2,
          Duration.ofSeconds(5)), Device.CPU))
          .isInstanceOf(ProcessGroup.GroupFailure.class)
          .hasMessageContaining(":" + taken.getLocalPort())
          .hasMessageContaining("--master");
    }
  }

  @Test
  void anUnreachableMasterEndsWithinTheTimeout() throws Exception {
    int port = freePort();
    long start = System.nanoTime();
    assertThatThrownBy(() -> ProcessGroup.join(new ProcessGroup.Rendezvous("127.0.0.1", port, 1, 2,
        Duration.ofSeconds(3)), Device.CPU))
        .isInstanceOf(ProcessGroup.GroupFailure.class)
        .hasMessageContaining("could not reach the master at 127.0.0.1:" + port);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void mismatchedWorldSizesAreNamed() throws Exception {
    int port = freePort();
    Thread zero = Thread.ofPlatform().start(() -> {
      try (ProcessGroup g = ProcessGroup.join(new ProcessGroup.Rendezvous("127.0.0.1", port, 0, 2, Duration.ofSeconds(4)),
          Device.CPU)) {
        // never reached: rank 1 believes in a world of 3
      } catch (ProcessGroup.GroupFailure expected) {
        // rank 0 gives up waiting for the missing rank
      }
    });
    assertThatThrownBy(() -> ProcessGroup.join(new ProcessGroup.Rendezvous("127.0.0.1", port, 1, 3,
        Duration.ofSeconds(4)), Device.CPU))
        .isInstanceOf(ProcessGroup.GroupFailure.class)
        .hasMessageContaining("--world-size 3 but rank 0 with --world-size 2");
    zero.join();
  }
}
