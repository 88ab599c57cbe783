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
 */
public final class DatasetWriter implements AutoCloseable {
  private final Env<byte[]> env;
  private final Dbi<byte[]> db;
  private Txn<byte[]> batch;
  private Txn<byte[]> file;
  private long nextId;
  private long fileStartId;
  private long committedId;

  private DatasetWriter(Env<byte[]> env, Dbi<byte[]> db, long nextId) {
    this.env = env;
    this.db = db;
    this.nextId = nextId;
    this.committedId = nextId;
  }

  /** Opens (creating if needed) the database in {@code dir}, continuing after id {@code lastId}. */
  public static DatasetWriter open(Path dir, long mapSizeBytes, long lastId) {
    Env<byte[]> env = Lmdb.openWritable(dir, mapSizeBytes);
    try {
      return new DatasetWriter(env, env.openDbi((byte[]) null, DbiFlags.MDB_CREATE), lastId + 1);
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
  }

  public void putInFile(DatasetRecord record) {
    if (file == null) {
      throw new IllegalStateException("no file open");
    }
    put(file, record);
  }

  public void commitFile() {
    file.commit();
    file.close();
    file = null;
  }

  /** Drops every record of the current file; their ids are reused. */
  public void abortFile() {
    if (file != null) {
      file.abort();
      file.close();
      file = null;
      nextId = fileStartId;
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

  private void put(Txn<byte[]> txn, DatasetRecord record) {
    db.put(txn, RecordKeys.key(nextId), AudioExampleCodec.encode(record));
    nextId++;
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
