package io.msixpool.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import io.msixpool.domain.Emulation;
import io.msixpool.domain.ResetKind;
import io.msixpool.domain.event.ArmRebooted;
import io.msixpool.domain.event.DefaultDistributionApplied;
import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.domain.event.NumVfsChanged;
import io.msixpool.domain.event.PfClosed;
import io.msixpool.domain.event.PfOpened;
import io.msixpool.domain.event.PfProvisioned;
import io.msixpool.domain.event.ReclaimedVf;
import io.msixpool.domain.event.VectorsAssigned;
import io.msixpool.domain.event.VectorsReclaimed;
import io.msixpool.domain.event.VectorsReleased;
import io.msixpool.domain.event.VfClosed;
import io.msixpool.domain.event.VfOpened;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The direct reader is a fast path of Jackson's binding, never a second meaning: for every event
 * type it gives the very records the binding gives, and it steps aside (null) for every line it
 * is not sure of, which the binding then reads or refuses.
 */
class DirectLineReaderTest {
    private static final List<DeviceEvent> ONE_OF_EACH = List.of(
            new PfProvisioned("bf3-a", "nvme0", Emulation.NVME, 128, 2048, 2, 64),
            new DefaultDistributionApplied("bf3-a", "nvme0", 16),
            new PfOpened("bf3-a", "nvme0", true),
            new PfOpened("bf3-a", "vblk1", false),
            new PfClosed("bf3-a", "nvme0"),
            new NumVfsChanged("bf3-a", "nvme0", 0, 12),
            new VectorsReclaimed("bf3-a", "nvme0", List.of(new ReclaimedVf(0, 16), new ReclaimedVf(7, 9)), 25),
            new VectorsReclaimed("bf3-a", "nvme0", List.of(), 0),
            new VectorsAssigned("bf3-a", "nvme0", 3, 12),
            new VectorsReleased("bf3-a", "nvme0", 3, 12),
            new VfOpened("bf3-a", "nvme0", 127),
            new VfClosed("bf3-a", "nvme0", 0),
            new ArmRebooted("bf3-a", ResetKind.COLD_BOOT));

    private static String line(DeviceEvent event, String commandId) {
        Envelope envelope = new Envelope(9_000_000_001L, 41, Instant.parse("2026-11-22T03:12:07.118Z"), commandId,
                "svc:orchestrator", "1", Chain.GENESIS, "ab".repeat(32));
        return EventLogFormat.write(new LoggedEvent(event, envelope));
    }

    @Test
    void everyEventTypeReadsDirectlyToWhatTheBindingReads() {
        for (DeviceEvent event : ONE_OF_EACH) {
            for (String commandId : Arrays.asList("vm-0042", null)) {
                String line = line(event, commandId);
                LoggedEvent direct = DirectLineReader.read(line);
                assertNotNull(direct, "read directly: " + line);
                assertEquals(EventLogFormat.read(EventLogFormat.parse(line), Upcasters.CURRENT), direct, line);
                assertEquals(event, direct.event());
            }
        }
        Set<String> covered = ONE_OF_EACH.stream().map(e -> e.getClass().getSimpleName()).collect(Collectors.toSet());
        Set<String> all = Arrays.stream(DeviceEvent.class.getAnnotation(JsonSubTypes.class).value())
                .map(type -> type.value().getSimpleName()).collect(Collectors.toSet());
        assertEquals(all, covered, "a new event type needs its example here (and its case in DirectLineReader)");
    }

    @Test
    void anyLineItIsNotSureOfIsLeftToTheBinding() {
        String assigned = line(new VectorsAssigned("bf3-a", "nvme0", 3, 12), "vm-1");
        String reclaimed = line(new VectorsReclaimed("bf3-a", "nvme0", List.of(new ReclaimedVf(0, 16)), 16), null);
        List<String> notPlain = List.of(
                assigned.replace("\"msix\":12,", ""),                              // a field missing
                assigned.replace("\"msix\":12", "\"msix\":12,\"msix\":13"),        // repeated
                assigned.replace("\"msix\":12", "\"msix\":12,\"note\":\"x\""),     // unknown
                assigned.replace("\"msix\":12", "\"msix\":\"12\""),                // a string for an int
                assigned.replace("\"msix\":12", "\"msix\":12.0"),                  // a fraction
                assigned.replace("\"msix\":12", "\"msix\":4294967296"),            // beyond int
                assigned.replace("\"pf\":\"nvme0\"", "\"pf\":null"),
                assigned.replace("\"revision\":\"1\"", "\"revision\":\"0\""),      // an older revision: upcasters
                assigned.replace("\"revision\":\"1\"", "\"revision\":null"),
                assigned.replace(".118Z", "Z"),                                     // another timestamp form
                assigned.replace("\"actor\":\"svc:orchestrator\",", ""),           // envelope field missing
                assigned.replace("\"hash\":", "\"more\":1,\"hash\":"),
                assigned + " {}",                                                   // trailing content
                assigned.replace("VectorsAssigned", "VectorsAssignedLater"),
                reclaimed.replace("{\"vf\":0,\"msix\":16}", "{\"vf\":0}"),
                reclaimed.replace("{\"vf\":0,\"msix\":16}", "{\"vf\":0,\"msix\":16,\"vf\":1}"),
                "[]", "", "{");
        for (String line : notPlain) {
            assertNull(DirectLineReader.read(line), line);
        }
        // The reference refuses them too: a string for an int, a fraction, null for a flag.
        for (String line : List.of(notPlain.get(3), notPlain.get(4), assigned.replace("\"pf\":\"nvme0\"", "\"pf\":null"),
                line(new PfOpened("bf3-a", "nvme0", true), "c").replace("true", "null"))) {
            assertThrows(IllegalArgumentException.class, () -> EventLogFormat.read(line), line);
        }
    }

    @Test
    void timestampsAreReadAsInstantParseReadsThemOrLeftToTheReference() {
        for (String time : List.of("2026-11-22T03:12:07.118Z", "2024-02-29T23:59:59.999Z", "1970-01-01T00:00:00.000Z",
                "1969-12-31T23:59:59.999Z", "2000-12-31T00:00:00.001Z")) {
            assertEquals(Instant.parse(time), DirectLineReader.timestamp(time), time);
            // and as the reference binding reads the same line
            String line = line(new PfClosed("bf3-a", "nvme0"), null).replace("2026-11-22T03:12:07.118Z", time);
            assertEquals(EventLogFormat.read(EventLogFormat.parse(line), Upcasters.CURRENT), DirectLineReader.read(line));
        }
        for (String time : List.of("2026-02-29T00:00:00.000Z", "2026-11-22T24:00:00.000Z", "2026-11-22T03:60:07.118Z",
                "2026-11-22T03:12:07Z", "2026-11-22T03:12:07.118+01:00", "2026-1x-22T03:12:07.118Z",
                "2026-11-22 03:12:07.118Z", "2026-13-22T03:12:07.118Z", "0000-01-01T00:00:00.000Z")) {
            assertNull(DirectLineReader.timestamp(time), time);
        }
    }

    @Test
    void aBatchOfLinesReadsInOneGoAsLineByLineOrNotAtAll() {
        List<String> lines = ONE_OF_EACH.stream().map(event -> line(event, "c-1")).toList();
        assertEquals(lines.stream().map(EventLogFormat::read).toList(), readLines("\n" + String.join("\n", lines) + "\n\n"),
                "blank lines are skipped");
        String first = lines.get(0);
        String second = lines.get(1);
        for (String notOneObjectALine : List.of(
                first + second + "\n",                                             // two objects on one line
                first.replace(",\"envelope\"", ",\n\"envelope\"") + "\n",         // one object over two lines
                first + "\n" + second.replace("\"msixPerVf\"", "\"perVf\"") + "\n",  // one line not plain
                first + "\n42\n",
                first + "\r" + second + "\n",                                      // a bare CR: a line end to Jackson only
                first + " junk\n")) {
            assertNull(readLines(notOneObjectALine), notOneObjectALine);
        }
    }

    private static List<LoggedEvent> readLines(String text) {
        byte[] bytes = ("xx" + text + "yy").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return DirectLineReader.readLines(bytes, 2, bytes.length - 2);
    }
}
