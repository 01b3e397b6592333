package io.msixpool.replay.audit;

import io.msixpool.domain.Decision;
import io.msixpool.domain.DeviceRules;
import io.msixpool.domain.command.DeviceCommand;
import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.domain.state.DeviceState;
import io.msixpool.replay.Chain;
import io.msixpool.replay.Envelope;
import io.msixpool.replay.EventLogFormat;
import io.msixpool.replay.LoggedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds exported logs for tests the way the engine records them: each command decided by
 * {@link DeviceRules} on its device's state, its events chained and enveloped as
 * docs/event-log.md says, one second apart. {@link #append} records any event as given, decided
 * or not, which is how a test forges a history whose chain is intact but whose decisions are not.
 */
public final class ChainedLog {
    public static final Instant START = Instant.parse("2026-11-22T03:00:00.000Z");

    private final List<String> lines = new ArrayList<>();
    private final Map<String, DeviceState> states = new HashMap<>();
    private final Map<String, String> lastHash = new HashMap<>();
    private final Map<String, Long> nextSequence = new HashMap<>();
    private long position;
    private int commands;
    private String actor = "test:ops";

    /** The actor recorded on the lines appended from now on. */
    public ChainedLog as(String actor) {
        this.actor = actor;
        return this;
    }

    /** Decides each command and records its events; a refused command throws. */
    public ChainedLog decide(DeviceCommand... decided) {
        for (DeviceCommand command : decided) {
            Decision decision = DeviceRules.decide(states.getOrDefault(command.device(), DeviceState.EMPTY), command);
            if (decision instanceof Decision.Refused refused) {
                throw new IllegalArgumentException("the rules refuse " + command + ": " + refused);
            }
            List<DeviceEvent> events = decision.events();
            append("cmd-" + ++commands, events.toArray(DeviceEvent[]::new));
        }
        return this;
    }

    /** Records the events as one decision with this commandId, chained, whatever the rules say. */
    public ChainedLog append(String commandId, DeviceEvent... events) {
        for (DeviceEvent event : events) {
            String device = event.device();
            long sequence = nextSequence.getOrDefault(device, 0L);
            position++;
            Envelope envelope = new Envelope(position, sequence, START.plus(Duration.ofSeconds(position)), commandId,
                    actor, "1", lastHash.getOrDefault(device, Chain.GENESIS), null);
            String hash = Chain.hashOf(new LoggedEvent(event, envelope));
            lines.add(EventLogFormat.write(new LoggedEvent(event, envelope.chained(envelope.prev(), hash))));
            lastHash.put(device, hash);
            nextSequence.put(device, sequence + 1);
            states.put(device, states.getOrDefault(device, DeviceState.EMPTY).evolve(event));
        }
        return this;
    }

    /** The log so far, one line per event, positions 1, 2, 3, ... */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** The state of a device after the events recorded so far. */
    public DeviceState state(String device) {
        return states.getOrDefault(device, DeviceState.EMPTY);
    }
}
