package org.jrave.play;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The lock-free hand-off of blocks between two threads: order, fullness, and contents across threads. */
class BlockRingTest {

  @Test
  void handsBlocksOverInOrderAndRefusesWhenFullOrEmpty() {
    BlockRing ring = new BlockRing(2, 1, 4);
    assertThat(ring.peek()).isNull();
    float[][] a = ring.claim();
    a[0][0] = 1;
    ring.publish(10);
    float[][] b = ring.claim();
    assertThat(b).isNotSameAs(a);
    b[0][0] = 2;
    ring.publish(11);
    assertThat(ring.claim()).isNull();             // both blocks are with the consumer
    assertThatThrownBy(() -> ring.publish(12)).isInstanceOf(IllegalStateException.class);
    assertThat(ring.peek()).isSameAs(a);
    assertThat(ring.peekNumber()).isEqualTo(10);
    ring.release();
    assertThat(ring.claim()).isSameAs(a);          // the released block is reused, not a new one
    assertThat(ring.peek()[0][0]).isEqualTo(2f);
    assertThat(ring.peekNumber()).isEqualTo(11);
    ring.release();
    assertThat(ring.peek()).isNull();
    assertThatThrownBy(ring::release).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void everyBlockArrivesWholeAcrossThreads() throws Exception {
    BlockRing ring = new BlockRing(3, 2, 256);
    int count = 20_000;
    Thread producer = new Thread(() -> {
      for (int n = 0; n < count; ) {
        float[][] b = ring.claim();
        if (b == null) {
          Thread.onSpinWait();
          continue;
        }
        for (float[] row : b) {
          java.util.Arrays.fill(row, n);
        }
        ring.publish(n++);
      }
    });
    producer.start();
    int received = 0;
    boolean intact = true;
    while (received < count) {
      float[][] b = ring.peek();
      if (b == null) {
        Thread.onSpinWait();
        continue;
      }
      intact &= ring.peekNumber() == received;
      for (float[] row : b) {
        for (float v : row) {
          intact &= v == received;
        }
      }
      ring.release();
      received++;
    }
    producer.join();
    assertThat(intact).isTrue();
  }
}
