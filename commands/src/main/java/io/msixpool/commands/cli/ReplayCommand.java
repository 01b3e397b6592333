package io.msixpool.commands.cli;

import io.msixpool.commands.wire.Json;
import io.msixpool.commands.wire.Outcome;
import io.msixpool.domain.state.DeviceState;
import io.msixpool.projections.PoolView;
import io.msixpool.replay.PointInTime;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Prints the pool views as they were at one point of the history.",
                "",
                "Folds the log's events, in order, up to the point: --at POSITION keeps every event at or",
                "before that global position (envelope.position); --at TIMESTAMP keeps every event up to",
                "the first one recorded after that time (the log is in commit order, so this is what had",
                "been committed then). Without --at, the whole log. Each device's view is printed as",
                "docs/wire.md's pool view (one JSON line per device, in device order) or as a table.",
                "",
                "It checks nothing: msix audit does. A line that is not an event stops it (exit 1). A",
                "point before the log's first event prints no pool and says so on standard error (exit 0).",
                ""},
        footer = {"",
                "Examples:",
                "  msix replay log.jsonl --at 2026-11-22T03:12:00Z --device bf3-a --table",
                "  msix replay --store ./store --at 4200",
                "",
                "Exit codes: 0 ok; 1 the log could not be read; 2 bad usage; 3 --device had no event",
                "at or before the point: {\"ok\":false,\"code\":\"UNKNOWN_DEVICE\",...} on standard output."})
final class ReplayCommand implements Callable<Integer> {
    @Mixin
    LogSource source;

    @Option(names = "--at", paramLabel = "POSITION|TIMESTAMP",
            description = "a global position (digits) or an ISO-8601 time such as 2026-11-22T03:12:00Z")
    String at;

    @Option(names = "--device", paramLabel = "DEVICE", description = "only this device")
    String device;

    @Option(names = "--table", description = "tables for people instead of JSON")
    boolean table;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Msix.requireId(spec, "--device", device);
        PointInTime point = point();
        long started = System.nanoTime();
        try (LogSource.OpenLog log = source.open()) {
            ProgressBar progress = new ProgressBar(spec.commandLine().getErr(), "replay", log.chars());
            point.fold(log.lines(), progress::update);
            progress.done();
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        err.printf(Locale.ROOT, "msix: replayed %,d events%s in %.1f s%n", point.events(),
                point.last().map(last -> (device == null ? ", the last at position " : ", the last of " + device
                        + " at position ") + last.position() + " (" + last.timestamp() + ")").orElse(""),
                (System.nanoTime() - started) / 1e9);
        if (point.events() == 0) {
            // Nothing printed and exit 0 is right (there were no pools then), but easily taken for a failure.
            err.println(point.first().map(first -> "msix: --at " + at + " is before the log's first event (position "
                    + first.position() + ", " + first.timestamp() + "): there were no pools then, nothing to print")
                    .orElse("msix: the log holds no event: there are no pools to print"));
        }
        err.flush();
        Map<String, DeviceState> devices = point.devices();  // a sorted copy each call
        if (device != null && !devices.containsKey(device)) {
            out.println(Outcome.Rejected.unknownDevice(device).toJsonLine());
            return Msix.UNKNOWN_DEVICE;
        }
        for (DeviceState state : devices.values()) {
            PoolView view = PoolView.of(state);
            out.println(table ? PoolTable.render(view) : Json.write(view));
        }
        out.flush();
        return 0;
    }

    private PointInTime point() {
        if (at == null) {
            return PointInTime.atEnd(device);
        }
        if (at.chars().allMatch(Character::isDigit)) {
            try {
                return PointInTime.atPosition(Long.parseLong(at), device);
            } catch (NumberFormatException tooBig) {
                throw new ParameterException(spec.commandLine(), "--at " + at + " is not a position");
            }
        }
        try {
            return PointInTime.atTime(Instant.parse(at), device);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return PointInTime.atTime(OffsetDateTime.parse(at).toInstant(), device);
            } catch (DateTimeParseException notATime) {
                throw new ParameterException(spec.commandLine(), "--at " + at + " is neither a position (digits)"
                        + " nor an ISO-8601 time with a zone, such as 2026-11-22T03:12:00Z");
            }
        }
    }
}
