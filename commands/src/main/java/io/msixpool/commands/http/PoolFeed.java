package io.msixpool.commands.http;

import io.msixpool.commands.engine.Engine;
import io.msixpool.commands.wire.Json;
import io.msixpool.projections.PoolAt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * One watched device's views, shared by all its watchers ({@link WatchHub}): each view is serialised
 * once, into the server-sent event every watcher is sent, and the latest is kept for watchers that
 * join later. Views come from the engine's watch feed after each change (paced by what they cost:
 * {@link ViewPacing}), and from the store when a joining watcher needs one newer than the latest (at
 * once); of the two, only a newer view (a higher sequence) is ever sent, so a watcher's views never go back.
 */
final class PoolFeed {
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final ByteBuf HEARTBEAT = frozen(":\n\n".getBytes(StandardCharsets.US_ASCII));

    /** A view as one server-sent event, showing the device up to its event {@code sequence}. */
    record Frame(long sequence, ByteBuf bytes) {
        static Frame of(PoolAt at) {
            return new Frame(at.sequence(), event(Json.write(at.view())));
        }

        /** The bytes for one write: the same memory with a read position of its own, which Netty moves as it writes. */
        ByteBuf content() {
            return bytes.duplicate();
        }
    }

    /** {@code json} as one server-sent event, in memory every watcher's writes share ({@link #frozen}). */
    static ByteBuf event(String json) {
        return frozen(DATA, json.getBytes(StandardCharsets.UTF_8), END);
    }

    /** A comment line, which keeps an idle stream's connection from looking dead. */
    static ByteBuf heartbeat() {
        return HEARTBEAT.duplicate();
    }

    /**
     * Bytes every watcher's writes share. Direct memory, because Netty copies a heap buffer into a
     * direct one of its own for each write, which a watcher that does not read would hold on to;
     * never released by a write (its memory goes with the last reference, to the collector).
     */
    private static ByteBuf frozen(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(length);
        for (byte[] part : parts) {
            direct.put(part);
        }
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(direct.flip()));
    }

    final String device;
    /** Watchers of this feed; counted under the hub's lock of this device, read by the pacing. */
    volatile int watchers;
    private final Function<String, Mono<Optional<PoolAt>>> read;
    private final Sinks.Many<Frame> frames = Sinks.many().replay().latest();
    /** The last sequence this node committed for the device: a latest frame below it is not current. */
    private final AtomicLong committed = new AtomicLong(-1);
    private final Runnable unfollow;
    private Frame latest;
    /** The newest view of the feed waiting for the pacing to let it go, if any. */
    private PoolAt waiting;
    private final ViewPacing pacing = new ViewPacing(System.nanoTime());
    /** A read of the store under way, and the sequence it is sure to show at least. */
    private Mono<Void> reading;
    private long readingCovers;

    /** Follows the device's changes first, so that no change falls between them and the first read. */
    PoolFeed(Engine engine, String device, Function<String, Mono<Optional<PoolAt>>> read) {
        this.device = device;
        this.read = read;
        this.unfollow = engine.followPool(device, this::changed);
    }

    void committed(long sequence) {
        committed.accumulateAndGet(sequence, Math::max);
    }

    /**
     * Completes with true once the latest frame shows at least everything this node had committed
     * for the device when asked (reading the store only when it does not), false for an unknown device.
     */
    Mono<Boolean> ready() {
        return Mono.defer(() -> {
            Mono<Void> current;
            synchronized (this) {
                long needed = committed.get();
                if (latest != null && latest.sequence() >= needed) {
                    return Mono.just(true);
                }
                current = reading != null && readingCovers >= needed ? reading : startReading(needed);
            }
            return current.then(Mono.fromCallable(this::known));
        });
    }

    /** The current frame first, then every newer one as it comes; a late subscriber starts at the latest. */
    Flux<Frame> frames() {
        return frames.asFlux();
    }

    /** A view from the engine's feed: sent now, or as the newest once the pacing lets it go. */
    private void changed(PoolAt view) {
        long wait;
        synchronized (this) {
            if (latest != null && view.sequence() <= latest.sequence()
                    || waiting != null && view.sequence() <= waiting.sequence()) {
                return;
            }
            boolean due = waiting == null;
            waiting = view;
            if (!due) {
                return; // a send is due already: it takes this newer view
            }
            wait = pacing.waitNanos(System.nanoTime());
        }
        if (wait <= 0) {
            sendWaiting();
        } else {
            Schedulers.parallel().schedule(this::sendWaiting, wait, TimeUnit.NANOSECONDS);
        }
    }

    private void sendWaiting() {
        PoolAt view;
        synchronized (this) {
            view = waiting;
            waiting = null;
        }
        offer(view);
    }

    /** A view from the feed or the store: made the latest frame, and sent to every watcher, when it is newer. */
    private void offer(PoolAt view) {
        synchronized (this) {
            if (latest != null && view.sequence() <= latest.sequence()) {
                return;
            }
        }
        Frame frame = Frame.of(view); // outside the lock: a large view takes a while
        synchronized (this) {
            if (latest == null || frame.sequence() > latest.sequence()) {
                latest = frame;
                pacing.sent(System.nanoTime(), (long) frame.bytes().readableBytes() * watchers);
                frames.tryEmitNext(frame); // under the lock, so emissions never overlap
            }
        }
    }

    /** After the last watcher left: stops following the device. */
    void close() {
        unfollow.run();
        frames.tryEmitComplete();
    }

    private synchronized boolean known() {
        return latest != null;
    }

    private Mono<Void> startReading(long covers) {
        AtomicReference<Mono<Void>> self = new AtomicReference<>();
        Mono<Void> started = read.apply(device)
                .doOnNext(found -> found.ifPresent(this::offer))
                .then()
                .doFinally(signal -> readEnded(self.get()))
                .cache();
        self.set(started);
        reading = started;
        readingCovers = covers;
        return started;
    }

    private synchronized void readEnded(Mono<Void> read) {
        if (reading == read) {
            reading = null; // a later watcher finds the frame it left, or reads again after a failure
        }
    }
}
