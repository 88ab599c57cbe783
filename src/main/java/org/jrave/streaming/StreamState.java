package org.jrave.streaming;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;

/**
 * Everything a model remembers between streaming blocks, kept outside the model so that it is
 * explicit: per layer, its streaming plan (delays fixed when streaming is prepared) and its caches
 * (history of past input, delay lines, overlap tails). Caches start as zeros (silence before the
 * first block) sized for the batch of the first block; {@link #reset()} returns to that state,
 * {@link #snapshot()} / {@link #restore} save and bring back the caches, and {@link #close()} frees
 * them.
 */
public final class StreamState implements AutoCloseable {

  private final boolean referenceTransient;
  private final Map<Object, Object> plans = new IdentityHashMap<>();
  private final Map<Object, Map<String, Tensor>> caches = new IdentityHashMap<>();
  private final Map<Object, Map<String, long[]>> counters = new IdentityHashMap<>();

  /** A state for exact streaming: the output equals the delayed offline output from the start. */
  public StreamState() {
    this(false);
  }

  /**
   * @param referenceTransient emit the transposed convolutions' pre-roll at the start of a stream
   *     as the reference does (needed to reproduce its block outputs bit for bit); jrave's default
   *     silences it, so that the stream equals the offline output delayed from the first sample
   */
  public StreamState(boolean referenceTransient) {
    this.referenceTransient = referenceTransient;
  }

  public boolean referenceTransient() {
    return referenceTransient;
  }

  /** Records the streaming plan of {@code layer} (its delays and cache sizes). */
  public void setPlan(Object layer, Object plan) {
    plans.put(layer, plan);
  }

  /** The plan recorded by {@code layer}'s preparation; fails clearly when streaming was not prepared. */
  @SuppressWarnings("unchecked")
  public <P> P plan(Object layer) {
    Object p = plans.get(layer);
    if (p == null) {
      throw new IllegalStateException(layer.getClass().getSimpleName()
          + " was not prepared for streaming: prepare the whole model before the first block");
    }
    return (P) p;
  }

  /**
   * Prepends {@code length} samples of history to {@code x} along time and keeps the last
   * {@code length} samples of the result as the next history. Returns the longer tensor.
   */
  public Tensor prepend(Object owner, String slot, Tensor x, int length) {
    if (length == 0) {
      return x;
    }
    Tensor history = cache(owner, slot, x, length);
    Tensor joined = Tensor.cat(List.of(history, x), 2);
    store(owner, slot, joined.narrow(2, joined.size(2) - length, length).copy());
    return joined;
  }

  /** Delays {@code x} by {@code length} samples: a delay line with zero initial content. */
  public Tensor delay(Object owner, String slot, Tensor x, int length) {
    if (length == 0) {
      return x;
    }
    return prepend(owner, slot, x, length).narrow(2, 0, x.size(2));
  }

  /** Adds the stored overlap tail to the start of {@code full} and stores its last {@code tail} samples. */
  public Tensor overlapAdd(Object owner, String slot, Tensor full, int tail) {
    if (tail == 0) {
      return full;
    }
    long length = full.size(2) - tail;
    Tensor previous = cache(owner, slot, full, tail);
    Tensor head = full.narrow(2, 0, tail).add(previous);
    Tensor out = length > tail
        ? Tensor.cat(List.of(head, full.narrow(2, tail, length - tail)), 2)
        : head.narrow(2, 0, length);
    if (length < tail) {
      // A block shorter than the tail: the rest of the previous tail carries over too.
      Tensor carried = previous.narrow(2, length, tail - length).add(full.narrow(2, length, tail - length));
      store(owner, slot, Tensor.cat(List.of(carried, full.narrow(2, tail, length)), 2).copy());
      return out;
    }
    store(owner, slot, full.narrow(2, length, tail).copy());
    return out;
  }

  /**
   * Zeroes the samples of {@code x} that come before offline time 0, i.e. the first {@code lag}
   * samples of the stream {@code owner} receives. Offline, a convolution pads its input with zeros
   * there; in a stream those samples hold what the previous layers made of the edge of the signal.
   * Silencing them makes the stream equal to the delayed offline output from its first sample. (In
   * reference-transient mode nothing is silenced, as in the reference.)
   */
  public Tensor silenceBeforeStart(Object owner, Tensor x, int lag) {
    long seen = advance(owner, "received", x.size(2));
    if (referenceTransient || seen >= lag) {
      return x;
    }
    long silent = Math.min(lag - seen, x.size(2));
    if (silent == x.size(2)) {
      return Tensor.zeros(x.device(), x.shape());
    }
    return Tensor.cat(List.of(Tensor.zeros(x.device(), x.size(0), x.size(1), silent),
        x.narrow(2, silent, x.size(2) - silent)), 2);
  }

  /** A per-layer counter of samples seen (e.g. for the PQMF's global frame parity). */
  public long advance(Object owner, String slot, long samples) {
    long[] before = counters.computeIfAbsent(owner, k -> new HashMap<>()).getOrDefault(slot, new long[] {0});
    long position = before[0];
    counters.get(owner).put(slot, new long[] {position + samples});
    return position;
  }

  private Tensor cache(Object owner, String slot, Tensor like, int length) {
    Map<String, Tensor> m = caches.computeIfAbsent(owner, k -> new HashMap<>());
    Tensor t = m.get(slot);
    // Sized for the batch in use: a block of another batch size (or width) starts this cache afresh.
    if (t == null || t.size(0) != like.size(0) || t.size(1) != like.size(1) || t.size(2) != length) {
      t = Tensor.zeros(like.device(), like.size(0), like.size(1), length).retain();
      Tensor old = m.put(slot, t);
      if (old != null) {
        old.close();
      }
    }
    return t;
  }

  private void store(Object owner, String slot, Tensor value) {
    Tensor kept;
    try (NoGrad ignored = NoGrad.enter()) {
      kept = value.detach().retain();
    }
    Tensor old = caches.computeIfAbsent(owner, k -> new HashMap<>()).put(slot, kept);
    if (old != null) {
      old.close();
    }
  }

  /** Forgets all history: the next block is processed as if preceded by silence. */
  public void reset() {
    for (Map<String, Tensor> m : caches.values()) {
      m.values().forEach(Tensor::close);
    }
    caches.clear();
    counters.clear();
  }

  /** A copy of the current caches and counters. */
  public Snapshot snapshot() {
    Map<Object, Map<String, Tensor>> copy = new IdentityHashMap<>();
    try (NoGrad ignored = NoGrad.enter()) {
      caches.forEach((owner, m) -> {
        Map<String, Tensor> c = new HashMap<>();
        m.forEach((k, v) -> c.put(k, v.copy().retain()));
        copy.put(owner, c);
      });
    }
    Map<Object, Map<String, long[]>> counterCopy = new IdentityHashMap<>();
    counters.forEach((owner, m) -> {
      Map<String, long[]> c = new HashMap<>();
      m.forEach((k, v) -> c.put(k, v.clone()));
      counterCopy.put(owner, c);
    });
    return new Snapshot(copy, counterCopy);
  }

  /** Brings back the caches of {@code snapshot} (which stays usable for further restores). */
  public void restore(Snapshot snapshot) {
    reset();
    try (NoGrad ignored = NoGrad.enter()) {
      snapshot.caches.forEach((owner, m) -> {
        Map<String, Tensor> c = new HashMap<>();
        m.forEach((k, v) -> c.put(k, v.copy().retain()));
        caches.put(owner, c);
      });
    }
    snapshot.counters.forEach((owner, m) -> {
      Map<String, long[]> c = new HashMap<>();
      m.forEach((k, v) -> c.put(k, v.clone()));
      counters.put(owner, c);
    });
  }

  /** Total number of cached values (for diagnostics and tests). */
  public long cachedValues() {
    long n = 0;
    for (Map<String, Tensor> m : caches.values()) {
      for (Tensor t : m.values()) {
        n += t.numel();
      }
    }
    return n;
  }

  @Override
  public void close() {
    reset();
    plans.clear();
  }

  /** Saved caches, independent of the state they came from. Close it to free them. */
  public static final class Snapshot implements AutoCloseable {
    private final Map<Object, Map<String, Tensor>> caches;
    private final Map<Object, Map<String, long[]>> counters;
    private Snapshot(Map<Object, Map<String, Tensor>> caches, Map<Object, Map<String, long[]>> counters) {
      this.caches = caches;
      this.counters = counters;
    }

    @Override
    public void close() {
      List<Tensor> all = new ArrayList<>();
      caches.values().forEach(m -> all.addAll(m.values()));
      all.forEach(Tensor::close);
      caches.clear();
    }
  }
}
