package io.msixpool.commands.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.msixpool.commands.store.StoreLocation;
import io.msixpool.commands.support.TestStores;
import io.msixpool.domain.Emulation;
import io.msixpool.domain.command.ProvisionPf;
import io.msixpool.projections.fleet.Fleet;
import io.msixpool.projections.fleet.PfSummary;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A fleet processor's batch that ends inside a commit (here: a ProvisionPf's PfProvisioned without
 * its DefaultDistributionApplied, both stored) hands nothing on for that device; the next batch,
 * which reaches the end of the commit, hands on one change per PF from the first state to the last.
 * FleetHttpTest's watch once got the PF of an AssignVectors with its vectors but without its open VF.
 */
class WholeCommitsTest {
    @ParameterizedTest
    @MethodSource("io.msixpool.commands.support.TestStores#both")
    void aBatchEndingInsideACommitIsHeldBackUntilTheCommitsEnd(TestStores.Kind kind) {
        try (Engine engine = Engine.open(StoreLocation.parse(TestStores.fresh(kind)))) {
            engine.send(new ProvisionPf("wc-a", "nvme0", Emulation.NVME, 4, 64, 2, 32), "test"); // sequences 0 and 1
            WholeCommits whole = new WholeCommits(engine.transactions());
            PfSummary provisioned = summary(0);
            PfSummary distributed = summary(64);

            whole.applied("wc-a", 0);
            assertEquals(List.of(), whole.ready(List.of(new Fleet.Change(null, provisioned))), "inside the commit");
            whole.applied("wc-a", 1);
            assertEquals(List.of(new Fleet.Change(null, distributed)),
                    whole.ready(List.of(new Fleet.Change(provisioned, distributed))), "the whole commit, once");
            assertEquals(List.of(new Fleet.Change(distributed, provisioned)),
                    whole.ready(List.of(new Fleet.Change(distributed, provisioned))), "nothing kept back any more");
        }
    }

    private static PfSummary summary(int linked) {
        return new PfSummary("wc-a", "nvme0", Emulation.NVME, false, false, 64, 64 - linked, linked, linked, 4, 0);
    }
}
