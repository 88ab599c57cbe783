package org.jrave.data;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.lmdbjava.ByteBufferProxy;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;

/** Opens LMDB environments the way RAVE's databases are laid out: a folder with data.mdb. */
final class Lmdb {
  static final String DATA_FILE = "data.mdb";

  private Lmdb() {}

  static Env<ByteBuffer> openReadOnly(Path dir) {
    // The safe proxy needs no --add-opens flags; the copy it costs is negligible next to decoding.
    return Env.create(ByteBufferProxy.PROXY_SAFE)
        .setMaxReaders(512)
        .open(dir.toFile(), EnvFlags.MDB_RDONLY_ENV, EnvFlags.MDB_NOTLS, EnvFlags.MDB_NORDAHEAD);
  }

  static Env<ByteBuffer> openWritable(Path dir, long mapSizeBytes) {
    // No MDB_WRITEMAP / MDB_NOSYNC: every committed transaction is durable and complete, so an
    // interrupted run always leaves a consistent database.
    return Env.create(ByteBufferProxy.PROXY_SAFE).setMapSize(mapSizeBytes).setMaxReaders(512).open(dir.toFile());
  }

  static ByteBuffer direct(byte[] bytes) {
    ByteBuffer b = ByteBuffer.allocateDirect(bytes.length);
    b.put(bytes).flip();
    return b;
  }
}
