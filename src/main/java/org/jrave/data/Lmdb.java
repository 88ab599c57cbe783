package org.jrave.data;

import java.nio.file.Path;
import org.lmdbjava.ByteArrayProxy;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;

/** Opens LMDB environments the way RAVE's databases are laid out: a folder with data.mdb. */
final class Lmdb {
  static final String DATA_FILE = "data.mdb";

  private Lmdb() {}

  static Env<byte[]> openReadOnly(Path dir) {
    // byte[] keys and values: lmdbjava's ByteBuffer proxies need --add-opens java.base/java.nio on
    // current JDKs; the copy a byte[] costs is negligible next to decoding audio.
    return Env.create(ByteArrayProxy.PROXY_BA)
        .setMaxReaders(512)
        .open(dir.toFile(), EnvFlags.MDB_RDONLY_ENV, EnvFlags.MDB_NOTLS, EnvFlags.MDB_NORDAHEAD);
  }

  static Env<byte[]> openWritable(Path dir, long mapSizeBytes) {
    // No MDB_WRITEMAP / MDB_NOSYNC: every committed transaction is durable and complete, so an
    // interrupted run always leaves a consistent database.
    return Env.create(ByteArrayProxy.PROXY_BA).setMapSize(mapSizeBytes).setMaxReaders(512).open(dir.toFile());
  }

}
