package io.msixpool.commands.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** A writer's connection pool that releases the store's writer lock once its connections are closed. */
final class LockedPool extends HikariDataSource {
    private final WriterLock lock;

    LockedPool(HikariConfig config, WriterLock lock) {
        super(config);
        this.lock = lock;
    }

    @Override
    public void close() {
        try {
            super.close();
        } finally {
            lock.release();
        }
    }
}
