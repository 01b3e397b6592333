package io.msixpool.commands.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import reactor.netty.NettyPipeline;

/**
 * Slow clients that trickle a request's head (request line and headers): Reactor Netty's read and
 * request timeouts start only once a head has arrived, and its idle timeout starts again with every
 * byte, so a client sending a byte a minute would hold a connection for ever. This answers 408 and
 * closes the connection when a head is not complete within the timeout of its first byte.
 *
 * <p>Two handlers around the HTTP codec share one clock: the one before it sees a request's first
 * bytes, the one after it sees the head decoded. Both run on the channel's event loop.
 */
final class HeadTimeout {
    private final long timeoutNanos;
    private ScheduledFuture<?> deadline;
    private boolean inRequest;

    private HeadTimeout(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    static void install(Channel channel, Duration timeout) {
        HeadTimeout clock = new HeadTimeout(timeout);
        channel.pipeline().addBefore(NettyPipeline.HttpCodec, "msix.headTimeout.bytes", clock.new Bytes());
        channel.pipeline().addAfter(NettyPipeline.HttpCodec, "msix.headTimeout.heads", clock.new Heads());
    }

    private void stop() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    private static void timeOut(ChannelHandlerContext ctx) {
        byte[] body = (ApiError.requestTimeout("the request's headers").toJson() + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] head = ("HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json; charset=utf-8\r\n"
                + "content-length: " + body.length + "\r\nconnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        // Written below the codec, which has no request to answer: raw bytes, then the connection closes.
        ctx.writeAndFlush(Unpooled.wrappedBuffer(head, body)).addListener(ChannelFutureListener.CLOSE);
    }

    /** Before the codec: the first bytes of a request start the clock. */
    private final class Bytes extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!inRequest && deadline == null) {
                deadline = ctx.executor().schedule(() -> timeOut(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            stop();
            ctx.fireChannelInactive();
        }
    }

    /** After the codec: a decoded head stops the clock; the end of its body lets the next request start it. */
    private final class Heads extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest) {
                stop();
                inRequest = true;
            }
            if (msg instanceof LastHttpContent) {
                inRequest = false;
            }
            ctx.fireChannelRead(msg);
        }
    }
}
