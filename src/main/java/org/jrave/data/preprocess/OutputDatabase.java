package org.jrave.data.preprocess;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.jrave.data.DatasetException;
import org.jrave.data.DatasetMetadata;
import org.jrave.data.DatasetReader;
import org.jrave.data.DatasetRecord;
import org.jrave.data.InvalidRecordException;
import org.jrave.data.LazyRecord;
import org.jrave.data.WaveformRecord;

/**
 * Checks the output path before anything is written: a new or empty folder, or an existing
 * AudioExample database of the same kind (rate, channels, lazy, record length) to append to.
 * Anything else is refused, so preprocess can never damage a file or a foreign database.
 */
final class OutputDatabase {
  /** What is already there: the last id (-1 if none), the record count and the metadata. */
  record Existing(long lastId, int records, Optional<DatasetMetadata> metadata) {}

  private OutputDatabase() {}

  static Existing prepare(PreprocessConfig config) {
    Path out = config.output().toAbsolutePath();
    if (Files.isRegularFile(out)) {
      throw new DatasetException("--output " + out + " is an existing file; give the path of a folder for the database (it is created if missing)");
    }
    if (Files.isDirectory(out)) {
      if (!Files.isWritable(out)) {
        throw new DatasetException("--output " + out + " is not writable; choose a folder you can write to");
      }
      if (Files.exists(out.resolve("data.mdb"))) {
        return inspect(out, config);
      }
      if (!isEmpty(out)) {
        throw new DatasetException("--output " + out + " is a folder that is neither empty nor a dataset; choose a new or empty folder (nothing was written)");
      }
    } else {
      try {
        Files.createDirectories(out);
      } catch (AccessDeniedException e) {
        throw new DatasetException("cannot create --output " + out + ": permission denied on " + e.getFile() + "; choose a writable location", e);
      } catch (IOException e) {
        throw new DatasetException("cannot create --output " + out + " (" + e + "); choose a writable location", e);
      }
    }
    return new Existing(-1, 0, Optional.empty());
  }

  private static Existing inspect(Path out, PreprocessConfig config) {
    try (DatasetReader reader = DatasetReader.open(out)) {
      Optional<DatasetMetadata> meta = reader.metadata();
      String fix = "; choose another --output, or append with matching options";
      if (meta.isPresent()) {
        DatasetMetadata m = meta.get();
        if (m.sr() != config.sampleRate() || m.channels() != config.channels() || m.lazy() != config.lazy()) {
          throw new DatasetException(String.format(
              "--output %s holds a dataset with sr %d, %d channel(s), lazy %s, but this run asks for --sr %d --channels %d%s%s",
              out, m.sr(), m.channels(), m.lazy(), config.sampleRate(), config.channels(), config.lazy() ? " --lazy" : "", fix));
        }
      }
      if (reader.size() == 0) {
        return new Existing(-1, 0, meta);
      }
      if (reader.lastId() < 0) {
        throw new DatasetException("--output " + out + " is an LMDB database whose keys are not RAVE record ids; choose another --output");
      }
      DatasetRecord first;
      try {
        first = reader.record(0);
      } catch (InvalidRecordException e) {
        throw new DatasetException("--output " + out + " is an LMDB database but not an AudioExample dataset (" + e.getMessage() + "); choose another --output", e);
      }
      checkRecord(out, first, config, fix);
      return new Existing(reader.lastId(), reader.size(), meta);
    } catch (IOException e) {
      throw new DatasetException("cannot read the existing database in " + out + ": " + e.getMessage(), e);
    }
  }

  private static void checkRecord(Path out, DatasetRecord first, PreprocessConfig config, String fix) {
    switch (first) {
      case WaveformRecord w -> {
        if (config.lazy()) {
          throw new DatasetException("--output " + out + " holds audio records, not lazy ones" + fix + " (drop --lazy)");
        }
        if (w.channels() != config.channels() || w.sampleRate() != config.sampleRate()) {
          throw new DatasetException(String.format("--output %s holds records of %d channel(s) at %d Hz, but this run asks for --channels %d --sr %d%s",
              out, w.channels(), w.sampleRate(), config.channels(), config.sampleRate(), fix));
        }
        if (w.frames() != config.recordFrames()) {
          throw new DatasetException(String.format("--output %s holds records of %d samples (--num-signal %d), but this run uses --num-signal %d%s",
              out, w.frames(), w.frames() / 2, config.numSignal(), fix));
        }
      }
      case LazyRecord l -> {
        if (!config.lazy()) {
          throw new DatasetException("--output " + out + " is a lazy dataset (file references)" + fix + " (add --lazy)");
        }
      }
    }
  }

  private static boolean isEmpty(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      throw new DatasetException("cannot list --output " + dir + ": " + e.getMessage(), e);
    }
  }
}
