package org.jrave.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.LmdbException;
import org.lmdbjava.Txn;

/**
 * Read access to a RAVE dataset database (jrave's or the reference's): its keys in LMDB order and
 * its records. Thread-safe: every read uses its own short read transaction.
 */
public final class DatasetReader implements AutoCloseable {
  private final Path dir;
  private final Env<byte[]> env;
  private final Dbi<byte[]> db;
  private final List<byte[]> keys;
  private final Optional<DatasetMetadata> metadata;
  private volatile boolean closed;

  private DatasetReader(Path dir, Env<byte[]> env, Dbi<byte[]> db, List<byte[]> keys, Optional<DatasetMetadata> metadata) {
    this.dir = dir;
    this.env = env;
    this.db = db;
    this.keys = keys;
    this.metadata = metadata;
  }

  public static DatasetReader open(Path dir) throws IOException {
    if (!Files.isRegularFile(dir.resolve(Lmdb.DATA_FILE))) {
      throw new DatasetException(dir + " is not a dataset: it has no " + Lmdb.DATA_FILE
          + " (make one with: jrave preprocess --input AUDIO_FOLDER --output " + dir + ")");
    }
    Env<byte[]> env;
    try {
      env = Lmdb.openReadOnly(dir);
    } catch (LmdbException e) {
      throw new DatasetException(dir + " cannot be opened as an LMDB database: " + e.getMessage(), e);
    }
    try {
      Dbi<byte[]> db = env.openDbi((byte[]) null);
      List<byte[]> keys = new ArrayList<>();
      try (Txn<byte[]> txn = env.txnRead(); Cursor<byte[]> cursor = db.openCursor(txn)) {
        for (boolean ok = cursor.first(); ok; ok = cursor.next()) {
          keys.add(cursor.key().clone());
        }
      }
      return new DatasetReader(dir, env, db, List.copyOf(keys), DatasetMetadata.read(dir));
    } catch (IOException | RuntimeException e) {
      env.close();
      throw e;
    }
  }

  public Path path() {
    return dir;
  }

  public int size() {
    return keys.size();
  }

  public Optional<DatasetMetadata> metadata() {
    return metadata;
  }

  /** The id of the last key, or -1 for an empty database. */
  public long lastId() {
    return keys.isEmpty() ? -1 : RecordKeys.id(keys.get(keys.size() - 1));
  }

  public byte[] key(int index) {
    return keys.get(index).clone();
  }

  public DatasetRecord record(int index) throws InvalidRecordException {
    if (closed) {
      throw new IllegalStateException("dataset " + dir + " is closed");
    }
    int fallbackChannels = metadata.map(DatasetMetadata::channels).orElse(1);
    try (Txn<byte[]> txn = env.txnRead()) {
      byte[] value = db.get(txn, keys.get(index));
      if (value == null) {
        throw new InvalidRecordException("record " + new String(keys.get(index)) + " disappeared");
      }
      return AudioExampleCodec.decode(value, fallbackChannels);
    }
  }

  @Override
  public void close() {
    closed = true;
    env.close();
  }
}
