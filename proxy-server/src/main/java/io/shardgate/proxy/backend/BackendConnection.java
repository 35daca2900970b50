package io.shardgate.proxy.backend;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.shardgate.proxy.CoalescingWriter;
import io.shardgate.proxy.auth.AuthenticationFailed;
import io.shardgate.proxy.auth.Md5;
import io.shardgate.proxy.auth.Scram;
import io.shardgate.proxy.auth.ScramClient;
import io.shardgate.proxy.protocol.Frame;
import io.shardgate.proxy.protocol.PgFrameDecoder;
import io.shardgate.proxy.protocol.PgMessage;
import io.shardgate.proxy.protocol.backend.Authentication;
import io.shardgate.proxy.protocol.backend.AuthenticationCleartextPassword;
import io.shardgate.proxy.protocol.backend.AuthenticationMD5Password;
import io.shardgate.proxy.protocol.backend.AuthenticationOk;
import io.shardgate.proxy.protocol.backend.AuthenticationSASL;
import io.shardgate.proxy.protocol.backend.AuthenticationSASLContinue;
import io.shardgate.proxy.protocol.backend.AuthenticationSASLFinal;
import io.shardgate.proxy.protocol.backend.BackendKeyData;
import io.shardgate.proxy.protocol.backend.ErrorResponse;
import io.shardgate.proxy.protocol.backend.ParameterStatus;
import io.shardgate.proxy.protocol.backend.TransactionStatus;
import io.shardgate.proxy.protocol.frontend.CancelRequest;
import io.shardgate.proxy.protocol.frontend.PasswordMessage;
import io.shardgate.proxy.protocol.frontend.SASLInitialResponse;
import io.shardgate.proxy.protocol.frontend.SASLResponse;
import io.shardgate.proxy.protocol.frontend.StartupMessage;
import io.shardgate.proxy.protocol.frontend.Terminate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One logged-in connection to a backend database, on one event loop. Frames the backend sends go, undecoded, to
 * the current {@link Listener} (the client session that borrowed it). It remembers the backend's transaction
 * status from every ReadyForQuery, the statements prepared on it (for transaction pooling) and what it still owes
 * replies for.
 */
public final class BackendConnection {
    /** Who receives the backend's frames while this connection is borrowed. */
    public interface Listener {
        /** Takes ownership of {@code frame}. */
        void onFrame(BackendConnection connection, Frame frame);

        void onReadComplete(BackendConnection connection);

        /**
         * Whether the next message, of {@code type}, is to be forwarded as it is: then it comes to {@link #forward}
         * as bytes instead of to {@link #onFrame}.
         */
        default boolean forwardsAsIs(BackendConnection connection, byte type) {
            return false;
        }

        /** A message {@link #forwardsAsIs} accepted: {@code in[index, index + length)}, valid during the call only. */
        default void forward(BackendConnection connection, ByteBuf in, int index, int length) {
        }

        /**
         * Whether the coming ReadyForQuery only ends the reply at the head of the connection's expected ones: then
         * {@link #onReady} gets it (the connection's status already taken from it) instead of {@link #onFrame}.
         */
        default boolean takesReadyAsIs(BackendConnection connection) {
            return false;
        }

        /** A ReadyForQuery {@link #takesReadyAsIs} accepted. */
        default void onReady(BackendConnection connection) {
        }

        void onClosed(BackendConnection connection);
    }

    private final BackendAddress address;
    private final Channel channel;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private final Map<String, String> prepared = new HashMap<>();
    /** Reply handlers in the order the backend will answer (owned by the borrowing session). */
    public final ArrayDeque<Object> expecting = new ArrayDeque<>();
    private int processId;
    private int secretKey;
    private int nextStatement;
    private TransactionStatus status = TransactionStatus.IDLE;
    private Listener listener;
    /** The listener before the current one, owed the end of the read during which it let go; else null. */
    private Listener previousListener;
    private boolean closed;
    /** What the session sends, collected into one buffer per flush (see CoalescingWriter). */
    private final CoalescingWriter out;
    /** Extended-protocol messages were sent since the last Sync. */
    public boolean needsSync;
    /** What a session left on the backend that the next one must not see: the next session to take it resets it. */
    public LeftBehind leftBehind = LeftBehind.NOTHING;
    /**
     * The settings the backend runs with, as the statements that made them (a session's replay text), or null for
     * its defaults: a session whose settings are these already sends nothing when it takes the connection.
     */
    public String settings;

    /** Session state a client's statements left on a backend connection, by the reset it takes. */
    public enum LeftBehind {
        NOTHING,
        /** settings not known from {@link #settings} (SET inside a transaction): RESET ALL, keeping prepared statements */
        SETTINGS,
        /** anything else (PREPARE, LISTEN, cursors WITH HOLD, advisory locks, temporary tables): DISCARD ALL */
        STATE;

        public LeftBehind and(LeftBehind other) {
            return other.ordinal() > ordinal() ? other : this;
        }
    }
    long idleSince;

    private BackendConnection(BackendAddress address, Channel channel) {
        this.address = address;
        this.channel = channel;
        this.out = new CoalescingWriter(channel);
        channel.closeFuture().addListener(f -> out.discard());
        PgFrameDecoder frames = channel.pipeline().get(PgFrameDecoder.class);
        if (frames != null) {
            frames.passthrough(new ToListener());
        }
    }

    /** Lets the borrowing session take the messages it forwards as they are without a frame each. */
    private final class ToListener implements PgFrameDecoder.Passthrough {
        @Override
        public boolean passes(byte type) {
            Listener l = listener;
            if (l == null) {
                return false;
            }
            return type == 'Z' ? l.takesReadyAsIs(BackendConnection.this) : l.forwardsAsIs(BackendConnection.this, type);
        }

        @Override
        public void pass(ByteBuf in, int index, int length) {
            if (in.getByte(index) == 'Z') {
                status = TransactionStatus.of(in.getByte(index + 5));
                listener.onReady(BackendConnection.this);
            } else {
                listener.forward(BackendConnection.this, in, index, length);
            }
        }
    }

    /** Why the proxy dropped this connection (a message over proxy.max-message-size, ...); null otherwise. */
    volatile String closeReason;

    public String closeReason() {
        return closeReason;
    }

    public static Future<BackendConnection> connect(EventLoop loop, BackendAddress address, int connectTimeoutMillis,
                                                    int maxFrameSize) {
        Promise<BackendConnection> ready = loop.newPromise();
        Bootstrap b = new Bootstrap().group(loop).channel(io.shardgate.proxy.NetTransport.socketChannelFor(loop))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.RCVBUF_ALLOCATOR, io.shardgate.proxy.LoopReadBuffer.INSTANCE)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("frames", new PgFrameDecoder(maxFrameSize));
                        ch.pipeline().addLast("backend", new Handler(address, ready));
                    }
                });
        ChannelFuture f = b.connect(address.host(), address.port());
        f.addListener(cf -> {
            if (!cf.isSuccess()) {
                ready.tryFailure(new BackendException("cannot connect to backend " + address + ": "
                        + cf.cause().getMessage(), cf.cause()));
            }
        });
        loop.schedule(() -> {
            if (ready.tryFailure(new BackendException("backend " + address + " did not finish login within "
                    + connectTimeoutMillis + "ms", null))) {
                f.channel().close();
            }
        }, connectTimeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
        return ready;
    }

    /** Sends a CancelRequest for whatever this connection is running, on a fresh connection (fire and forget). */
    public void cancel() {
        CancelRequest cancel = new CancelRequest(processId, secretKey);
        new Bootstrap().group(channel.eventLoop())
                .channel(io.shardgate.proxy.NetTransport.socketChannelFor(channel.eventLoop()))
                .handler(new ChannelInboundHandlerAdapter())
                .connect(address.host(), address.port()).addListener((ChannelFuture cf) -> {
                    if (cf.isSuccess()) {
                        ByteBuf buf = cf.channel().alloc().buffer(16);
                        cancel.encode(buf);
                        cf.channel().writeAndFlush(buf).addListener(w -> cf.channel().close());
                    }
                });
    }

    public BackendAddress address() {
        return address;
    }

    public Channel channel() {
        return channel;
    }

    public Map<String, String> parameters() {
        return parameters;
    }

    public TransactionStatus status() {
        return status;
    }

    public int processId() {
        return processId;
    }

    public boolean usable() {
        return !closed && channel.isActive();
    }

    public void listener(Listener l) {
        if (listener != null && listener != l) {
            // a session may hand the connection back while reading from it (a reply completed its cycle): it still
            // gets this read's end, to flush what the read made it write, as the new listener would not do that
            previousListener = listener;
        }
        this.listener = l;
    }

    public Listener listener() {
        return listener;
    }

    /** The backend name of the statement prepared for {@code key}, or null. */
    public String prepared(String key) {
        return prepared.get(key);
    }

    /** Reserves a new backend statement name for {@code key}. */
    public String prepare(String key) {
        String name = "sg" + (++nextStatement);
        prepared.put(key, name);
        return name;
    }

    public void forgetPrepared() {
        prepared.clear();
    }

    public int preparedCount() {
        return prepared.size();
    }

    public void write(PgMessage m) {
        out.write(m);
    }

    /** Writes a raw frame (takes ownership). */
    public void write(Frame f) {
        out.write(f.content());
    }

    /** Flushes what was written since the last flush; sessions call this for every held connection, most idle. */
    public void flush() {
        out.flush();
    }

    public void close() {
        if (!closed) {
            closed = true;
            if (channel.isActive()) {
                write(Terminate.INSTANCE);
                out.writePending();
                channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
                        .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
            }
        }
    }

    public Future<Void> closeFuture() {
        return channel.closeFuture();
    }

    @Override
    public String toString() {
        return "backend " + address.name() + " pid " + processId;
    }

    /** Login, then hand frames to the listener. */
    private static final class Handler extends ChannelInboundHandlerAdapter {
        private final BackendAddress address;
        private final Promise<BackendConnection> ready;
        private BackendConnection connection;
        private ScramClient scram;
        private boolean loggedIn;

        Handler(BackendAddress address, Promise<BackendConnection> ready) {
            this.address = address;
            this.ready = ready;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            connection = new BackendConnection(address, ctx.channel());
            Map<String, String> params = new LinkedHashMap<>();
            params.put("user", address.user());
            params.put("database", address.database());
            params.put("client_encoding", "UTF8");
            params.put("DateStyle", "ISO");
            params.put("application_name", "shardgate");
            connection.write(StartupMessage.of(params));
            connection.flush();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Frame f = (Frame) msg;
            if (loggedIn) {
                if (f.type() == 'Z') {
                    connection.status = TransactionStatus.of(f.content().getByte(f.content().readerIndex() + 5));
                }
                Listener l = connection.listener;
                if (l != null) {
                    l.onFrame(connection, f);
                } else {
                    // an idle pooled connection: notices and parameter changes are dropped; anything else is wrong
                    boolean harmless = f.type() == 'N' || f.type() == 'S' || f.type() == 'A';
                    f.release();
                    if (!harmless) {
                        ctx.close();
                    }
                }
                return;
            }
            try {
                login(ctx, f);
            } catch (RuntimeException e) {
                ready.tryFailure(e instanceof BackendException ? e : new BackendException("login to backend "
                        + address + " failed: " + e.getMessage(), e));
                ctx.close();
            } finally {
                f.release();
            }
        }

        private void login(ChannelHandlerContext ctx, Frame f) {
            switch (f.type()) {
                case 'R': {
                    Authentication a = Authentication.decode(f.body());
                    if (a instanceof AuthenticationOk) {
                        return;
                    } else if (a instanceof AuthenticationCleartextPassword) {
                        connection.write(new PasswordMessage(address.password()));
                    } else if (a instanceof AuthenticationMD5Password md5) {
                        connection.write(new PasswordMessage(Md5.response(address.user(), address.password(),
                                md5.salt())));
                    } else if (a instanceof AuthenticationSASL sasl) {
                        if (!sasl.mechanisms().contains(Scram.MECHANISM)) {
                            throw new BackendException("backend " + address + " offers SASL " + sasl.mechanisms()
                                    + ", shardgate speaks " + Scram.MECHANISM, null);
                        }
                        scram = new ScramClient(address.password());
                        connection.write(new SASLInitialResponse(Scram.MECHANISM,
                                scram.clientFirst().getBytes(StandardCharsets.UTF_8)));
                    } else if (a instanceof AuthenticationSASLContinue c) {
                        connection.write(new SASLResponse(scram.clientFinal(c.dataAsString())
                                .getBytes(StandardCharsets.UTF_8)));
                    } else if (a instanceof AuthenticationSASLFinal fin) {
                        try {
                            scram.serverFinal(fin.dataAsString());
                        } catch (AuthenticationFailed e) {
                            throw new BackendException(e.getMessage(), e);
                        }
                        return;
                    }
                    connection.flush();
                    return;
                }
                case 'S': {
                    ParameterStatus p = ParameterStatus.decode(f.body());
                    connection.parameters.put(p.name(), p.value());
                    return;
                }
                case 'K': {
                    BackendKeyData k = BackendKeyData.decode(f.body());
                    connection.processId = k.processId();
                    connection.secretKey = k.secretKey();
                    return;
                }
                case 'E': {
                    ErrorResponse e = ErrorResponse.decode(f.body());
                    throw new BackendException("backend " + address + " refused the login: " + e.message()
                            + " (SQLSTATE " + e.sqlState() + ")", null);
                }
                case 'Z':
                    loggedIn = true;
                    if (!ready.trySuccess(connection)) {
                        connection.close();
                    }
                    return;
                default:
                    // NoticeResponse and anything else during login is ignored
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (!loggedIn) {
                return;
            }
            Listener previous = connection.previousListener;
            connection.previousListener = null;
            if (previous != null) {
                previous.onReadComplete(connection);
            }
            Listener l = connection.listener;
            if (l != null && l != previous) {
                l.onReadComplete(connection);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            ready.tryFailure(new BackendException("backend " + address + " closed the connection during login", null));
            if (connection != null) {
                connection.closed = true;
                Listener l = connection.listener;
                if (l != null) {
                    l.onClosed(connection);
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ready.tryFailure(new BackendException("backend " + address + ": " + cause.getMessage(), cause));
            if (connection != null && connection.closeReason == null) {
                // said to the client whose statement was running when the connection had to be dropped
                Throwable c = cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() != null
                        ? cause.getCause() : cause;
                connection.closeReason = c.getMessage();
                org.slf4j.LoggerFactory.getLogger(BackendConnection.class).warn("closing the connection to backend {}: {}", address.name(),
                        c.toString());
            }
            ReferenceCountUtil.release(null);
            ctx.close();
        }
    }
}
