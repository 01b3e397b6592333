package io.msixpool.commands.http;

import io.msixpool.commands.engine.FleetFollower;
import io.msixpool.commands.wire.Json;
import io.msixpool.projections.fleet.Fleet;
import io.msixpool.projections.fleet.FleetFilter;
import io.msixpool.projections.fleet.PfKey;
import io.msixpool.projections.fleet.PfSummary;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The fleet watches' one feed (docs/http.md "Fleet"): the PFs the fleet's batches of events changed,
 * coalesced like a pool watch (paced by what the sends cost, {@link ViewPacing}: a change at once
 * unless the last sends were costly, else the newest summary of every PF that changed meanwhile), each summary
 * serialised once into the event every watcher that wants it is sent. While anyone watches, it keeps
 * every PF's newest event, which a joining watcher starts from; with no watcher it holds nothing.
 */
final class FleetFeed {
    /** A PF's summary as one server-sent event. */
    record Frame(PfSummary summary, ByteBuf bytes) {
        static Frame of(PfSummary summary) {
            return new Frame(summary, PoolFeed.event(Json.write(summary)));
        }
    }

    private final FleetFollower follower;
    private final BusServer server;
    private final BusMetrics metrics;
    private final Set<FleetWatcher> watchers = new HashSet<>();
    /** Every PF's newest frame sent, in (device, pf) order, while anyone watches; else null. */
    private TreeMap<PfKey, Frame> latest;
    /** PFs changed since the last send, each with its newest summary. */
    private final Map<PfKey, PfSummary> waiting = new LinkedHashMap<>();
    private boolean sendDue;
    private final ViewPacing pacing = new ViewPacing(System.nanoTime());

    FleetFeed(FleetFollower follower, BusServer server, BusMetrics metrics) {
        this.follower = follower;
        this.server = server;
        this.metrics = metrics;
        follower.onChanges(this::changed);
    }

    Mono<Void> watch(FleetFilter filter, HttpServerResponse response) {
        return Mono.usingWhen(Mono.fromSupplier(() -> join(filter)),
                watcher -> EventStreams.send(response, watcher.frames(), server, metrics),
                watcher -> Mono.fromRunnable(() -> leave(watcher)));
    }

    synchronized boolean open() {
        return latest != null;
    }

    /**
     * A new watcher, given every PF it matches as the feed last sent it. The first watcher reads the
     * fleet: a batch of events under way then is sent after it, with its PFs as the batch left them.
     */
    private synchronized FleetWatcher join(FleetFilter filter) {
        if (latest == null) {
            latest = new TreeMap<>();
            for (PfSummary pf : follower.fleet().page(FleetFilter.ALL, null, Integer.MAX_VALUE).pools()) {
                latest.put(pf.key(), Frame.of(pf));
            }
        }
        FleetWatcher watcher = new FleetWatcher(filter);
        List<Frame> current = new ArrayList<>();
        for (Frame frame : latest.values()) {
            if (filter.matches(frame.summary())) {
                current.add(frame);
            }
        }
        watcher.start(current);
        watchers.add(watcher);
        return watcher;
    }

    private synchronized void leave(FleetWatcher watcher) {
        watchers.remove(watcher);
        if (watchers.isEmpty()) {
            latest = null; // nobody watches: hold nothing
            waiting.clear();
        }
    }

    /** From the fleet's processor thread, after each batch of events: quick, the send happens apart. */
    private void changed(List<Fleet.Change> changes) {
        long wait;
        synchronized (this) {
            if (latest == null) {
                return;
            }
            for (Fleet.Change change : changes) {
                waiting.put(change.after().key(), change.after());
            }
            if (sendDue) {
                return; // a send is due already: it takes these too
            }
            sendDue = true;
            wait = pacing.waitNanos(System.nanoTime());
        }
        if (wait <= 0) {
            send();
        } else {
            Schedulers.parallel().schedule(this::send, wait, TimeUnit.NANOSECONDS);
        }
    }

    private synchronized void send() {
        sendDue = false;
        if (latest == null) {
            return;
        }
        long bytes = 0;
        for (PfSummary pf : waiting.values()) {
            Frame frame = Frame.of(pf);
            Frame before = latest.put(pf.key(), frame);
            for (FleetWatcher watcher : watchers) {
                if (watcher.offer(before == null ? null : before.summary(), frame)) {
                    bytes += frame.bytes().readableBytes();
                }
            }
        }
        waiting.clear();
        pacing.sent(System.nanoTime(), bytes);
    }
}
