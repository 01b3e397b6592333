package io.msixpool.commands.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.LoggerFactory;
import reactor.netty.NettyPipeline;

/**
 * Requests the HTTP codec could not decode (a request line over {@link #MAX_LINE}, headers over
 * {@link #MAX_HEADERS}, a malformed header or Content-Length) get the JSON error every other refusal
 * gets (docs/http.md), where Reactor Netty would answer them with an empty body. The codec stops
 * reading the connection after such a request, so the answer closes it.
 *
 * <p>Placed right after the codec, it takes the failed request before Reactor Netty sees it; requests
 * decoded whole pass through untouched.
 */
final class CodecRefusals extends ChannelInboundHandlerAdapter {
    static final int MAX_LINE = 8192;
    static final int MAX_HEADERS = 16384;
    private static final RateLimitedLog LOG = new RateLimitedLog(LoggerFactory.getLogger(CodecRefusals.class), Duration.ofSeconds(1));

    static void install(Channel channel) {
        channel.pipeline().addAfter(NettyPipeline.HttpCodec, "msix.codecRefusals", new CodecRefusals());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request && request.decoderResult().isFailure()) {
            ReferenceCountUtil.release(msg);
            if (!ctx.channel().isActive()) {
                return; // the client closed mid-head: nobody to answer, and nothing worth a log line
            }
            ApiError error = refusal(request.decoderResult().cause());
            LOG.warn("refused a request from " + ctx.channel().remoteAddress() + ": " + error.status() + " " + error.message());
            ctx.writeAndFlush(response(error)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    static ApiError refusal(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return new ApiError(414, "URI_TOO_LONG", "the request line is over " + MAX_LINE + " bytes");
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return new ApiError(431, "HEADERS_TOO_LARGE", "the request's headers are over " + MAX_HEADERS + " bytes");
        }
        return ApiError.badRequest("the request is not valid HTTP/1.1: " + cause.getMessage());
    }

    private static FullHttpResponse response(ApiError error) {
        byte[] body = (error.toJson() + "\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(error.status()), Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, Responses.JSON + "; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return response;
    }
}
