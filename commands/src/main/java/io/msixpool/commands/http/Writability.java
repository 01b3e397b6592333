package io.msixpool.commands.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;

/**
 * Tells when a connection can take more output: Netty marks a channel unwritable while more than its
 * high-water mark waits to go out (a client that does not read), and writable again once that drained.
 * A watch stream hands its next frame to the connection only when it is writable, so a slow client
 * holds back the stream instead of piling frames up in memory.
 */
final class Writability extends ChannelInboundHandlerAdapter {
    private final Channel channel;
    private final Sinks.Many<Boolean> changes = Sinks.many().multicast().directBestEffort();

    private Writability(Channel channel) {
        this.channel = channel;
    }

    static Writability of(Connection connection) {
        Writability writability = new Writability(connection.channel());
        connection.addHandlerLast("msix.writability", writability);
        return writability;
    }

    /** Completes at once while the connection is writable, else when it becomes writable again. */
    Mono<Void> whenWritable() {
        if (channel.isWritable()) {
            return Mono.empty(); // most of the time: nothing to listen to, for each frame of each watcher
        }
        // Listen first, then look: a change between the two cannot be missed.
        return Flux.merge(changes.asFlux(), Mono.fromCallable(channel::isWritable))
                .filter(writable -> writable)
                .next()
                .then();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        changes.tryEmitNext(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }
}
