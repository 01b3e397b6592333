package io.msixpool.projections.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.msixpool.domain.Emulation;
import io.msixpool.domain.ResetKind;
import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.fixtures.History;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fleet's order, paging, ranking and folding, on histories built through the real rules. */
class FleetTest {

    @Test
    void pfsAreOrderedByDeviceThenPfEvenWhenOneDeviceIdStartsAnother() {
        Fleet fleet = new Fleet();
        take(fleet, History.of("a.b").provisioned("x", 2, 32));
        take(fleet, History.of("a").provisioned("y", 2, 32).provisioned("x", 2, 32));
        assertEquals(List.of("a/x", "a/y", "a.b/x"), keys(fleet.page(FleetFilter.ALL, null, 10)));

        Fleet.Page first = fleet.page(FleetFilter.ALL, null, 2);
        assertEquals(new PfKey("a", "y"), first.next());
        Fleet.Page second = fleet.page(FleetFilter.ALL, first.next(), 2);
        assertEquals(List.of("a.b/x"), keys(second));
        assertNull(second.next(), "no next after the last page");
        assertNull(fleet.page(FleetFilter.ALL, null, 3).next(), "a page that holds the rest has no next");
    }

    @Test
    void placementsAreBestFitThenFewestStrandedThenInOrder() {
        Fleet fleet = new Fleet();
        take(fleet, History.of("d1").provisioned("p", 4, 64).openedAndReclaimed("p")
                .assigned("p", 0, 8).vfClosed("p", 0));                  // 56 free, 8 stranded
        take(fleet, History.of("d2").provisioned("p", 4, 64).openedAndReclaimed("p")
                .assigned("p", 0, 8));                                    // 56 free, none stranded
        take(fleet, History.of("d3").provisioned("p", 8, 128).openedAndReclaimed("p")); // 128 free
        take(fleet, History.of("d0").provisioned("p", 2, 32).openedAndReclaimed("p")); // 32 free, fits 16
        take(fleet, History.of("dx").provisioned("p", 2, 32).opened("p"));               // open, but nothing free

        List<Placement> placements = fleet.placements(null, 16, 10);
        assertEquals(List.of("d0/p", "d2/p", "d1/p", "d3/p"),
                placements.stream().map(p -> p.device() + "/" + p.pf()).toList());
        assertEquals(1, placements.get(2).vf(), "d1's VF 0 is closed but still holds its vectors: VF 1 is offered");
        assertEquals(List.of("d0/p", "d2/p"), fleet.placements(Emulation.NVME, 16, 2).stream()
                .map(p -> p.device() + "/" + p.pf()).toList());
        assertEquals(List.of(), fleet.placements(Emulation.VIRTIO_BLK, 16, 10));
        assertEquals(List.of(), fleet.placements(null, 33, 10), "the rules refuse 33 everywhere: vfMaxMsix is 32");
        assertEquals(List.of("d0/p", "d2/p", "d1/p", "d3/p"), fleet.placements(null, 32, 10).stream()
                .map(p -> p.device() + "/" + p.pf()).toList(), "a pool that fits exactly fits best");
    }

    @Test
    void anEventIsTakenOnceAndAnArmResetChangesEveryPf() {
        Fleet fleet = new Fleet();
        History history = History.of("r").provisioned("p0", 2, 32).provisioned("p1", 2, 32).openedAndReclaimed("p0");
        take(fleet, history);
        List<DeviceEvent> events = history.events();
        assertTrue(fleet.apply(events.get(events.size() - 1), events.size() - 1).isEmpty(), "an event taken already");

        List<DeviceEvent> reset = history.armReset(ResetKind.FE_RESET).events();
        List<Fleet.Change> changes = List.of();
        for (int sequence = events.size(); sequence < reset.size(); sequence++) {
            changes = fleet.apply(reset.get(sequence), sequence);
            if (sequence == events.size()) {
                assertEquals(2, changes.size(), "ArmRebooted changes both PFs");
                assertTrue(changes.get(0).before().open() && !changes.get(0).after().open(), changes.toString());
            }
        }
        assertEquals(reset.size() - 1, fleet.sequenceOf("r"));
        assertEquals(32, fleet.page(FleetFilter.ALL, null, 10).pools().get(0).msixLinked(), "links back to the even default");
    }

    private static void take(Fleet fleet, History history) {
        List<DeviceEvent> events = history.events();
        for (int sequence = 0; sequence < events.size(); sequence++) {
            fleet.apply(events.get(sequence), sequence);
        }
    }

    private static List<String> keys(Fleet.Page page) {
        return page.pools().stream().map(pf -> pf.key().toString()).toList();
    }
}
