package io.msixpool.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.domain.event.PfOpened;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An exported line of an older revision reads as the current record, through the same steps the engine uses. */
class UpcastersTest {
    /** Revision 0 of PfOpened predates dynamicMsix: every PF was opened with dynamic MSI-X then. */
    static final Upcast PF_OPENED_0_TO_1 = new Upcast("PfOpened", "0", "1", json -> json.put("dynamicMsix", true));

    private static final String REVISION_0_LINE = "{\"type\":\"PfOpened\",\"device\":\"bf3-a\",\"pf\":\"nvme0\","
            + "\"envelope\":{\"position\":3,\"sequence\":2,\"timestamp\":\"2026-11-22T03:12:07.118Z\",\"commandId\":null,"
            + "\"actor\":\"cli:ops\",\"revision\":\"0\",\"prev\":\"" + "ab".repeat(32) + "\",\"hash\":\"" + "cd".repeat(32) + "\"}}";

    @Test
    void aLineOfAnOlderRevisionIsReadUpcastKeepingItsChainLinks() {
        LoggedEvent read = EventLogFormat.read(EventLogFormat.parse(REVISION_0_LINE), new Upcasters(List.of(PF_OPENED_0_TO_1)));

        assertEquals(new PfOpened("bf3-a", "nvme0", true), read.event());
        assertEquals("1", read.envelope().revision(), "what was read is the current revision");
        assertEquals("cd".repeat(32), read.envelope().hash(), "the hash stays the stored line's");
    }

    @Test
    void aLineOfAnOlderRevisionWithoutItsUpcasterIsRefusedNotReadWithDefaults() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> EventLogFormat.read(REVISION_0_LINE));
        assertTrue(refused.getCause().getMessage().contains("PfOpened revision 0"), refused.getCause().getMessage());
    }

    @Test
    void aLineLackingAFieldOfItsRevisionIsRefused() {
        String lacking = REVISION_0_LINE.replace("\"revision\":\"0\"", "\"revision\":\"1\"");
        assertThrows(IllegalArgumentException.class, () -> EventLogFormat.read(lacking));
    }

    @Test
    void theCurrentRevisionOfATypeIsItsRecordsRevision() {
        assertEquals("1", Upcasters.currentRevision("PfOpened"));
        assertEquals(null, Upcasters.currentRevision("Nope"));
        ObjectNode current = EventLogFormat.parse("{\"type\":\"PfOpened\",\"device\":\"d\",\"pf\":\"p\",\"dynamicMsix\":false}");
        assertEquals(current, new Upcasters(List.of(PF_OPENED_0_TO_1)).upcast(current, "1"), "a current event is not touched");
    }
}
