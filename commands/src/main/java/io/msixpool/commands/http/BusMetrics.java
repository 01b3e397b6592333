package io.msixpool.commands.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.msixpool.commands.wire.Outcome;
import io.msixpool.domain.Emulation;
import io.msixpool.projections.fleet.Fleet;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/**
 * What {@code GET /metrics} shows, in Prometheus text: commands by result (and by rejection code),
 * the latency of deciding a command (a histogram), events appended by this node, open watches.
 */
final class BusMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Timer latency = Timer.builder("msix.command.latency")
            .description("time from a well-formed command's arrival to its decision (after its commit)")
            .serviceLevelObjectives(Stream.of(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000)
                    .map(Duration::ofMillis).toArray(Duration[]::new))
            .register(registry);
    private final Counter eventsAppended = Counter.builder("msix.events.appended")
            .description("events recorded by the commands this node decided").register(registry);
    private final AtomicInteger watchers = new AtomicInteger();
    private final Supplier<Map<Emulation, Fleet.Totals>> fleet;
    /** The fleet's totals as of the scrape being answered: read once per scrape, not once per gauge. */
    private volatile Map<Emulation, Fleet.Totals> fleetTotals = Map.of();

    /** @param fleet the fleet's vectors by emulation now (an empty map when this node keeps no fleet) */
    BusMetrics(Supplier<Map<Emulation, Fleet.Totals>> fleet) {
        this.fleet = fleet;
        Gauge.builder("msix.watchers", watchers, AtomicInteger::get)
                .description("open watch streams (pool and fleet)").register(registry);
        for (Emulation emulation : Emulation.values()) {
            fleetGauge(emulation, "total", Fleet.Totals::total);
            fleetGauge(emulation, "free", Fleet.Totals::free);
            fleetGauge(emulation, "linked", Fleet.Totals::linked);
            fleetGauge(emulation, "stranded", Fleet.Totals::stranded);
        }
    }

    private void fleetGauge(Emulation emulation, String state, ToLongFunction<Fleet.Totals> count) {
        Gauge.builder("msix.fleet.vectors", () -> count.applyAsLong(fleetTotals.getOrDefault(emulation, Fleet.Totals.NONE)))
                .description("MSI-X vectors of every PF of the fleet by emulation: total, free, linked, and stranded"
                        + " (linked to VFs whose controller is not open)")
                .tag("emulation", emulation.name()).tag("state", state).register(registry);
    }

    void decided(Outcome outcome, Duration took) {
        latency.record(took);
        switch (outcome) {
            case Outcome.Accepted accepted -> {
                count(accepted.duplicate() ? "duplicate" : "accepted", "");
                eventsAppended.increment(accepted.events().size());
            }
            case Outcome.Rejected rejected -> count("rejected", rejected.code().name());
        }
    }

    /** A dry run, counted apart from decisions: it decided nothing. */
    void triedOnly(Outcome outcome) {
        String result = switch (outcome) {
            case Outcome.Accepted accepted -> accepted.duplicate() ? "duplicate" : "accepted";
            case Outcome.Rejected rejected -> "rejected";
        };
        Counter.builder("msix.dry.runs").description("commands tried with dryRun=true, by the result they would have had")
                .tag("result", result).register(registry).increment();
    }

    void badRequest() {
        count("bad_request", "BAD_REQUEST");
    }

    private void count(String result, String code) {
        Counter.builder("msix.commands").description("commands received, by result and rejection code")
                .tag("result", result).tag("code", code).register(registry).increment();
    }

    void watchOpened() {
        watchers.incrementAndGet();
    }

    void watchClosed() {
        watchers.decrementAndGet();
    }

    String scrape() {
        fleetTotals = fleet.get();
        return registry.scrape();
    }
}
