package io.msixpool.commands.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.msixpool.commands.engine.Engine;
import io.msixpool.commands.engine.EventLog;
import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.domain.state.DeviceState;
import io.msixpool.replay.EventLogFormat;
import io.msixpool.replay.LoggedEvent;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Replay speeds: rebuilding every pool from the store, from an exported file, and merely parsing that file. */
final class ReplayRates {
    record Result(long events, int devices, double fromStorePerSecond, double fromFilePerSecond,
                  double rawParsePerSecond, long bytesPerDevice) {
    }

    private ReplayRates() {
    }

    static Result measure(Engine engine, Path exportFile) throws IOException {
        // From the store: every event folded into its device's pools.
        long start = System.nanoTime();
        Map<String, DeviceState> pools = new HashMap<>();
        long events = engine.forEachStoredEvent(
                event -> pools.compute(event.device(), (device, old) -> (old == null ? DeviceState.EMPTY : old).evolve(event)));
        double fromStore = events / ((System.nanoTime() - start) / 1e9);

        try (BufferedWriter out = Files.newBufferedWriter(exportFile, StandardCharsets.UTF_8);
             var stream = EventLog.read(engine)) {
            for (var iterator = stream.iterator(); iterator.hasNext(); ) {
                out.write(EventLogFormat.write(iterator.next()));
                out.write('\n');
            }
        }

        long before = usedHeapAfterGc();
        start = System.nanoTime();
        Map<String, DeviceState> replayed = new HashMap<>();
        long fileEvents = 0;
        try (BufferedReader in = Files.newBufferedReader(exportFile, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                LoggedEvent logged = EventLogFormat.read(line);
                DeviceEvent event = logged.event();
                replayed.compute(event.device(), (device, old) -> (old == null ? DeviceState.EMPTY : old).evolve(event));
                fileEvents++;
            }
        }
        double fromFile = fileEvents / ((System.nanoTime() - start) / 1e9);
        long bytesPerDevice = replayed.isEmpty() ? 0 : Math.max(0, usedHeapAfterGc() - before) / replayed.size();

        start = System.nanoTime();
        long parsedLines = 0;
        JsonFactory factory = new JsonFactory();
        try (InputStream in = Files.newInputStream(exportFile); JsonParser parser = factory.createParser(in)) {
            int depth = 0;
            while (parser.nextToken() != null) {
                switch (parser.currentToken()) {
                    case START_OBJECT -> depth++;
                    case END_OBJECT -> {
                        if (--depth == 0) {
                            parsedLines++;
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        double rawParse = parsedLines / ((System.nanoTime() - start) / 1e9);
        if (!replayed.equals(pools) || parsedLines != fileEvents) {
            throw new IllegalStateException("replays disagree: store and file gave different pools or counts");
        }
        return new Result(events, pools.size(), fromStore, fromFile, rawParse, bytesPerDevice);
    }

    private static long usedHeapAfterGc() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
