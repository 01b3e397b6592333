package io.msixpool.projections;

import static io.msixpool.fixtures.Fixed.DEVICE;
import static io.msixpool.fixtures.Fixed.NVME0;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.msixpool.domain.state.DeviceState;
import io.msixpool.fixtures.History;
import org.junit.jupiter.api.Test;

/** Read side: given events, then the view, in docs/wire.md's exact JSON. */
class PoolViewTest {

    @Test
    void theViewOfWireMdsExampleHistoryIsWireMdsExampleView() throws Exception {
        History history = History.of(DEVICE).provisioned(NVME0, 4, 64).openedAndReclaimed(NVME0)
                .assigned(NVME0, 2, 12).assigned(NVME0, 3, 12).vfClosed(NVME0, 3);

        String json = new ObjectMapper().writeValueAsString(PoolView.of(DeviceState.replay(history.events())));

        assertEquals("{\"device\":\"bf3-a\",\"pfs\":["
                + "{\"pf\":\"nvme0\",\"emulation\":\"NVME\",\"vfCount\":4,\"msixTotal\":64,\"vfMinMsix\":2,\"vfMaxMsix\":32,"
                + "\"msixFree\":40,\"msixLinked\":24,\"msixStranded\":12,\"open\":true,\"dynamicMsix\":true,\"numVfs\":0,"
                + "\"vfs\":[{\"vf\":0,\"msix\":0,\"open\":false},{\"vf\":1,\"msix\":0,\"open\":false},"
                + "{\"vf\":2,\"msix\":12,\"open\":true},{\"vf\":3,\"msix\":12,\"open\":false}]}]}", json);
    }

    @Test
    void pfsAreListedInStringOrderWhateverTheOrderTheyWereProvisionedIn() {
        History history = History.of(DEVICE).provisioned("vblk0", 2, 8).provisioned("nvme1", 2, 8)
                .provisioned("A9", 2, 8).provisioned(NVME0, 2, 8);

        PoolView view = PoolView.of(DeviceState.replay(history.events()));

        assertEquals(java.util.List.of("A9", "nvme0", "nvme1", "vblk0"),
                view.pfs().stream().map(pf -> pf.pf()).toList());
    }
}
