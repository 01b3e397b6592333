package io.msixpool.commands.cli;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.msixpool.commands.engine.Engine;
import io.msixpool.commands.wire.Json;
import io.msixpool.commands.wire.Outcome;
import io.msixpool.domain.Device;
import io.msixpool.domain.Decision;
import io.msixpool.domain.DeviceRules;
import io.msixpool.domain.event.ArmRebooted;
import io.msixpool.domain.event.DefaultDistributionApplied;
import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.domain.event.NumVfsChanged;
import io.msixpool.domain.event.PfClosed;
import io.msixpool.domain.event.PfEvent;
import io.msixpool.domain.event.PfOpened;
import io.msixpool.domain.event.PfProvisioned;
import io.msixpool.domain.event.VectorsAssigned;
import io.msixpool.domain.event.VectorsReclaimed;
import io.msixpool.domain.event.VectorsReleased;
import io.msixpool.domain.event.VfClosed;
import io.msixpool.domain.event.VfOpened;
import io.msixpool.domain.state.DeviceState;
import io.msixpool.domain.state.PfState;
import io.msixpool.domain.state.VfState;
import io.msixpool.replay.Envelope;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.axonframework.eventhandling.DomainEventMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "history", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Who did what to a device, one of its PFs or one VF, and when.",
                "",
                "One line per event, oldest first.",
                "",
                "Columns: SEQ, the event's place in the device's stream (envelope.sequence",
                "in msix export); when it was recorded (UTC); the actor; the commandId",
                "(- for none); the event.",
                "",
                "--pf keeps that PF's events and the device's Arm reboots (a reboot resets",
                "every PF). --vf (with --pf) keeps the events that changed that VF, its",
                "vectors or its VF controller, PF-wide ones included (provisioning, the even",
                "default, a reclaim that took its vectors, an Arm reboot that closed it).",
                "",
                "Reads only the device's own stream (the store's index on device and",
                "sequence, no snapshot): it costs that device's events, not the whole log.",
                "Global positions are not read that way, so they are not shown (msix export",
                "has them).",
                ""},
        footer = {"",
                "Examples:",
                "  msix history --store ./store --device bf3-a",
                "  msix history --store ./store --device bf3-a --pf nvme0 --vf 2",
                "  msix history --store ./store --device bf3-a --pf nvme0 --json",
                "",
                "Exit codes: 0 ok; 2 bad usage; 3 the device, PF or VF does not exist: one line",
                "{\"ok\":false,\"code\":\"UNKNOWN_DEVICE\"|\"UNKNOWN_PF\"|\"UNKNOWN_VF\",...} on standard output."})
final class HistoryCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;

    @Option(names = "--device", required = true, paramLabel = "DEVICE", description = "the device id")
    String device;

    @Option(names = "--pf", paramLabel = "PF", description = "only this PF's events (and the device's Arm reboots)")
    String pf;

    @Option(names = "--vf", paramLabel = "VF", description = "only the events that changed this VF of --pf")
    Integer vf;

    @Option(names = "--json", description = "one JSON object per event instead of columns: "
            + "{\"sequence\",\"timestamp\",\"actor\",\"commandId\",\"event\"}, event as docs/wire.md writes it")
    boolean json;

    @Spec
    CommandSpec spec;

    /** One event as history shows it. */
    record Entry(long sequence,
                 @JsonFormat(shape = JsonFormat.Shape.STRING, pattern = Envelope.TIMESTAMP_PATTERN, timezone = "UTC")
                 Instant timestamp,
                 String actor, String commandId, DeviceEvent event) {
    }

    @Override
    public Integer call() throws Exception {
        checkUsage();
        PrintWriter out = Msix.bufferedStdout();
        List<Entry> shown = new ArrayList<>();
        DeviceState state = DeviceState.EMPTY;
        try (Engine engine = store.openReader(); Stream<? extends DomainEventMessage<?>> events = engine.deviceEvents(device)) {
            for (var iterator = events.iterator(); iterator.hasNext(); ) {
                DomainEventMessage<?> message = iterator.next();
                DeviceEvent event = (DeviceEvent) message.getPayload();
                DeviceState next = state.evolve(event);
                if (concerns(event, state, next)) {
                    shown.add(new Entry(message.getSequenceNumber(), message.getTimestamp(),
                            (String) message.getMetaData().get(Engine.ACTOR),
                            (String) message.getMetaData().get(Device.COMMAND_ID), event));
                }
                state = next;
            }
        }
        Outcome.Rejected unknown = unknown(state);
        if (unknown != null) {
            out.println(unknown.toJsonLine());
        } else if (json) {
            for (Entry entry : shown) {
                out.println(Json.mapper().writeValueAsString(entry));
            }
        } else {
            columns(shown).forEach(out::println);
        }
        out.flush();
        if (out.checkError()) {
            return Msix.ENGINE_FAILED;
        }
        return unknown != null ? Msix.UNKNOWN_DEVICE : 0;
    }

    private void checkUsage() {
        Msix.requireId(spec, "--device", device);
        Msix.requireId(spec, "--pf", pf);
        if (vf != null && pf == null) {
            throw new ParameterException(spec.commandLine(), "--vf needs --pf: VFs are numbered per PF");
        }
        if (vf != null && vf < 0) {
            throw new ParameterException(spec.commandLine(), "--vf must be 0 or more, not " + vf);
        }
    }

    /** Whether {@code event}, which took the device from {@code before} to {@code after}, is shown. */
    private boolean concerns(DeviceEvent event, DeviceState before, DeviceState after) {
        if (pf == null) {
            return true;
        }
        if (vf == null) {
            return event instanceof ArmRebooted || event instanceof PfEvent e && e.pf().equals(pf);
        }
        return !Objects.equals(vfOf(before), vfOf(after));
    }

    private VfState vfOf(DeviceState state) {
        PfState of = state.pfs().get(pf);
        return of == null || !of.hasVf(vf) ? null : of.vf(vf);
    }

    /** The rules' refusal for what the options name and the device's history lacks, or null. */
    private Outcome.Rejected unknown(DeviceState state) {
        Decision.Refused refused = DeviceRules.unknownIn(state, device, pf, vf);
        return refused == null ? null : new Outcome.Rejected(refused.code(), refused.message());
    }

    /** A header and one line per entry, each column as wide as its widest cell. */
    static List<String> columns(List<Entry> entries) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SEQ", "TIMESTAMP", "ACTOR", "COMMAND ID", "EVENT"});
        for (Entry entry : entries) {
            rows.add(new String[] {String.valueOf(entry.sequence()), Envelope.TIMESTAMP.format(entry.timestamp()),
                    Objects.requireNonNullElse(entry.actor(), "-"), Objects.requireNonNullElse(entry.commandId(), "-"),
                    summary(entry.event())});
        }
        int[] widths = new int[4];
        for (String[] row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        String format = "%" + widths[0] + "s  %-" + widths[1] + "s  %-" + widths[2] + "s  %-" + widths[3] + "s  %s";
        return rows.stream().map(row -> String.format(format, (Object[]) row)).toList();
    }

    /** The event in a few words, for people: {@code VectorsAssigned nvme0 vf 2 msix 12}. */
    static String summary(DeviceEvent event) {
        return switch (event) {
            case PfProvisioned e -> "PfProvisioned " + e.pf() + " " + e.emulation() + " vfs " + e.vfCount()
                    + " msix " + e.msixTotal() + " per vf " + e.vfMinMsix() + ".." + e.vfMaxMsix();
            case DefaultDistributionApplied e -> "DefaultDistributionApplied " + e.pf() + " msix " + e.msixPerVf() + " per vf";
            case PfOpened e -> "PfOpened " + e.pf() + (e.dynamicMsix() ? " dynamic" : " static");
            case PfClosed e -> "PfClosed " + e.pf();
            case NumVfsChanged e -> "NumVfsChanged " + e.pf() + " " + e.from() + " -> " + e.to();
            case VectorsReclaimed e -> "VectorsReclaimed " + e.pf() + " msix " + e.total() + " from "
                    + e.reclaimed().size() + " vf" + (e.reclaimed().size() == 1 ? "" : "s");
            case VectorsAssigned e -> "VectorsAssigned " + e.pf() + " vf " + e.vf() + " msix " + e.msix();
            case VfOpened e -> "VfOpened " + e.pf() + " vf " + e.vf();
            case VfClosed e -> "VfClosed " + e.pf() + " vf " + e.vf();
            case VectorsReleased e -> "VectorsReleased " + e.pf() + " vf " + e.vf() + " msix " + e.msix();
            case ArmRebooted e -> "ArmRebooted " + e.kind();
        };
    }
}
