package io.msixpool.commands.bench;

import io.msixpool.commands.engine.Engine;
import io.msixpool.commands.engine.LogCheckpoints;
import io.msixpool.commands.http.SigningKeyFile;
import io.msixpool.commands.store.StoreLocation;
import io.msixpool.replay.merkle.Checkpoint;
import io.msixpool.replay.merkle.NoteKey;
import java.nio.file.Path;

/**
 * The key the bench signs checkpoints with, as {@code msix serve} would: an embedded store's own
 * {@code STORE/checkpoint.key} (made where missing), so that a bench on a copy of a real store
 * goes on with its checkpoints; on PostgreSQL, whose database the bench's runs share, one fixed
 * key, published here and so worth nothing as a secret: it signs benchmark data only.
 */
final class BenchKey {
    private static final NoteKey SHARED_STORES = NoteKey.parsePrivate(
            "PRIVATE+KEY+msix-bench/not-secret+ce04713c+AT/h06aVq5jGdrXsj2VPaAf+3LCwIQQ0r37An0BMfHfN");

    private BenchKey() {
    }

    /**
     * Makes {@code engine} sign checkpoints as msix serve does, and covers what the store holds now
     * before returning: a run on a shared database must not measure the signing of earlier runs' events.
     */
    static void keepCheckpoints(Engine engine, StoreLocation store) {
        LogCheckpoints checkpoints = engine.keepCheckpoints(of(store));
        while (checkpoints.advance() > 0) {
            // the earlier runs' events, 50,000 a round
        }
    }

    static NoteKey of(StoreLocation store) {
        if (store instanceof StoreLocation.Embedded embedded) {
            Path file = embedded.directory().resolve(SigningKeyFile.IN_STORE);
            return SigningKeyFile.create(file, Checkpoint.randomOrigin()).orElseGet(() -> SigningKeyFile.read(file));
        }
        return SHARED_STORES;
    }
}
