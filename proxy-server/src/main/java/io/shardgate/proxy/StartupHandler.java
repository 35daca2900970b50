package io.shardgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.shardgate.proxy.protocol.PgFrameDecoder;
import io.shardgate.proxy.protocol.ProtocolException;
import io.shardgate.proxy.protocol.frontend.CancelRequest;
import io.shardgate.proxy.protocol.frontend.GSSENCRequest;
import io.shardgate.proxy.protocol.frontend.SSLRequest;
import io.shardgate.proxy.protocol.frontend.StartupMessage;

import java.util.List;

/**
 * Reads the untyped first packets of a client connection: SSLRequest (answered 'S' and TLS started when a
 * certificate is configured, else 'N'), GSSENCRequest ('N'), CancelRequest (passed on, then the connection closes)
 * and StartupMessage (passed on; then this handler replaces itself with a {@link PgFrameDecoder}, handing it any
 * bytes already received).
 */
public final class StartupHandler extends ByteToMessageDecoder {
    static final int MAX_STARTUP_PACKET = 10_000;
    private final SslContext ssl;
    private final int maxFrameSize;
    private boolean tlsStarted;

    public StartupHandler(SslContext ssl, int maxFrameSize) {
        this.ssl = ssl;
        this.maxFrameSize = maxFrameSize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 4) {
            return;
        }
        int length = in.getInt(in.readerIndex());
        if (length < 8 || length > MAX_STARTUP_PACKET) {
            in.skipBytes(in.readableBytes());
            throw new ProtocolException("invalid startup packet length " + length + " (expected: 8 <= length <= "
                    + MAX_STARTUP_PACKET + ")");
        }
        if (in.readableBytes() < length) {
            return;
        }
        ByteBuf packet = in.readSlice(length);
        packet.skipBytes(4);
        int code = packet.readInt();
        switch (code) {
            case SSLRequest.CODE -> {
                if (ssl != null && !tlsStarted) {
                    tlsStarted = true;
                    // startTls: the 'S' written next passes through unencrypted, then the handshake begins
                    SslHandler handler = new SslHandler(ssl.newEngine(ctx.alloc()), true);
                    ctx.pipeline().addFirst("tls", handler);
                    ctx.writeAndFlush(ctx.alloc().buffer(1).writeByte('S'));
                } else {
                    ctx.writeAndFlush(ctx.alloc().buffer(1).writeByte('N'));
                }
            }
            case GSSENCRequest.CODE -> ctx.writeAndFlush(ctx.alloc().buffer(1).writeByte('N')); // GSSENCRequest
            case CancelRequest.CODE -> {
                out.add(CancelRequest.decode(packet));
                ctx.pipeline().remove(this);
            }
            default -> {
                if (code >> 16 != 3) {
                    throw new ProtocolException("unsupported frontend protocol " + (code >> 16) + "." + (code & 0xffff)
                            + ": shardgate speaks protocol 3.0");
                }
                packet.readerIndex(packet.readerIndex() - 4);
                out.add(StartupMessage.decode(packet));
                ctx.pipeline().addAfter(ctx.name(), "frames", new PgFrameDecoder(maxFrameSize));
                ctx.pipeline().remove(this);
            }
        }
    }

}
