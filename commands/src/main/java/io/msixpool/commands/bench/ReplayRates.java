package io.msixpool.commands.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.msixpool.replay.audit.AuditObserver;
import io.msixpool.replay.audit.AuditResult;
import io.msixpool.replay.audit.Auditor;
import io.msixpool.commands.engine.Engine;
import io.msixpool.commands.engine.StoredEventScan;
import io.msixpool.commands.engine.EventLog;
import io.msixpool.domain.state.DeviceState;
import io.msixpool.replay.EventLogFormat;
import io.msixpool.replay.LogLines;
import io.msixpool.replay.PointInTime;
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
public final class ReplayRates {
    record Result(long events, int devices, double fromStorePerSecond, double fromFilePerSecond,
                  double rawParsePerSecond, long bytesPerDevice) {
    }

    private ReplayRates() {
    }

    /** Every device's pools rebuilt from the store's events (no snapshot), and how fast. */
    public record StoreRate(long events, double perSecond, Map<String, DeviceState> pools) {
        public static StoreRate of(Engine engine) {
            long start = System.nanoTime();
            Map<String, DeviceState> pools = new HashMap<>();
            long events = StoredEventScan.forEach(engine, event ->
                    pools.compute(event.device(), (device, old) -> (old == null ? DeviceState.EMPTY : old).evolve(event)));
            return new StoreRate(events, events / ((System.nanoTime() - start) / 1e9), pools);
        }
    }

    static Result measure(Engine engine, Path exportFile) throws IOException {
        StoreRate store = StoreRate.of(engine);
        Map<String, DeviceState> pools = store.pools();
        long events = store.events();
        double fromStore = store.perSecond();

        try (BufferedWriter out = Files.newBufferedWriter(exportFile, StandardCharsets.UTF_8);
             var stream = EventLog.read(engine)) {
            for (var iterator = stream.iterator(); iterator.hasNext(); ) {
                out.write(EventLogFormat.write(iterator.next()));
                out.write('\n');
            }
        }

        FileRates file = FileRates.of(exportFile, false);
        if (!file.pools().equals(pools) || file.events() != events) {
            throw new IllegalStateException("replays disagree: store and file gave different pools or counts");
        }
        return new Result(events, pools.size(), fromStore, file.foldPerSecond(), file.rawParsePerSecond(),
                file.bytesPerDevice());
    }

    /**
     * Speeds on an exported log: merely parsing it with Jackson's streaming parser (one core), the
     * fold msix replay runs, and (when asked) the whole audit msix audit runs. Parse and fold run
     * twice and keep their better run, so that the JIT's warm-up is not what is measured.
     */
    public record FileRates(long events, double rawParsePerSecond, double foldPerSecond, double auditPerSecond,
                     long bytesPerDevice, Map<String, DeviceState> pools) {

        public static FileRates of(Path file, boolean audit) throws IOException {
            double raw = 0;
            double fold = 0;
            long events = 0;
            long bytesPerDevice = 0;
            Map<String, DeviceState> pools = Map.of();
            for (int run = 0; run < 2; run++) {
                long start = System.nanoTime();
                long parsed = rawParse(file);
                raw = Math.max(raw, parsed / seconds(start));

                long before = run == 0 ? usedHeapAfterGc() : 0;
                start = System.nanoTime();
                PointInTime replay = PointInTime.atEnd(null);
                try (InputStream in = Files.newInputStream(file)) {
                    replay.fold(new LogLines.Bytes(in), (lines, chars) -> { });
                }
                fold = Math.max(fold, replay.events() / seconds(start));
                pools = replay.devices();
                events = replay.events();
                if (run == 0) {
                    // Only the first run: in the second, this frame still holds the first run's fold
                    // (the slot of a local is not cleared until it is assigned again).
                    bytesPerDevice = pools.isEmpty() ? 0 : Math.max(0, usedHeapAfterGc() - before) / pools.size();
                }
                if (parsed != events) {
                    throw new IllegalStateException("the parse saw " + parsed + " lines, the fold " + events);
                }
            }
            double audited = 0;
            if (audit) {
                long start = System.nanoTime();
                try (InputStream in = Files.newInputStream(file)) {
                    AuditResult result = Auditor.audit(new LogLines.Bytes(in), AuditObserver.NONE, (lines, chars) -> { });
                    audited = result.events() / seconds(start);
                }
            }
            return new FileRates(events, raw, fold, audited, bytesPerDevice, pools);
        }

        /** Every token of the file through Jackson's streaming parser; the count of top-level objects. */
        private static long rawParse(Path file) throws IOException {
            long objects = 0;
            try (InputStream in = Files.newInputStream(file); JsonParser parser = new JsonFactory().createParser(in)) {
                int depth = 0;
                for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                    if (token == JsonToken.START_OBJECT) {
                        depth++;
                    } else if (token == JsonToken.END_OBJECT && --depth == 0) {
                        objects++;
                    }
                }
            }
            return objects;
        }

        private static double seconds(long start) {
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private static long usedHeapAfterGc() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
