package io.msixpool.replay;

import io.msixpool.domain.Decision;
import io.msixpool.domain.DeviceRules;
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
import io.msixpool.domain.event.ArmRebooted;
import io.msixpool.domain.event.DefaultDistributionApplied;
import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.domain.event.NumVfsChanged;
import io.msixpool.domain.event.PfClosed;
import io.msixpool.domain.event.PfOpened;
import io.msixpool.domain.event.PfProvisioned;
import io.msixpool.domain.event.VectorsAssigned;
import io.msixpool.domain.event.VectorsReclaimed;
import io.msixpool.domain.event.VectorsReleased;
import io.msixpool.domain.event.VfClosed;
import io.msixpool.domain.event.VfOpened;
import io.msixpool.domain.state.DeviceState;
import java.util.ArrayList;
import java.util.List;

/**
 * Could a recorded decision have been made? The auditor does not keep its own copy of the rules:
 * from the first event of a decision it rebuilds the command that records it, asks
 * {@link DeviceRules} (the very rules the aggregate runs) to decide that command on the state
 * before, and expects the log to hold exactly the events the rules give, in order.
 *
 * <p>Only {@code VfClosed} begins two decisions: CloseVf ({@code VfClosed}) and ReleaseVectors
 * ({@code VfClosed, VectorsReleased}); the event after it tells which was recorded. When both are
 * refused, CloseVf's reason is reported: its checks are a part of ReleaseVectors', so it names the
 * more basic rule the event breaks.
 */
public final class DecisionCheck {
    private DecisionCheck() {
    }

    /**
     * What the log must hold after {@code first}, when the rules would record it on {@code before}.
     *
     * @param rest           the events still to come, in order
     * @param restIsOptional true when a decision that ends with {@code first} is valid too, so the
     *                       device's next event may begin another decision instead
     */
    public sealed interface Verdict permits Expectation, Refusal {
    }

    public record Expectation(List<DeviceEvent> rest, boolean restIsOptional) implements Verdict {
        public static final Expectation NOTHING_MORE = new Expectation(List.of(), true);

        public boolean continuesWith(DeviceEvent event) {
            return !rest.isEmpty() && rest.getFirst().equals(event);
        }

        public Expectation afterNext() {
            return rest.size() == 1 ? NOTHING_MORE : new Expectation(rest.subList(1, rest.size()), restIsOptional);
        }
    }

    /** Why a recorded event cannot begin a decision: the rule (a rejection code or DECISION) and why. */
    public record Refusal(String rule, String message) implements Verdict {
    }

    /** The expectation after {@code first}, or why no valid decision records it on {@code before}. */
    public static Verdict check(DeviceState before, DeviceEvent first) {
        List<DeviceCommand> commands;
        try {
            commands = commandsBeginningWith(first);
        } catch (RuntimeException notACommand) {
            return new Refusal("DECISION", "no valid command records " + first + ": " + notACommand.getMessage());
        }
        if (commands.isEmpty()) {
            return new Refusal("DECISION", first.getClass().getSimpleName()
                    + " only follows another event of the same decision, and does not here");
        }
        List<List<DeviceEvent>> matching = new ArrayList<>();
        Refusal refusal = null;
        for (DeviceCommand command : commands) {
            Decision decision = DeviceRules.decide(before, command);
            List<DeviceEvent> decided = decision.events();
            if (decision instanceof Decision.Refused refused) {
                refusal = new Refusal(refused.code().name(), "the rules refuse " + name(command) + ": "
                        + refused.message());
            } else if (!decided.isEmpty() && decided.getFirst().equals(first)) {
                matching.add(decided);
            } else {
                refusal = new Refusal("DECISION", "the rules decide " + decided + " for " + name(command)
                        + ", the log records " + first);
            }
        }
        if (matching.isEmpty()) {
            return refusal;
        }
        List<DeviceEvent> longest = matching.stream().reduce((a, b) -> b.size() > a.size() ? b : a).orElseThrow();
        boolean endsHere = matching.stream().anyMatch(decided -> decided.size() == 1);
        return longest.size() == 1 ? Expectation.NOTHING_MORE
                : new Expectation(longest.subList(1, longest.size()), endsHere);
    }

    /**
     * The command a decision that recorded exactly {@code events} (in order, one device's, valid as
     * the audit checks them) was made for, without its commandId: what the engine remembered the
     * decision's commandId by ({@code CommandDigest.of}), so that a store rebuilt from a log
     * (msix import) still answers a retry of it as a duplicate. Only {@code VfClosed} begins two
     * decisions; the one with {@code VectorsReleased} after it is a ReleaseVectors.
     *
     * @throws IllegalArgumentException when no command's decision begins with the first event
     */
    public static DeviceCommand commandOf(List<DeviceEvent> events) {
        DeviceEvent first = events.getFirst();
        if (first instanceof VfClosed closed) {
            return events.size() > 1 && events.get(1) instanceof VectorsReleased
                    ? new ReleaseVectors(closed.device(), closed.pf(), closed.vf(), null)
                    : new CloseVf(closed.device(), closed.pf(), closed.vf(), null);
        }
        List<DeviceCommand> commands = commandsBeginningWith(first);
        if (commands.size() != 1) {
            throw new IllegalArgumentException("no one command's decision begins with " + first);
        }
        return commands.getFirst();
    }

    /** The commands whose decision begins with {@code event} (their commandId does not change a decision). */
    static List<DeviceCommand> commandsBeginningWith(DeviceEvent event) {
        return switch (event) {
            case PfProvisioned e -> List.of(new ProvisionPf(e.device(), e.pf(), e.emulation(), e.vfCount(),
                    e.msixTotal(), e.vfMinMsix(), e.vfMaxMsix(), null));
            case PfOpened e -> List.of(new OpenPf(e.device(), e.pf(), e.dynamicMsix(), null));
            case PfClosed e -> List.of(new ClosePf(e.device(), e.pf(), null));
            case NumVfsChanged e -> List.of(new SetNumVfs(e.device(), e.pf(), e.to(), null));
            case VectorsReclaimed e -> List.of(new Reclaim(e.device(), e.pf(), null));
            case VectorsAssigned e -> List.of(new AssignVectors(e.device(), e.pf(), e.vf(), e.msix(), null));
            case VfOpened e -> List.of(new OpenVf(e.device(), e.pf(), e.vf(), null));
            case VfClosed e -> List.of(new ReleaseVectors(e.device(), e.pf(), e.vf(), null),
                    new CloseVf(e.device(), e.pf(), e.vf(), null));
            case ArmRebooted e -> List.of(new ArmReset(e.device(), e.kind(), null));
            case DefaultDistributionApplied e -> List.of();
            case VectorsReleased e -> List.of();
        };
    }

    private static String name(DeviceCommand command) {
        return command.getClass().getSimpleName();
    }
}
