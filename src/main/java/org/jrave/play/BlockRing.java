package org.jrave.play;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A lock-free hand-off of audio blocks from one producer thread to one consumer thread: a ring of
 * preallocated {@code [channels][frames]} blocks, each tagged with its block number. The producer
 * fills a {@link #claim claimed} block in place and {@link #publish publishes} it; the consumer
 * reads the oldest published block in place and {@link #release releases} it for reuse. Neither
 * side ever waits or allocates: a full ring makes {@code claim} return null, an empty one
 * {@code peek}.
 */
final class BlockRing {
  private final float[][][] blocks;
  private final long[] numbers;
  // Counts of published and released blocks; each written by one side only. The release write of
  // one and the acquire read by the other order the block contents between the two threads.
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong released = new AtomicLong();

  BlockRing(int capacity, int channels, int frames) {
    if (capacity < 1) {
      throw new IllegalArgumentException("a ring holds at least one block, got " + capacity);
    }
    blocks = new float[capacity][channels][frames];
    numbers = new long[capacity];
  }

  int capacity() {
    return blocks.length;
  }

  // ---------------------------------------------------------------- producer side

  /** The next free block to fill (same one until published), or null when every block is in use. */
  float[][] claim() {
    long head = published.getPlain();
    return head - released.getAcquire() >= blocks.length ? null : blocks[slot(head)];
  }

  /** Hands the claimed block, numbered {@code number}, to the consumer. */
  void publish(long number) {
    long head = published.getPlain();
    if (head - released.getAcquire() >= blocks.length) {
      throw new IllegalStateException("publish without a claimed block");
    }
    numbers[slot(head)] = number;
    published.setRelease(head + 1);
  }

  // ---------------------------------------------------------------- consumer side

  /** The oldest published block, or null when there is none. */
  float[][] peek() {
    long tail = released.getPlain();
    return tail == published.getAcquire() ? null : blocks[slot(tail)];
  }

  /** The number of the block {@link #peek} gives (only valid when it gives one). */
  long peekNumber() {
    return numbers[slot(released.getPlain())];
  }

  /** Gives the oldest published block back to the producer. */
  void release() {
    long tail = released.getPlain();
    if (tail == published.getAcquire()) {
      throw new IllegalStateException("release of an empty ring");
    }
    released.setRelease(tail + 1);
  }

  private int slot(long position) {
    return (int) (position % blocks.length);
  }
}
