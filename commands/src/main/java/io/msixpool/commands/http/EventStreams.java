package io.msixpool.commands.http;

import io.netty.buffer.ByteBuf;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

/** A watch's server-sent events to its client (docs/http.md "Watches"): pool and fleet watches alike. */
final class EventStreams {
    private EventStreams() {
    }

    /**
     * Sends {@code frames} with a heartbeat on idle streams until the client leaves or the server
     * stops. {@code frames} must take demand one frame at a time: the next frame is asked for only
     * while the connection takes output, so a reader that falls behind holds back the stream, and
     * what it has not been sent stays with the source, which keeps only what is newest.
     */
    static Mono<Void> send(HttpServerResponse response, Flux<ByteBuf> frames, BusServer server, BusMetrics metrics) {
        metrics.watchOpened();
        Flux<ByteBuf> heartbeats = Flux.interval(BusRoutes.HEARTBEAT).map(tick -> PoolFeed.heartbeat()).onBackpressureDrop();
        Flux<ByteBuf> stream = Flux.merge(1, frames, heartbeats)
                .takeUntilOther(server.stopping().then(Mono.just(true)))
                .doFinally(signal -> metrics.watchClosed());
        // Without this, send would take frames 128 ahead into Netty's buffer whatever the reader does.
        Writability writability = writability(response);
        Flux<ByteBuf> paced = stream.concatMap(frame -> writability.whenWritable().thenReturn(frame), 0);
        return response.sse().send(paced).then();
    }

    private static Writability writability(HttpServerResponse response) {
        Writability[] writability = new Writability[1];
        response.withConnection(connection -> writability[0] = Writability.of(connection));
        return writability[0];
    }
}
