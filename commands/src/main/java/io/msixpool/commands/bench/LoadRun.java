package io.msixpool.commands.bench;

import io.msixpool.commands.wire.Outcome;
import io.msixpool.domain.command.DeviceCommand;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Drives one contender with {@code clients} concurrent clients. Each device's commands stay in
 * their generated order and belong to one client (device i to client i mod clients), as a node
 * agent owns its card; so every contender sees the same stream and decides it the same way.
 */
final class LoadRun {
    /** What one run measured. Latencies in microseconds. */
    record Result(String contender, int clients, int commands, int accepted, long events, double seconds,
                  long p50, long p99, long p999, double cpuMicrosPerCommand) {
        double acceptedPerSecond() {
            return accepted / seconds;
        }

        double eventsPerSecond() {
            return events / seconds;
        }
    }

    private LoadRun() {
    }

    static Result run(Contender contender, List<DeviceCommand> stream, int clients) throws Exception {
        Map<String, Integer> owner = new LinkedHashMap<>();
        List<List<DeviceCommand>> shares = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            shares.add(new ArrayList<>());
        }
        for (DeviceCommand command : stream) {
            int client = owner.computeIfAbsent(command.device(), device -> owner.size() % clients);
            shares.get(client).add(command);
        }
        long[] latencies = new long[stream.size()];
        int[] offsets = new int[clients + 1];
        for (int i = 0; i < clients; i++) {
            offsets[i + 1] = offsets[i] + shares.get(i).size();
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        List<Future<long[]>> counts = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            List<DeviceCommand> share = shares.get(i);
            int offset = offsets[i];
            counts.add(pool.submit(() -> {
                long accepted = 0;
                long events = 0;
                for (int k = 0; k < share.size(); k++) {
                    long sent = System.nanoTime();
                    Outcome outcome = contender.decide(share.get(k));
                    latencies[offset + k] = (System.nanoTime() - sent) / 1_000;
                    if (outcome instanceof Outcome.Accepted a && !a.duplicate()) {
                        accepted++;
                        events += a.events().size();
                    }
                }
                return new long[] {accepted, events};
            }));
        }
        long accepted = 0;
        long events = 0;
        for (Future<long[]> count : counts) {
            long[] c = count.get();
            accepted += c[0];
            events += c[1];
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuMicros = (processCpuNanos() - cpuBefore) / 1e3 / stream.size();
        pool.shutdown();
        Arrays.sort(latencies);
        return new Result(contender.name(), clients, stream.size(), (int) accepted, events, seconds,
                percentile(latencies, 0.50), percentile(latencies, 0.99), percentile(latencies, 0.999), cpuMicros);
    }

    /**
     * The CPU time (user and system) of the whole process so far, every thread of it: the bench's
     * clients, the contender's own threads, the collector and the JIT. On a machine shared with other
     * work, CPU per command moves far less than commands per second.
     */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
