package io.msixpool.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.domain.state.PfState;
import io.msixpool.domain.state.VfState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A PF's linked and stranded vectors (docs/wire.md "Pool view"): stranded ones are held by VFs whose
 * controller is not open; both are written in the PF's JSON right after msixFree and ignored when a
 * PF is read back (a snapshot), since the VFs are their truth.
 */
class StrandedVectorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PfState POOL = new PfState("nvme0", Emulation.NVME, 4, 64, 2, 32, 24, true, true, 4, List.of(
            new VfState(0, 0, false), new VfState(1, 16, true), new VfState(2, 12, false), new VfState(3, 12, false)));

    @Test
    void strandedVectorsAreThoseOfVfsWhoseControllerIsNotOpen() {
        assertEquals(40, POOL.msixLinked());
        assertEquals(24, POOL.msixStranded());
    }

    @Test
    void theCountsFollowMsixFreeInTheJsonAndAreIgnoredWhenReadBack() throws Exception {
        String json = JSON.writeValueAsString(POOL);
        assertEquals(List.of("pf", "emulation", "vfCount", "msixTotal", "vfMinMsix", "vfMaxMsix", "msixFree", "msixLinked",
                "msixStranded", "open", "dynamicMsix", "numVfs", "vfs"), fieldNames((ObjectNode) JSON.readTree(json)));
        assertEquals(POOL, JSON.readValue(json, PfState.class));
        ObjectNode lying = (ObjectNode) JSON.readTree(json);
        lying.put("msixStranded", 999);
        assertEquals(24, JSON.treeToValue(lying, PfState.class).msixStranded(), "derived, never taken from the JSON");
    }

    private static List<String> fieldNames(ObjectNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
