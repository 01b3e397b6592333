package io.msixpool.commands.http;

import io.msixpool.projections.fleet.FleetFilter;
import io.msixpool.projections.fleet.PfKey;
import io.msixpool.projections.fleet.PfSummary;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * One fleet watch stream: the PFs it has yet to send, each with its newest frame only, so a reader
 * slower than the fleet changes gets each PF's newest summary when it reads again, never a backlog;
 * at most one frame per PF waits, references to the frames every watcher shares.
 */
final class FleetWatcher {
    /** The frames that go into one write at most (a watcher's first frames may be the whole fleet). */
    private static final int FRAMES_PER_WRITE = 256;

    private final FleetFilter filter;
    private final LinkedHashMap<PfKey, FleetFeed.Frame> unsent = new LinkedHashMap<>();
    private FluxSink<ByteBuf> sink;
    private boolean draining;

    FleetWatcher(FleetFilter filter) {
        this.filter = filter;
    }

    /** The PFs the watcher matches now, before any change. */
    synchronized void start(List<FleetFeed.Frame> current) {
        for (FleetFeed.Frame frame : current) {
            unsent.put(frame.summary().key(), frame);
        }
    }

    /**
     * A PF's new frame, taken when the PF matches the filter now or matched it as last sent: a PF
     * that stops matching is sent once more, as it is now, so the client knows it left.
     *
     * @return whether the watcher took it (its bytes count in the feed's pacing)
     */
    synchronized boolean offer(PfSummary before, FleetFeed.Frame frame) {
        if (filter.matches(frame.summary()) || before != null && filter.matches(before)) {
            unsent.remove(frame.summary().key()); // goes to the end: frames leave in the order they changed
            unsent.put(frame.summary().key(), frame);
            drain();
            return true;
        }
        return false;
    }

    /** The frames, a write at a time, as the client takes them. */
    Flux<ByteBuf> frames() {
        return Flux.create(created -> {
            synchronized (this) {
                sink = created;
            }
            created.onRequest(demand -> {
                synchronized (this) {
                    drain();
                }
            });
        });
    }

    private void drain() {
        if (draining || sink == null) {
            return;
        }
        draining = true;
        try {
            while (!unsent.isEmpty() && sink.requestedFromDownstream() > 0) {
                List<ByteBuf> write = new ArrayList<>();
                Iterator<FleetFeed.Frame> frames = unsent.values().iterator();
                while (frames.hasNext() && write.size() < FRAMES_PER_WRITE) {
                    write.add(frames.next().bytes().duplicate());
                    frames.remove();
                }
                sink.next(write.size() == 1 ? write.get(0) : Unpooled.wrappedUnmodifiableBuffer(write.toArray(ByteBuf[]::new)));
            }
        } finally {
            draining = false;
        }
    }
}
