package io.msixpool.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.msixpool.domain.state.Invariants;
import io.msixpool.domain.state.PfState;
import io.msixpool.domain.state.VfState;
import io.msixpool.domain.state.Violation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each invariant of docs/rules.md is detected when, and only when, a state breaks it. */
class InvariantsTest {

    private static PfState pf(int free, boolean open, int numVfs, VfState... vfs) {
        return new PfState("nvme0", Emulation.NVME, vfs.length, 64, 2, 32, free, open, open, numVfs, List.of(vfs));
    }

    private static void assertOnly(String invariant, PfState state) {
        List<Violation> found = Invariants.violations(state);
        assertEquals(1, found.size(), found.toString());
        assertEquals(invariant, found.get(0).invariant(), found.toString());
    }

    @Test
    void aConsistentPoolBreaksNothing() {
        assertEquals(List.of(), Invariants.violations(pf(48, true, 2, new VfState(0, 16, true), new VfState(1, 0, false))));
    }

    @Test
    void i1FreePlusLinkedMustEqualTotal() {
        assertOnly("I1", pf(47, true, 0, new VfState(0, 16, false), new VfState(1, 0, false)));
    }

    @Test
    void i1FreeMustNotBeNegative() {
        PfState overdrawn = new PfState("nvme0", Emulation.NVME, 3, 64, 2, 32, -8, false, false, 0,
                List.of(new VfState(0, 32, false), new VfState(1, 32, false), new VfState(2, 8, false)));
        assertOnly("I1", overdrawn);
    }

    @Test
    void i2LinkedVectorsMustBeZeroOrWithinBounds() {
        assertOnly("I2", pf(31, false, 0, new VfState(0, 33, false), new VfState(1, 0, false)));
        assertOnly("I2", pf(63, false, 0, new VfState(0, 1, false), new VfState(1, 0, false)));
    }

    @Test
    void i3AnOpenVfNeedsVectors() {
        assertOnly("I3", pf(64, true, 0, new VfState(0, 0, true), new VfState(1, 0, false)));
    }

    @Test
    void i4AnOpenVfNeedsAnOpenPf() {
        assertOnly("I4", pf(48, false, 0, new VfState(0, 16, true), new VfState(1, 0, false)));
    }

    @Test
    void i5NumVfsMustStayWithinVfCount() {
        assertOnly("I5", pf(64, false, 3, new VfState(0, 0, false), new VfState(1, 0, false)));
        assertOnly("I5", pf(64, false, -1, new VfState(0, 0, false), new VfState(1, 0, false)));
    }
}
