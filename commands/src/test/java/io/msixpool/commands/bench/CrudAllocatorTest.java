package io.msixpool.commands.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.msixpool.commands.engine.Engine;
import io.msixpool.commands.store.JdbcTransactions;
import io.msixpool.commands.store.StoreLocation;
import io.msixpool.commands.wire.Outcome;
import io.msixpool.domain.command.DeviceCommand;
import io.msixpool.fixtures.Workload;
import io.msixpool.fixtures.WorkloadShape;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's CRUD contender is only a fair comparison if it decides exactly like the engine:
 * the same stream must give the same outcome for every command, and the same pools at the end.
 */
class CrudAllocatorTest {
    @TempDir
    Path dir;

    @Test
    void theCrudAllocatorDecidesEveryCommandAsTheEngineDoes() throws Exception {
        List<DeviceCommand> stream = Workload.generate(11, WorkloadShape.small(4), 1_500);
        int accepted = 0;
        int rejected = 0;
        try (Contender engine = Contenders.engine(StoreLocation.parse(dir.resolve("engine").toString()));
             Contender crud = Contenders.crud(StoreLocation.parse(dir.resolve("crud").toString()))) {
            for (int i = 0; i < stream.size(); i++) {
                Outcome expected = engine.decide(stream.get(i));
                Outcome actual = crud.decide(stream.get(i));
                assertEquals(expected.toJsonLine(), actual.toJsonLine(), "command " + i + ": " + stream.get(i));
                accepted += expected instanceof Outcome.Accepted ? 1 : 0;
                rejected += expected instanceof Outcome.Rejected ? 1 : 0;
            }
        }
        assertTrue(accepted > 500 && rejected > 50, accepted + " accepted, " + rejected + " rejected: the stream "
                + "must exercise both paths");
        try (Engine engine = Engine.open(StoreLocation.parse(dir.resolve("engine").toString()));
             HikariDataSource rows = StoreLocation.parse(dir.resolve("crud").toString()).open(StoreLocation.Access.WRITE)) {
            // Pools after the stream: the CRUD rows must hold what the engine's fold holds.
            CrudAllocator crud = new CrudAllocator(new JdbcTransactions(rows, null), true);
            for (String device : stream.stream().map(DeviceCommand::device).distinct().toList()) {
                assertEquals(engine.pool(device).map(view -> view.pfs()).orElse(List.of()), crud.pools(device),
                        "pools of " + device);
            }
        }
    }
}
