package io.msixpool.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.msixpool.domain.Emulation;
import io.msixpool.domain.ResetKind;
import io.msixpool.domain.command.ArmReset;
import io.msixpool.domain.command.AssignVectors;
import io.msixpool.domain.command.CloseVf;
import io.msixpool.domain.command.OpenPf;
import io.msixpool.domain.command.ProvisionPf;
import io.msixpool.domain.command.Reclaim;
import io.msixpool.domain.command.ReleaseVectors;
import io.msixpool.domain.state.DeviceState;
import io.msixpool.replay.audit.ChainedLog;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A point inside a decision takes the whole decision: the state between its events was never committed. */
class PointInTimeTest {
    private static final String D = "bf3-a";

    private static DeviceState at(List<String> lines, long position, String device) {
        PointInTime point = PointInTime.atPosition(position, null);
        for (String line : lines) {
            if (!point.accept(EventLogFormat.read(line))) {
                break;
            }
        }
        return point.devices().getOrDefault(device, DeviceState.EMPTY);
    }

    private static DeviceState after(ChainedLog log, String device) {
        return log.state(device);
    }

    @Test
    void aPointInsideADecisionTakesItsRestAndNothingAfter() {
        ChainedLog upTo = new ChainedLog();
        ChainedLog log = new ChainedLog();
        var setUp = List.of(new ProvisionPf(D, "nvme0", Emulation.NVME, 4, 64, 2, 32, null),
                new ProvisionPf(D, "vblk1", Emulation.VIRTIO_BLK, 2, 16, 1, 8, null),
                new OpenPf(D, "nvme0", true, null), new Reclaim(D, "nvme0", null));
        setUp.forEach(command -> {
            upTo.decide(command);
            log.decide(command);
        });
        // positions: 1-6 set-up, 7 VectorsAssigned, 8 VfOpened, 9-10 VfClosed + VectorsReleased,
        // 11 VectorsAssigned, 12 VfOpened, 13 VfClosed (CloseVf), 14 ArmRebooted, 15-16 defaults
        log.decide(new AssignVectors(D, "nvme0", 0, 12, null), new ReleaseVectors(D, "nvme0", 0, null),
                new AssignVectors(D, "nvme0", 1, 8, null), new CloseVf(D, "nvme0", 1, null),
                new ArmReset(D, ResetKind.FE_RESET, null));
        List<String> lines = log.lines();
        assertEquals(16, lines.size());

        upTo.decide(new AssignVectors(D, "nvme0", 0, 12, null));
        assertEquals(after(upTo, D), at(lines, 7, D), "VectorsAssigned takes its VfOpened");
        upTo.decide(new ReleaseVectors(D, "nvme0", 0, null));
        assertEquals(after(upTo, D), at(lines, 9, D), "VfClosed takes the VectorsReleased of its release");
        upTo.decide(new AssignVectors(D, "nvme0", 1, 8, null), new CloseVf(D, "nvme0", 1, null));
        assertEquals(after(upTo, D), at(lines, 13, D), "a CloseVf ends at its VfClosed: the reboot is not taken");
        upTo.decide(new ArmReset(D, ResetKind.FE_RESET, null));
        assertEquals(after(upTo, D), at(lines, 14, D), "a reboot takes the default of every PF");
        assertEquals(after(log, D), at(lines, 16, D));
    }

    @Test
    void aBrokenLineStopsTheFoldOnlyWhenTheFoldReachesIt() {
        List<String> lines = new ArrayList<>(new ChainedLog()
                .decide(new ProvisionPf(D, "nvme0", Emulation.NVME, 4, 64, 2, 32, null),
                        new OpenPf(D, "nvme0", true, null)).lines());
        lines.add("{\"type\":\"VfOpened\",");  // line 4, parsed in the same batch as the others
        byte[] log = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);

        PointInTime beforeIt = PointInTime.atPosition(2, null);
        beforeIt.fold(new LogLines.Bytes(new ByteArrayInputStream(log)), (read, chars) -> { });
        assertEquals(2, beforeIt.events());

        PointInTime throughIt = PointInTime.atEnd(null);
        IllegalArgumentException stopped = assertThrows(IllegalArgumentException.class,
                () -> throughIt.fold(new LogLines.Bytes(new ByteArrayInputStream(log)), (read, chars) -> { }));
        assertEquals(true, stopped.getMessage().startsWith("line 4 is not an event"), stopped.getMessage());
        assertEquals(3, throughIt.events());
    }
}
