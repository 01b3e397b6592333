package io.msixpool.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.msixpool.domain.CommandDigest;
import io.msixpool.domain.DeviceRules;
import io.msixpool.domain.Emulation;
import io.msixpool.domain.ResetKind;
import io.msixpool.domain.command.ArmReset;
import io.msixpool.domain.command.AssignVectors;
import io.msixpool.domain.command.ClosePf;
import io.msixpool.domain.command.CloseVf;
import io.msixpool.domain.command.DeviceCommand;
import io.msixpool.domain.command.OpenPf;
import io.msixpool.domain.command.OpenVf;
import io.msixpool.domain.command.ProvisionPf;
import io.msixpool.domain.command.Reclaim;
import io.msixpool.domain.command.ReleaseVectors;
import io.msixpool.domain.command.SetNumVfs;
import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.domain.state.DeviceState;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link DecisionCheck#commandOf}: from the events a decision recorded, the command it was made for,
 * digested as the engine digested the command it was sent (what msix import stores for retries).
 */
class DecisionCheckTest {
    private static final String D = "bf3-a";

    @Test
    void everyKindOfDecisionGivesBackItsCommandsDigest() {
        List<DeviceCommand> commands = List.of(
                new ProvisionPf(D, "nvme0", Emulation.NVME, 4, 64, 2, 32, "c-1"),
                new OpenPf(D, "nvme0", true, "c-2"),
                new Reclaim(D, "nvme0", "c-3"),
                new AssignVectors(D, "nvme0", 0, 12, "c-4"),
                new CloseVf(D, "nvme0", 0, "c-5"),
                new OpenVf(D, "nvme0", 0, "c-6"),
                new ReleaseVectors(D, "nvme0", 0, "c-7"),
                new SetNumVfs(D, "nvme0", 4, "c-8"),
                new SetNumVfs(D, "nvme0", 0, "c-9"),
                new ClosePf(D, "nvme0", "c-10"),
                new ArmReset(D, ResetKind.COLD_BOOT, "c-11"),
                new OpenPf(D, "nvme0", false, "c-12"));
        DeviceState state = DeviceState.EMPTY;
        for (DeviceCommand command : commands) {
            List<DeviceEvent> events = DeviceRules.decide(state, command).events();
            assertFalse(events.isEmpty(), command + " records events");
            DeviceCommand rebuilt = DecisionCheck.commandOf(events);
            assertEquals(command.withoutCommandId(), rebuilt, "the command of " + events);
            assertEquals(CommandDigest.of(command), CommandDigest.of(rebuilt), "the digest of " + command);
            for (DeviceEvent event : events) {
                state = state.evolve(event);
            }
        }
    }
}
