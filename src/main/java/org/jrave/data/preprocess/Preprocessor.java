package org.jrave.data.preprocess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.jrave.audio.AudioDecodeException;
import org.jrave.audio.AudioDecoder;
import org.jrave.audio.AudioInfo;
import org.jrave.audio.AudioTarget;
import org.jrave.audio.DecodeResult;
import org.jrave.data.DatasetException;
import org.jrave.data.DatasetMetadata;
import org.jrave.data.DatasetSplit;
import org.jrave.data.DatasetWriter;
import org.jrave.data.LazyRecord;
import org.jrave.data.WaveformRecord;

/**
 * {@code jrave preprocess}: decodes every input file in parallel, cuts it into records of
 * {@code 2·num_signal} frames, and appends them to the database in input order (so ids are
 * reproducible). Tails shorter than a record are packed together into shared records instead of
 * being dropped. A damaged file is skipped with its reason and never stops the run.
 */
public final class Preprocessor {
  /** How many records may wait in memory per file being decoded ahead of the writer. */
  private static final int QUEUE_PER_FILE = 8;
  private static final int COMMIT_EVERY_RECORDS = 64;
  private static final long COMMIT_EVERY_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final PreprocessConfig config;
  private final AudioDecoder decoder = new AudioDecoder();
  private final AtomicBoolean cancelled = new AtomicBoolean();

  public Preprocessor(PreprocessConfig config) {
    this.config = config;
  }

  /** Asks a running {@link #run} to stop after committing what is complete (e.g. on Ctrl-C). */
  public void cancel() {
    cancelled.set(true);
  }

  public PreprocessReport run(ProgressListener listener) throws IOException {
    long t0 = System.nanoTime();
    AudioFiles.Found found = AudioFiles.find(config.inputs(), config.extensions());
    if (found.files().isEmpty()) {
      throw new DatasetException("no audio files found in " + config.inputs() + " (looked for "
          + String.join(", ", new java.util.TreeSet<>(config.extensions())) + "; ignored " + found.ignoredByExtension() + ")");
    }
    boolean outputExisted = Files.exists(config.output());
    OutputDatabase.Existing existing = OutputDatabase.prepare(config);
    Path out = config.output().toAbsolutePath();
    double previousSeconds = existing.metadata().map(DatasetMetadata::nSeconds).orElse(0.0);

    SourceLog sources = SourceLog.open(out);
    List<Path> fresh = found.files().stream().filter(f -> !sources.contains(f)).toList();
    int alreadyThere = found.files().size() - fresh.size();
    Run run = new Run(fresh, listener, sources);
    listener.started(fresh.size());
    try (DatasetWriter writer = DatasetWriter.open(out, config.mapSizeBytes(), existing.lastId())) {
      // Written first too, so even an interrupted first run leaves a database with its rate and channels.
      metadata(existing.records(), previousSeconds).write(out);
      try {
        run.write(writer);
      } catch (org.lmdbjava.Env.MapFullException e) {
        // What was committed before stays readable; the batch being written is dropped.
        throw new DatasetException("the database " + out + " reached its maximum size (" + (config.mapSizeBytes() >> 30)
            + " GiB); run again with a larger --max-db-size to add the remaining files", e);
      }
      long total = existing.records() + run.examples;
      metadata(total, config.lazy() ? previousSeconds + run.seconds : 0).write(out);
    } finally {
      run.shutdown();
      listener.finished();
    }
    long total = existing.records() + run.examples;
    if (fresh.isEmpty()) {
      throw new DatasetException("nothing to add: all " + alreadyThere + " audio file(s) in " + config.inputs()
          + " are already in " + out + " (listed in " + SourceLog.FILE_NAME + ")");
    }
    if (total == 0) {
      if (!outputExisted) {
        deleteQuietly(out);
      }
      StringBuilder why = new StringBuilder("no usable audio in " + config.inputs() + ": all " + found.files().size() + " file(s) were skipped");
      run.skipped.stream().limit(10).forEach(s -> why.append("\n  ").append(s.path()).append(": ").append(s.reason()));
      throw new DatasetException(why.toString());
    }
    return new PreprocessReport(run.filesRead, run.skipped, alreadyThere, found.ignoredByExtension(), run.seconds, run.examples, total,
        run.packedFiles, run.paddingFrames / (double) config.sampleRate(), (System.nanoTime() - t0) / 1e9,
        cancelled.get() || run.incomplete(), DatasetSplit.validationSize((int) total), DatasetSplit.minimumExamplesForPca(config.numSignal()));
  }

  private DatasetMetadata metadata(long records, double lazySeconds) {
    double seconds = config.lazy() ? lazySeconds : records * (double) config.recordFrames() / config.sampleRate();
    return new DatasetMetadata(config.channels(), config.lazy(), seconds, config.sampleRate());
  }

  /** What a decoding worker sends the writer about its file. */
  private sealed interface Piece {}

  private record Full(short[] samples) implements Piece {}

  private record End(short[] tail, int tailFrames, double seconds) implements Piece {}

  private record Lazy(LazyRecord record) implements Piece {}

  private record Failed(String reason) implements Piece {}

  /** Thrown inside a worker when the run is being shut down. */
  private static final class Stop extends RuntimeException {
    Stop() {
      super(null, null, false, false);
    }
  }

  private record Job(Path path, BlockingQueue<Piece> queue) {}

  /** State of one run: the decoding pool, the in-order writer and the tallies. */
  private final class Run {
    private final List<Path> files;
    private final ProgressListener listener;
    private final ExecutorService pool;
    private final Deque<Job> pending = new ArrayDeque<>();
    private final TailPacker packer = new TailPacker(config.channels(), config.recordFrames());
    private final List<SkippedFile> skipped = new ArrayList<>();
    private final SourceLog sources;
    private final List<Path> uncommitted = new ArrayList<>();
    /** Tells workers to stop: set when the writer is done or gave up. */
    private final AtomicBoolean stopping = new AtomicBoolean();
    private int next;
    int filesRead;
    int packedFiles;
    long examples;
    long paddingFrames;
    double seconds;

    Run(List<Path> files, ProgressListener listener, SourceLog sources) {
      this.files = files;
      this.sources = sources;
      this.listener = listener;
      this.pool = Executors.newFixedThreadPool(config.threads(), r -> {
        Thread t = new Thread(r, "jrave-decode");
        t.setDaemon(true);
        return t;
      });
    }

    boolean incomplete() {
      return next < files.size() || !pending.isEmpty();
    }

    private void commit(DatasetWriter writer) throws IOException {
      writer.commit();
      sources.append(uncommitted);
      uncommitted.clear();
    }

    void write(DatasetWriter writer) throws IOException {
      long startId = writer.nextId();
      long lastCommit = System.nanoTime();
      submitAhead();
      try {
        while (!pending.isEmpty() && !cancelled.get()) {
          Job job = pending.poll();
          submitAhead();
          writeFile(writer, job);
          if (writer.pendingRecords() >= COMMIT_EVERY_RECORDS || System.nanoTime() - lastCommit > COMMIT_EVERY_NANOS) {
            commit(writer);
            lastCommit = System.nanoTime();
          }
        }
        paddingFrames = packer.paddingFrames();
        short[] last = packer.finish();
        if (last != null) {
          writer.put(new WaveformRecord(config.channels(), config.sampleRate(), last));
        }
        commit(writer);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        cancelled.set(true);
        writer.abortFile();
        commit(writer);
      } finally {
        examples = writer.committedId() - startId;
      }
    }

    private void writeFile(DatasetWriter writer, Job job) throws InterruptedException {
      writer.beginFile();
      while (true) {
        if (cancelled.get()) {
          writer.abortFile();
          return;
        }
        Piece piece = job.queue().poll(200, TimeUnit.MILLISECONDS);
        switch (piece) {
          case null -> {}
          case Full f -> writer.putInFile(new WaveformRecord(config.channels(), config.sampleRate(), f.samples()));
          case End e -> {
            writer.commitFile();
            if (e.tailFrames() > 0) {
              packedFiles++;
              for (short[] rec : packer.add(e.tail(), e.tailFrames())) {
                writer.put(new WaveformRecord(config.channels(), config.sampleRate(), rec));
              }
            }
            done(job.path(), e.seconds());
            return;
          }
          case Lazy l -> {
            writer.putInFile(l.record());
            writer.commitFile();
            done(job.path(), l.record().seconds());
            return;
          }
          case Failed f -> {
            writer.abortFile();
            skipped.add(new SkippedFile(job.path(), f.reason()));
            listener.fileDone(job.path(), 0, f.reason());
            return;
          }
        }
      }
    }

    private void done(Path path, double s) {
      uncommitted.add(path);
      filesRead++;
      seconds += s;
      listener.fileDone(path, s, null);
    }

    /** Keeps a bounded number of files decoding ahead of the writer (bounded memory). */
    private void submitAhead() {
      while (next < files.size() && pending.size() < 2 * config.threads()) {
        Job job = new Job(files.get(next++), new ArrayBlockingQueue<>(QUEUE_PER_FILE));
        pending.add(job);
        pool.execute(() -> decode(job));
      }
    }

    private void decode(Job job) {
      try {
        send(job, config.lazy() ? probeLazy(job.path()) : decodeFile(job));
      } catch (AudioDecodeException e) {
        send(job, new Failed(e.reason()));
      } catch (Stop e) {
        // the run is shutting down
      } catch (RuntimeException | OutOfMemoryError e) {
        send(job, new Failed("unexpected decoding failure: " + e));
      }
    }

    private Piece decodeFile(Job job) throws AudioDecodeException {
      RecordChunker chunker = new RecordChunker(config.channels(), config.recordFrames(), rec -> send(job, new Full(rec)));
      AudioTarget target = new AudioTarget(config.sampleRate(), config.channels(), config.channelMode());
      DecodeResult result = decoder.stream(job.path(), target, chunker);
      return new End(chunker.tail(), chunker.tailFrames(), result.seconds());
    }

    private Piece probeLazy(Path path) throws AudioDecodeException {
      AudioInfo info = decoder.probe(path);
      double s = info.seconds();
      if (!info.exactDuration() || Double.isNaN(s)) {
        s = decoder.stream(path, AudioTarget.asIs(), (p, n) -> {}).seconds();
      } else {
        // Lazy datasets decode at training time: make sure now that the file really decodes.
        decoder.decodeRange(path, AudioTarget.asIs(), 0, info.sampleRate());
      }
      return new Lazy(new LazyRecord(path.toString(), s, info.channels()));
    }

    private void send(Job job, Piece piece) {
      try {
        while (!job.queue().offer(piece, 200, TimeUnit.MILLISECONDS)) {
          if (stopping.get() || cancelled.get()) {
            throw new Stop();
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Stop();
      }
    }

    void shutdown() {
      stopping.set(true);
      pool.shutdownNow();
      try {
        pool.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort: an empty leftover folder is harmless
    }
  }
}
