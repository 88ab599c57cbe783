package org.jrave.data;

import java.nio.file.Path;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.Txn;

/**
 * Appends records with sequential ids after the last existing key. Records of one source file go
 * into a nested transaction that is dropped whole if the file later turns out to be damaged; file
 * transactions are grouped into batches committed together, so an interruption loses at most the
 * current batch and never leaves a partial record or a partial file.
 *
 * <p>LMDB keeps uncommitted pages in memory, so a very long file is committed in parts once it holds
 * more than {@code spillBytes}; if it then fails (or the run is interrupted), {@link #abortFile}
 * deletes the parts already committed. Only a hard kill in that window can leave part of a file.
 */
public final class DatasetWriter implements AutoCloseable {
  private final Env<byte[]> env;
  private final Dbi<byte[]> db;
  private Txn<byte[]> batch;
  private Txn<byte[]> file;
  private long nextId;
  private long fileStartId;
  private long committedId;
  private final long spillBytes;
  private long fileBytes;
  private boolean fileSpilled;

  private DatasetWriter(Env<byte[]> env, Dbi<byte[]> db, long nextId, long spillBytes) {
    this.env = env;
    this.db = db;
    this.nextId = nextId;
    this.committedId = nextId;
    this.spillBytes = spillBytes;
  }

  /** Default bound of the uncommitted data of one file. */
  public static final long DEFAULT_SPILL_BYTES = 128L << 20;

  /** Opens (creating if needed) the database in {@code dir}, continuing after id {@code lastId}. */
  public static DatasetWriter open(Path dir, long mapSizeBytes, long lastId) {
    return open(dir, mapSizeBytes, lastId, DEFAULT_SPILL_BYTES);
  }

  static DatasetWriter open(Path dir, long mapSizeBytes, long lastId, long spillBytes) {
    Env<byte[]> env = Lmdb.openWritable(dir, mapSizeBytes);
    try {
      return new DatasetWriter(env, env.openDbi((byte[]) null, DbiFlags.MDB_CREATE), lastId + 1, spillBytes);
    } catch (RuntimeException e) {
      env.close();
      throw e;
    }
  }

  /** The id the next record will get. */
  public long nextId() {
    return nextId;
  }

  /** Ids below this are committed to disk. */
  public long committedId() {
    return committedId;
  }

  public void beginFile() {
    if (file != null) {
      throw new IllegalStateException("a file is already open");
    }
    file = env.txn(batch());
    fileStartId = nextId;
    fileBytes = 0;
    fileSpilled = false;
  }

  /**
   * Adds a record of the current file. Returns true when this committed the batch (the file had
   * grown past the memory bound): every file completed before it is then on disk.
   */
  public boolean putInFile(DatasetRecord record) {
    if (file == null) {
      throw new IllegalStateException("no file open");
    }
    fileBytes += put(file, record);
    if (fileBytes < spillBytes) {
      return false;
    }
    file.commit();
    file.close();
    batch.commit();
    batch.close();
    batch = null;
    committedId = nextId;
    file = env.txn(batch());
    fileBytes = 0;
    fileSpilled = true;
    return true;
  }

  public void commitFile() {
    file.commit();
    file.close();
    file = null;
  }

  /** Drops every record of the current file, including parts already committed; their ids are reused. */
  public void abortFile() {
    if (file != null) {
      file.abort();
      file.close();
      file = null;
      if (fileSpilled) {
        Txn<byte[]> txn = batch();
        for (long id = fileStartId; id < committedId; id++) {
          db.delete(txn, RecordKeys.key(id));
        }
        commit();
      }
      nextId = fileStartId;
      committedId = Math.min(committedId, nextId);
    }
  }

  /** Adds a record outside any file transaction (records shared by several files). */
  public void put(DatasetRecord record) {
    if (file != null) {
      throw new IllegalStateException("a file transaction is open");
    }
    put(batch(), record);
  }

  /** Commits everything written so far (the current file must be closed). */
  public void commit() {
    if (file != null) {
      throw new IllegalStateException("a file transaction is open");
    }
    if (batch != null) {
      batch.commit();
      batch.close();
      batch = null;
      committedId = nextId;
    }
  }

  public long pendingRecords() {
    return nextId - committedId;
  }

  private Txn<byte[]> batch() {
    if (batch == null) {
      batch = env.txnWrite();
    }
    return batch;
  }

  private int put(Txn<byte[]> txn, DatasetRecord record) {
    byte[] value = AudioExampleCodec.encode(record);
    db.put(txn, RecordKeys.key(nextId), value);
    nextId++;
    return value.length;
  }

  /** Commits what is complete and closes; a file still open is dropped. */
  @Override
  public void close() {
    try {
      abortFile();
      commit();
    } finally {
      env.close();
    }
  }
}
