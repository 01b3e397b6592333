package io.msixpool.commands.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.msixpool.commands.engine.Engine;
import io.msixpool.commands.store.JdbcTransactions;
import io.msixpool.commands.store.StoreLocation;
import io.msixpool.commands.wire.Outcome;
import io.msixpool.domain.command.DeviceCommand;
import java.nio.file.Path;

/** The three contenders of issue 6, each on a store of the same type. */
final class Contenders {
    private Contenders() {
    }

    /** msix-pool in-process: the engine's group commit, as msix serve decides. */
    static Contender engine(StoreLocation store) {
        Engine engine = Engine.open(store);
        return new Contender() {
            public String name() {
                return "engine";
            }

            public Outcome decide(DeviceCommand command) {
                return engine.submitGrouped(command, "bench").join();
            }

            public void close() {
                engine.close();
            }
        };
    }

    /**
     * The engine while it signs checkpoints beside its commits, as in msix serve (issue 13: signing
     * may cost the engine at most 10%).
     */
    static Contender signing(StoreLocation store) {
        Engine engine = Engine.open(store);
        try {
            BenchKey.keepCheckpoints(engine, store);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        return new Contender() {
            public String name() {
                return "signing";
            }

            public Outcome decide(DeviceCommand command) {
                return engine.submitGrouped(command, "bench").join();
            }

            public void close() {
                engine.close();
            }
        };
    }

    /** msix-pool behind its HTTP bus on loopback, a real HTTP client per call. */
    static Contender http(StoreLocation store, Path tokensDir) throws Exception {
        LocalBus bus = LocalBus.start(store, tokensDir);
        return new Contender() {
            public String name() {
                return "http";
            }

            public Outcome decide(DeviceCommand command) throws Exception {
                return bus.decide(command);
            }

            public void close() {
                bus.close();
            }
        };
    }

    /** The in-place CRUD allocator, with the same durability per commit as the engine on that store. */
    static Contender crud(StoreLocation store) {
        HikariDataSource dataSource = store.open(StoreLocation.Access.WRITE);
        // The embedded store's write transactions begin IMMEDIATE: each holds the whole store.
        CrudAllocator crud = new CrudAllocator(new JdbcTransactions(dataSource, store.probeBeforeCommit()),
                store instanceof StoreLocation.Embedded);
        return new Contender() {
            public String name() {
                return "crud";
            }

            public Outcome decide(DeviceCommand command) throws Exception {
                return crud.decide(command);
            }

            public void close() {
                dataSource.close();
            }
        };
    }
}
