package io.shardgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.shardgate.analysis.LexedStatement;
import io.shardgate.analysis.SqlLexer;
import io.shardgate.analysis.StatementKind;
import io.shardgate.config.ProxyConfig;
import io.shardgate.config.TableConfig;
import io.shardgate.proxy.copy.CopySplitter;
import io.shardgate.proxy.copy.CopyStatement;
import io.shardgate.rule.ShardRule;
import io.shardgate.merge.ListRowCursor;
import io.shardgate.merge.MergeSpec;
import io.shardgate.merge.Merger;
import io.shardgate.merge.RowCursor;
import io.shardgate.proxy.auth.AuthenticationFailed;
import io.shardgate.proxy.auth.Md5;
import io.shardgate.proxy.auth.Scram;
import io.shardgate.proxy.auth.ScramServer;
import io.shardgate.proxy.backend.BackendConnection;
import io.shardgate.proxy.backend.BackendPool;
import io.shardgate.proxy.metrics.ProxyMetrics;
import io.shardgate.proxy.protocol.Frame;
import io.shardgate.proxy.protocol.PgMessage;
import io.shardgate.proxy.protocol.ProtocolException;
import io.shardgate.proxy.protocol.backend.AuthenticationMD5Password;
import io.shardgate.proxy.protocol.backend.AuthenticationOk;
import io.shardgate.proxy.protocol.backend.AuthenticationSASL;
import io.shardgate.proxy.protocol.backend.AuthenticationSASLContinue;
import io.shardgate.proxy.protocol.backend.AuthenticationSASLFinal;
import io.shardgate.proxy.protocol.backend.BackendKeyData;
import io.shardgate.proxy.protocol.backend.BindComplete;
import io.shardgate.proxy.protocol.backend.CloseComplete;
import io.shardgate.proxy.protocol.backend.CommandComplete;
import io.shardgate.proxy.protocol.backend.DataRow;
import io.shardgate.proxy.protocol.backend.EmptyQueryResponse;
import io.shardgate.proxy.protocol.backend.ErrorResponse;
import io.shardgate.proxy.protocol.backend.NoData;
import io.shardgate.proxy.protocol.backend.NoticeResponse;
import io.shardgate.proxy.protocol.backend.ParameterDescription;
import io.shardgate.proxy.protocol.backend.ParameterStatus;
import io.shardgate.proxy.protocol.backend.ParseComplete;
import io.shardgate.proxy.protocol.backend.PortalSuspended;
import io.shardgate.proxy.protocol.backend.ReadyForQuery;
import io.shardgate.proxy.protocol.backend.RowDescription;
import io.shardgate.proxy.protocol.backend.TransactionStatus;
import io.shardgate.proxy.protocol.frontend.Bind;
import io.shardgate.proxy.protocol.frontend.CancelRequest;
import io.shardgate.proxy.protocol.frontend.Close;
import io.shardgate.proxy.protocol.frontend.CopyData;
import io.shardgate.proxy.protocol.frontend.CopyDone;
import io.shardgate.proxy.protocol.frontend.CopyFail;
import io.shardgate.proxy.protocol.frontend.Describe;
import io.shardgate.proxy.protocol.frontend.Execute;
import io.shardgate.proxy.protocol.frontend.Flush;
import io.shardgate.proxy.protocol.frontend.FunctionCall;
import io.shardgate.proxy.protocol.frontend.Parse;
import io.shardgate.proxy.protocol.frontend.PasswordMessage;
import io.shardgate.proxy.protocol.frontend.Query;
import io.shardgate.proxy.protocol.frontend.SASLInitialResponse;
import io.shardgate.proxy.protocol.frontend.SASLResponse;
import io.shardgate.proxy.protocol.frontend.StartupMessage;
import io.shardgate.proxy.protocol.frontend.Sync;
import io.shardgate.proxy.protocol.frontend.Terminate;
import io.shardgate.proxy.values.PgTypes;
import io.shardgate.proxy.values.PgValues;
import io.shardgate.route.RoutableStatement;
import io.shardgate.route.RoutePlan;
import io.shardgate.route.Router;
import io.shardgate.route.SessionState;
import io.shardgate.route.ShardStatement;
import io.shardgate.rule.RoutingException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One client connection: login, then one state machine over the client's messages and the backends' replies.
 *
 * <p>Client messages are decoded and queued; they are handled one at a time, in order. Handling one may need
 * backend connections (borrowed asynchronously, the queue waits) and queues a {@link Slot}: the reply the client
 * is owed for that message, in order. A slot is filled from one backend (forwarded frame by frame, undecoded),
 * from several (merged), or locally. Frames of a slot that is not yet at the head of the queue are held, so
 * replies leave in the order the client asked, while the backends work in parallel.
 *
 * <p>Everything runs on the client's event loop; the backends it borrows live on the same loop.
 */
final class ClientSession extends ChannelInboundHandlerAdapter implements BackendConnection.Listener {
    private enum Phase { STARTUP, AUTH_MD5, AUTH_SASL_FIRST, AUTH_SASL_FINAL, READY, CLOSED }

    private final ProxyServer server;
    private Channel ch;
    /** Writes to the client: small frames and messages copied into one buffer per flush (see CoalescingWriter). */
    private CoalescingWriter out;
    private Phase phase = Phase.STARTUP;
    private String user;
    private String applicationName = "";
    private byte[] md5Salt;
    private ScramServer scram;
    private int processId;
    private int secretKey;
    private boolean counted;
    private String database = "";
    private long connectedAtMillis;
    private AdminSession admin; // set when logged in to the admin database: it answers every query

    // message handling
    private final ArrayDeque<Object> inbound = new ArrayDeque<>();
    private boolean blocked;
    private boolean draining;
    private final ArrayDeque<Slot> slots = new ArrayDeque<>();
    private boolean outputPaused;

    // backends
    private final Map<String, BackendConnection> held = new LinkedHashMap<>();
    private final Set<BackendConnection> unsynced = new LinkedHashSet<>();
    private BackendConnection copyConnection;
    private CopyIn copyIn;

    // transaction state
    private boolean inTx;
    private boolean txFailed;
    private boolean txReadOnly;
    private String beginSql;
    /**
     * What a backend joining the open transaction runs after BEGIN, in order: the savepoints (and releases) so far and
     * the transaction's own settings (SET LOCAL, SET TRANSACTION), so that every shard sees the same transaction.
     */
    private final List<String> joinReplay = new ArrayList<>();
    private final Set<BackendConnection> participants = new LinkedHashSet<>();

    // extended protocol
    private final Map<String, ClientStatement> statements = new HashMap<>();
    private final Map<String, Portal> portals = new HashMap<>();
    private boolean skipUntilSync;
    /**
     * Inside a batch of client reads (channelRead ... channelReadComplete): what the messages of the batch write to
     * backends and to the client is flushed once, at channelReadComplete, so an extended-protocol cycle
     * (Bind/Describe/Execute/Sync) reaches its backend in one write, not one syscall and TCP segment per message.
     */
    private boolean inClientRead;
    /** The proxy is shutting down: close this session with 57P01 as soon as it is outside a transaction and idle. */
    private boolean terminateWhenIdle;

    static final String ADMIN_SHUTDOWN = "terminating connection due to administrator command";

    /** A COPY statement is on its way: copy messages that come before its CopyInResponse are kept, not dropped. */
    private boolean copyPending;
    /** Copy messages (retained frames) the client sent before the COPY's backends were ready for them. */
    private List<Frame> earlyCopy;
    /** After a simple query's ReadyForQuery: the next client message may be handled (one instance per session). */
    private final Runnable queryEnded = () -> {
        blocked = false;
        if (copyPending) {
            copyPending = false;
            dropEarlyCopy();
        }
        afterCycle();
    };
    /**
     * Settings the client made outside a transaction (SET ... by name, in the order made), replayed on every backend
     * the session takes in transaction pooling; null until the first.
     */
    private Map<String, String> settings;
    /** {@link #settings} as one query string (what a backend that lacks them is sent), or null when there are none. */
    private String settingsReplay;
    /**
     * Session settings made inside the open transaction (kind, name, statement): they outlive it when it commits,
     * as in PostgreSQL, and then join {@link #settings}; a rollback drops them.
     */
    private final List<Object[]> transactionSessionSettings = new ArrayList<>();
    /** The continuation parked at a PAUSE, and what to tell the client if it cancels; null when not waiting. */
    private Runnable parked;
    private Consumer<Throwable> parkedFailed;
    /** The last statement of a simple query is followed by its end (one instance per session). */
    private final Runnable endQueryStep = this::endQuery;

    ClientSession(ProxyServer server) {
        this.server = server;
    }

    // ================================================================ Netty events

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ch = ctx.channel();
        out = new CoalescingWriter(ch);
        connectedAtMillis = System.currentTimeMillis();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof StartupMessage m) {
                startup(m);
            } else if (msg instanceof CancelRequest c) {
                server.cancel(c.processId(), c.secretKey());
                ctx.close();
            } else if (msg instanceof Frame f) {
                inClientRead = true;
                onClientFrame(f);
            }
        } catch (ProtocolException e) {
            fatal(ProtocolException.SQLSTATE, e.getMessage());
        } catch (AuthenticationFailed e) {
            fatal(e.sqlState(), e.getMessage());
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        inClientRead = false;
        flushAll();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        boolean writable = ch.isWritable();
        if (writable && outputPaused) {
            outputPaused = false;
            for (BackendConnection c : held.values()) {
                c.channel().config().setAutoRead(true);
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closeSession();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof ProtocolException) {
            fatal(ProtocolException.SQLSTATE, c.getMessage());
        } else if (c instanceof java.io.IOException) {
            ctx.close();
        } else {
            ProxyServer.LOG.warn("client session failed", c);
            fatal("XX000", "internal error in shardgate: " + c);
        }
    }

    // ================================================================ startup and authentication

    private void startup(StartupMessage m) {
        if (server.shuttingDown()) {
            fatal("57P03", "the database system is shutting down");
            return;
        }
        user = m.user();
        if (user == null || user.isEmpty()) {
            throw new AuthenticationFailed("28000", "no PostgreSQL user name specified in startup packet");
        }
        applicationName = m.parameters().getOrDefault("application_name", "");
        startupSettings = startupSettings(m.parameters());
        database = m.database() == null ? user : m.database();
        if (!server.admitClient()) {
            fatal("53300", "sorry, too many clients already (proxy.max-client-connections "
                    + server.proxyConfig().maxClientConnections() + ")");
            return;
        }
        counted = true;
        ProxyConfig.Auth auth = server.proxyConfig().auth();
        if (auth == ProxyConfig.Auth.TRUST) {
            loggedIn();
            return;
        }
        if (!server.proxyConfig().users().containsKey(user)) {
            throw new AuthenticationFailed("password authentication failed for user \"" + user + "\"");
        }
        if (auth == ProxyConfig.Auth.MD5) {
            md5Salt = Md5.salt();
            send(new AuthenticationMD5Password(md5Salt));
            phase = Phase.AUTH_MD5;
        } else {
            send(new AuthenticationSASL(List.of(Scram.MECHANISM)));
            phase = Phase.AUTH_SASL_FIRST;
        }
        flushClient();
    }

    private void authenticate(Frame f) {
        if (f.type() != 'p') {
            throw new ProtocolException("expected a password message ('p'), got '" + f.typeChar() + "'");
        }
        String password = server.proxyConfig().users().get(user);
        switch (phase) {
            case AUTH_MD5 -> {
                if (!Md5.check(user, password, md5Salt, PasswordMessage.decode(f.body()).password())) {
                    throw new AuthenticationFailed("password authentication failed for user \"" + user + "\"");
                }
                loggedIn();
            }
            case AUTH_SASL_FIRST -> {
                SASLInitialResponse r = SASLInitialResponse.decode(f.body());
                if (!r.mechanism().equals(Scram.MECHANISM)) {
                    throw new AuthenticationFailed("08P01", "SASL mechanism " + r.mechanism() + " is not offered");
                }
                scram = new ScramServer(user, server.scramSecret(user));
                send(new AuthenticationSASLContinue(scram.clientFirst(r.dataAsString())
                        .getBytes(StandardCharsets.UTF_8)));
                phase = Phase.AUTH_SASL_FINAL;
                flushClient();
            }
            case AUTH_SASL_FINAL -> {
                String serverFinal = scram.clientFinal(SASLResponse.decode(f.body()).dataAsString());
                send(new AuthenticationSASLFinal(serverFinal.getBytes(StandardCharsets.UTF_8)));
                loggedIn();
            }
            default -> throw new ProtocolException("unexpected password message");
        }
    }

    private void loggedIn() {
        if (ProxyConfig.ADMIN_DATABASE.equals(database)) {
            if (!server.proxyConfig().isAdmin(user)) {
                throw new AuthenticationFailed("28000", "user \"" + user + "\" is not an admin user: the database \""
                        + ProxyConfig.ADMIN_DATABASE + "\" is the shardgate admin console (proxy.admin-users "
                        + server.proxyConfig().adminUsers() + ")");
            }
            admin = new AdminSession(server, this);
        }
        server.metrics().clientLogin();
        phase = Phase.READY;
        send(AuthenticationOk.INSTANCE);
        Map<String, String> params = new LinkedHashMap<>(server.parameterStatus());
        if (admin == null) {
            // settings the client asked for in its startup packet (application_name, TimeZone, options=-c ...) are
            // the session's settings: run on every backend it takes, before its first statement there
            startupSettings.forEach((name, value) -> {
                keepSetting(StatementKind.SET, name.toLowerCase(java.util.Locale.ROOT),
                        "SET " + quoteIdent(name) + " = " + quoteLiteral(value));
                params.computeIfPresent(name, (k, v) -> value);
            });
        }
        params.put("application_name", applicationName);
        params.put("session_authorization", user);
        params.put("client_encoding", "UTF8");
        for (Map.Entry<String, String> e : params.entrySet()) {
            send(new ParameterStatus(e.getKey(), e.getValue()));
        }
        int[] key = server.register(this);
        processId = key[0];
        secretKey = key[1];
        send(new BackendKeyData(processId, secretKey));
        send(ReadyForQuery.IDLE);
        flushClient();
    }

    // ================================================================ client messages

    private void onClientFrame(Frame f) {
        switch (phase) {
            case AUTH_MD5, AUTH_SASL_FIRST, AUTH_SASL_FINAL -> authenticate(f);
            case READY -> {
                if (admin != null) {
                    out.writePending(); // the admin console writes to the channel itself
                    admin.onFrame(f);
                    return;
                }
                Object m = decode(f);
                if (m instanceof CopyData || m instanceof CopyDone || m instanceof CopyFail) {
                    if (copyIn != null) {
                        copyIn.fromClient(m);
                    } else if (copyConnection != null) {
                        copyConnection.write(f.retain());
                        if (!(m instanceof CopyData)) {
                            copyConnection.flush();
                        }
                    } else if (copyPending) {
                        // sent before the backend's CopyInResponse reached us (asyncpg does): kept until it does
                        if (earlyCopy == null) {
                            earlyCopy = new ArrayList<>();
                        }
                        earlyCopy.add(f.retain());
                    }
                    return; // copy messages outside COPY are ignored, as PostgreSQL does
                }
                inbound.addLast(m);
                if (inbound.size() > 10_000) {
                    ch.config().setAutoRead(false);
                }
                drain();
            }
            default -> f.release();
        }
    }

    private static Object decode(Frame f) {
        ByteBuf body = f.body();
        return switch (f.typeChar()) {
            case 'Q' -> Query.decode(body);
            case 'P' -> Parse.decode(body);
            case 'B' -> Bind.decode(body);
            case 'D' -> Describe.decode(body);
            case 'E' -> Execute.decode(body);
            case 'C' -> Close.decode(body);
            case 'S' -> Sync.INSTANCE;
            case 'H' -> Flush.INSTANCE;
            case 'X' -> Terminate.INSTANCE;
            case 'd' -> CopyData.decode(body);
            case 'c' -> CopyDone.INSTANCE;
            case 'f' -> CopyFail.decode(body);
            case 'F' -> FunctionCall.decode(body);
            default -> throw new ProtocolException("invalid frontend message type '" + f.typeChar() + "'");
        };
    }

    /** Handles queued client messages until one has to wait for backends. */
    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (!blocked && phase == Phase.READY && !inbound.isEmpty()) {
                handle(inbound.pollFirst());
            }
            if (inbound.isEmpty() && !ch.config().isAutoRead()) {
                ch.config().setAutoRead(true);
            }
        } finally {
            draining = false;
        }
        if (!inClientRead) { // else channelReadComplete flushes once for the whole batch
            flushAll();
        }
    }

    private void flushAll() {
        held.forEach(FLUSH_BACKEND); // no iterator per client read
        flushClient();
    }

    private static final java.util.function.BiConsumer<String, BackendConnection> FLUSH_BACKEND = (db, c) -> c.flush();

    private void handle(Object m) {
        if (skipUntilSync && !(m instanceof Sync) && !(m instanceof Query) && !(m instanceof Terminate)) {
            return; // after an error in an extended batch everything up to Sync is ignored
        }
        try {
            if (m instanceof Query q) {
                simpleQuery(q.sql());
            } else if (m instanceof Parse p) {
                parse(p);
            } else if (m instanceof Bind b) {
                bind(b);
            } else if (m instanceof Describe d) {
                describe(d);
            } else if (m instanceof Execute e) {
                execute(e);
            } else if (m instanceof Close c) {
                close(c);
            } else if (m instanceof Sync) {
                sync();
            } else if (m instanceof Flush) {
                for (BackendConnection c : unsynced) {
                    c.write(Flush.INSTANCE);
                }
            } else if (m instanceof Terminate) {
                phase = Phase.CLOSED;
                ch.close();
            } else if (m instanceof FunctionCall call) {
                functionCall(call);
            }
        } catch (RoutingException e) {
            localError(e.sqlState(), e.getMessage(), m instanceof Query);
        }
    }

    /**
     * Routes on the event loop, except with directory rules, whose cache misses read a database: then routing runs
     * on the proxy's routing threads, and no other message of this client is handled meanwhile.
     */
    private void routeThen(String sql, List<Object> params, Consumer<RoutePlan> then,
                           Consumer<RuntimeException> failed) {
        routeThen(state -> server.router().route(sql, params, state), then, failed);
    }

    /** {@link #routeThen(String, List, Consumer, Consumer)} with a plan function, called with the session state. */
    private void routeThen(Function<SessionState, RoutePlan> route, Consumer<RoutePlan> then,
                           Consumer<RuntimeException> failed) {
        if (!server.routingMayBlock()) {
            RoutePlan plan;
            try {
                plan = route.apply(sessionState());
            } catch (RuntimeException e) {
                failed.accept(e);
                return;
            }
            then.accept(plan);
            return;
        }
        blocked = true;
        SessionState state = sessionState();
        server.routingExecutor().execute(() -> {
            RoutePlan plan = null;
            RuntimeException error = null;
            try {
                plan = route.apply(state);
            } catch (RuntimeException e) {
                error = e;
            }
            RoutePlan p = plan;
            RuntimeException err = error;
            ch.eventLoop().execute(() -> {
                blocked = false;
                if (phase == Phase.CLOSED) {
                    return;
                }
                if (err != null) {
                    failed.accept(err);
                } else {
                    then.accept(p);
                }
                drain();
            });
        });
    }

    /**
     * The plan of {@code sql} (looked up already as {@code st}, or null), routed right here: for when routing cannot
     * block (no directory rule), the common case, without the callbacks {@link #routeThen} needs to route off the
     * event loop. Null when routing failed; the client has been answered with the error then.
     */
    private RoutePlan routeHere(RoutableStatement st, String sql, List<Object> params, boolean simple) {
        try {
            Router router = server.router();
            return st != null ? router.route(st, params, sessionState()) : router.route(sql, params, sessionState());
        } catch (RuntimeException e) {
            routingError(e, simple);
            return null;
        }
    }

    /** A statement that cannot be routed: the RoutingException's SQLSTATE, or XX000 for anything unexpected. */
    private void routingError(RuntimeException e, boolean simple) {
        if (e instanceof RoutingException r) {
            localError(r.sqlState(), r.getMessage(), simple);
        } else {
            ProxyServer.LOG.warn("routing failed", e);
            localError("XX000", "shardgate could not route the statement: " + e, simple);
        }
    }

    private SessionState sessionState() {
        return SessionState.of(inTx, txReadOnly);
    }

    // ================================================================ fast-path function calls

    /**
     * A FunctionCall runs on the default shard's primary, as a statement naming no table does: large objects (what
     * clients call this way) then live there, and a transaction keeps using that one backend for them.
     */
    private void functionCall(FunctionCall call) {
        blocked = true; // until its ReadyForQuery, as a simple query
        if (txFailed) {
            failedTransaction(false);
            endQuery();
            return;
        }
        var cfg = server.router().config();
        withBackends(List.of(cfg.shard(cfg.defaultShard()).primary()), conns -> {
            BackendConnection c = conns.get(0);
            join(c);
            c.write(call);
            queue(new Forward(c, "", false, null)); // FunctionCallResponse (or an error), then its ReadyForQuery
            endQuery();
        }, error -> {
            localError(backendState(error), error.getMessage(), true);
            endQuery();
        });
    }

    // ================================================================ simple query protocol

    private void simpleQuery(String sql) {
        blocked = true;
        List<String> parts = server.router().split(sql);
        if (parts.isEmpty()) {
            fixed(EmptyQueryResponse.INSTANCE);
            endQuery();
            return;
        }
        runStatement(parts, 0);
    }

    private void runStatement(List<String> parts, int i) {
        if (i == parts.size()) {
            endQuery();
            return;
        }
        String sql = parts.get(i);
        Runnable next = i + 1 == parts.size() ? endQueryStep : () -> runStatement(parts, i + 1);
        // looked up (lexed) once: its kind here, then routed as it is
        Router router = server.router();
        RoutableStatement statement;
        LexedStatement lexed;
        try {
            statement = router.statement(sql);
            lexed = statement.lexed();
        } catch (RuntimeException e) {
            // its analysis failed: lexed for its kind only; routing the text reports the failure where it did
            statement = null;
            lexed = SqlLexer.lex(sql, router.config().dialect());
        }
        RoutableStatement st = statement;
        StatementKind kind = lexed.kind();
        if (kind.isTransactionControl()) {
            transactionControl(sql, lexed, false, ok -> {
                if (ok) {
                    next.run();
                } else {
                    endQuery();
                }
            });
            return;
        }
        if (kind == StatementKind.EMPTY) {
            fixed(EmptyQueryResponse.INSTANCE);
            next.run();
            return;
        }
        if (txFailed) {
            failedTransaction(false);
            endQuery();
            return;
        }
        if (inTx && kind == StatementKind.SET && settingName(sql) == null) {
            transactionSetting(sql, ok -> {
                if (ok) {
                    next.run();
                } else {
                    endQuery();
                }
            });
            return;
        }
        if (kind == StatementKind.COPY) {
            copyPending = true;
            CopyStatement cs = CopyStatement.parse(sql);
            TableConfig tc = cs == null ? null : server.router().config().table(cs.table());
            if (tc != null && (tc.sharded() || tc.reference())) {
                copyAcrossShards(sql, cs, tc, next);
                return;
            }
        }
        if (st != null && !server.routingMayBlock()) {
            RoutePlan plan = routeHere(st, sql, List.of(), true);
            if (plan == null) {
                endQuery();
            } else {
                runPlanned(plan, kind, next);
            }
            return;
        }
        Function<SessionState, RoutePlan> route = st != null ? state -> router.route(st, List.of(), state)
                : state -> router.route(sql, List.of(), state);
        routeThen(route, plan -> runPlanned(plan, kind, next), e -> {
            routingError(e, true);
            endQuery();
        });
    }

    private void runPlanned(RoutePlan plan, StatementKind kind, Runnable next) {
        if (listensInTransactionPooling(plan)) {
            localError("0A000", LISTEN_REFUSED, true);
            endQuery();
            return;
        }
        if (kind == StatementKind.EXPLAIN_ROUTE) {
            List<PgMessage> out = new ArrayList<>(explainRoute(plan, true));
            out.add(new CommandComplete("SELECT " + plan.statements().size()));
            fixed(out.toArray(new PgMessage[0]));
            next.run();
            return;
        }
        List<ShardStatement> stmts = plan.statements();
        if (stmts.size() == 1) {
            BackendConnection c = atHand(stmts.get(0).database(), !server.pauses().active());
            if (c != null) { // held, or idle in the pool: no borrowing callbacks
                runOnOne(plan, c, next);
                return;
            }
        }
        withBackends(databases(stmts), conns -> {
            if (conns.size() == 1) {
                runOnOne(plan, conns.get(0), next);
                return;
            }
            List<Runnable> sends = new ArrayList<>();
            for (int k = 0; k < conns.size(); k++) {
                join(conns.get(k));
                BackendConnection c = conns.get(k);
                ShardStatement st = stmts.get(k);
                sends.add(() -> sendSimple(c, st));
            }
            Merge m = new Merge(conns, plan, false, null);
            m.start(sends, sequential(plan));
            queueStatement(m, plan, next);
        }, error -> {
            localError(backendState(error), error.getMessage(), true);
            endQuery();
        });
    }

    /** Runs a simple-query statement planned for one backend, {@code c}, then {@code next}. */
    private void runOnOne(RoutePlan plan, BackendConnection c, Runnable next) {
        join(c);
        boolean extended = sendSimple(c, plan.statements().get(0));
        queueStatement(new Forward(c, "", false, plan).dropSetup(extended), plan, next);
    }

    /** Queues the slot of a simple-query statement: when it is done, its metrics, then {@code next} (or the end). */
    private void queueStatement(Slot slot, RoutePlan plan, Runnable next) {
        slot.statementPlan = plan;
        slot.statementStarted = System.nanoTime();
        slot.endsQueryOnFailure = true;
        slot.onDone = next;
        queue(slot);
    }

    /** Sends one statement of a simple query; with parameters (router rewrites) it goes as an unnamed extended one. */
    private boolean sendSimple(BackendConnection c, ShardStatement s) {
        if (s.parameters().isEmpty()) {
            c.write(new Query(s.sql()));
            return false;
        }
        c.write(new Parse("", s.sql(), List.of()));
        c.write(textBind("", "", s.parameters(), new short[0]));
        c.write(new Describe('P', ""));
        c.write(new Execute("", 0));
        c.write(Sync.INSTANCE);
        return true;
    }

    private void endQuery() {
        queue(new ReadySlot());
    }

    private List<PgMessage> explainRoute(RoutePlan plan, boolean withDescription) {
        List<PgMessage> out = new ArrayList<>();
        if (withDescription) {
            out.add(explainDescription());
        }
        for (List<String> row : plan.explainRows()) {
            byte[][] values = new byte[row.size()][];
            for (int i = 0; i < row.size(); i++) {
                values[i] = row.get(i).getBytes(StandardCharsets.UTF_8);
            }
            out.add(new DataRow(values));
        }
        return out;
    }

    private static RowDescription explainDescription() {
        return new RowDescription(List.of(RowDescription.Field.text("shard"), RowDescription.Field.text("role"),
                RowDescription.Field.text("database"), RowDescription.Field.text("sql")));
    }

    // ================================================================ COPY across shards

    /**
     * COPY on a sharded or reference table: FROM STDIN splits the rows by key (each row of a reference table goes
     * to every shard); TO STDOUT concatenates the shards' rows.
     */
    private void copyAcrossShards(String sql, CopyStatement cs, TableConfig tc, Runnable next) {
        var cfg = server.router().config();
        if (cs.binary()) {
            // binary rows cannot be split by key, and each shard's stream has its own header and trailer
            localError("0A000", "COPY " + (cs.in() ? "FROM" : "TO") + " in binary format on " + (tc.sharded()
                    ? "sharded table " : "reference table ") + tc.name() + " is not supported through shardgate: "
                    + "use the text or CSV format", true);
            endQuery();
            return;
        }
        List<String> shards = tc.sharded() ? server.router().rule(tc.rule()).shards()
                : !cs.in() ? List.of(cfg.shards().containsKey(cfg.defaultShard()) ? cfg.defaultShard()
                        : cfg.shards().keySet().iterator().next()) // a reference table: every shard has all rows
                : new ArrayList<>(cfg.shards().keySet());
        List<String> dbs = new ArrayList<>();
        for (String shard : shards) {
            dbs.add(cfg.shard(shard).primary());
        }
        withBackends(dbs, conns -> {
            for (BackendConnection c : conns) {
                join(c);
            }
            if (!cs.in()) {
                for (BackendConnection c : conns) {
                    c.write(new Query(sql));
                }
                CopyOut out = new CopyOut(conns, cs.header());
                out.onDone = () -> afterStatement(out, next);
                queue(out);
                return;
            }
            if (tc.reference() || cs.columns().contains(tc.key().toLowerCase(java.util.Locale.ROOT))) {
                startCopyIn(sql, cs, tc, conns, tc.reference() ? -1
                        : cs.columns().indexOf(tc.key().toLowerCase(java.util.Locale.ROOT)), next);
                return;
            }
            if (!cs.columns().isEmpty()) {
                localError("0A000", "COPY into " + tc.name() + " must include its shard key " + tc.key()
                        + " (rule " + tc.rule() + ") in the column list", true);
                endQuery();
                return;
            }
            // no column list: the key's position comes from the catalog of the first shard
            BackendConnection first = conns.get(0);
            first.write(new Query("SELECT attname FROM pg_attribute WHERE attrelid = '"
                    + tc.name().replace("'", "''") + "'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum"));
            Lookup lookup = new Lookup(first);
            lookup.whenDone = columns -> {
                int key = columns.indexOf(tc.key().toLowerCase(java.util.Locale.ROOT));
                if (key < 0) {
                    localError("42703", "shard key " + tc.key() + " is not a column of " + tc.name(), true);
                    endQuery();
                } else {
                    startCopyIn(sql, cs, tc, conns, key, next);
                }
                for (BackendConnection b : held.values()) {
                    b.flush();
                }
            };
        }, error -> {
            localError(backendState(error), error.getMessage(), true);
            endQuery();
        });
    }

    /** The copy messages the client sent early, now that a COPY takes them, in the order sent. */
    private void deliverEarlyCopy() {
        if (earlyCopy == null) {
            return;
        }
        List<Frame> frames = earlyCopy;
        earlyCopy = null;
        for (Frame f : frames) {
            if (copyIn != null) {
                copyIn.fromClient(decode(f));
                f.release();
            } else if (copyConnection != null) {
                copyConnection.write(f);
            } else {
                f.release();
            }
        }
        if (copyConnection != null) {
            copyConnection.flush();
        }
    }

    private void dropEarlyCopy() {
        if (earlyCopy != null) {
            earlyCopy.forEach(Frame::release);
            earlyCopy = null;
        }
    }

    private void afterStatement(Slot s, Runnable next) {
        if (s.failed) {
            endQuery();
        } else {
            next.run();
        }
    }

    private void startCopyIn(String sql, CopyStatement cs, TableConfig tc, List<BackendConnection> conns, int key,
                             Runnable next) {
        for (BackendConnection c : conns) {
            c.write(new Query(sql));
        }
        CopyIn in = new CopyIn(conns, cs, tc, key);
        in.onDone = () -> afterStatement(in, next);
        queue(in);
    }

    /** Runs a catalog query on one backend for the proxy itself; nothing reaches the client. */
    final class Lookup extends Slot {
        private final List<String> values = new ArrayList<>();
        Consumer<List<String>> whenDone;

        Lookup(BackendConnection c) {
            this.ordered = false;
            c.expecting.addLast(this);
            this.waiting = 1;
        }

        @Override
        boolean onFrame(BackendConnection c, Frame f) {
            try {
                if (f.type() == 'D') {
                    byte[] v = DataRow.decode(f.body()).value(0);
                    values.add(v == null ? null : new String(v, StandardCharsets.UTF_8));
                } else if (f.type() == 'Z') {
                    whenDone.accept(values);
                    return true;
                }
                return false;
            } finally {
                f.release();
            }
        }
    }

    /** COPY FROM STDIN on several shards: one CopyInResponse, rows split by key, one CommandComplete. */
    final class CopyIn extends Slot {
        private final List<BackendConnection> conns;
        private final TableConfig table;
        private final ShardRule rule;
        private final CopySplitter splitter;
        private final Map<String, BackendConnection> byDatabase = new HashMap<>();
        private final Map<BackendConnection, java.io.ByteArrayOutputStream> out = new LinkedHashMap<>();
        private Frame copyInResponse;
        private int ready;
        private boolean headerSent;
        private ErrorResponse error;
        private long count;

        CopyIn(List<BackendConnection> conns, CopyStatement cs, TableConfig table, int keyColumn) {
            this.conns = conns;
            this.table = table;
            this.rule = table.sharded() ? server.router().rule(table.rule()) : null;
            this.splitter = new CopySplitter(cs.csv(), cs.delimiter(), cs.header(), Math.max(keyColumn, 0));
            for (BackendConnection c : conns) {
                expect(c, this);
                byDatabase.put(c.address().name(), c);
                out.put(c, new java.io.ByteArrayOutputStream());
            }
        }

        @Override
        boolean onFrame(BackendConnection c, Frame f) {
            switch (f.typeChar()) {
                case 'G' -> {
                    if (copyInResponse == null) {
                        copyInResponse = f;
                    } else {
                        f.release();
                    }
                    if (++ready == conns.size() && error == null) {
                        copyIn = this;
                        emit(this, copyInResponse);
                        copyInResponse = null;
                        deliverEarlyCopy();
                    }
                    return false;
                }
                case 'C' -> {
                    long n = CommandComplete.decode(f.body()).rows();
                    count = table.reference() ? Math.max(count, n) : count + Math.max(n, 0);
                }
                case 'E' -> {
                    if (error == null) {
                        error = ErrorResponse.decode(f.body());
                    }
                    if (ready < conns.size()) {
                        ready++; // this shard will not take data
                    }
                }
                case 'N' -> {
                    emit(this, f);
                    return false;
                }
                case 'Z' -> {
                    f.release();
                    return true;
                }
                default -> {
                }
            }
            f.release();
            return false;
        }

        void fromClient(Object m) {
            try {
                if (m instanceof CopyData d) {
                    splitter.feed(d.data(), this::route);
                    sendRows();
                } else if (m instanceof CopyDone) {
                    splitter.finish(this::route);
                    sendHeader();
                    sendRows();
                    copyIn = null;
                    for (BackendConnection c : conns) {
                        c.write(CopyDone.INSTANCE);
                    }
                } else if (m instanceof CopyFail f) {
                    abort(f.message());
                }
            } catch (RoutingException e) {
                abort("shardgate: " + e.getMessage());
                if (error == null) {
                    error = ErrorResponse.of(e.sqlState(), e.getMessage());
                }
            }
            for (BackendConnection c : conns) {
                c.flush();
            }
        }

        private void abort(String message) {
            copyIn = null;
            for (BackendConnection c : conns) {
                c.write(new CopyFail(message));
            }
        }

        private void sendHeader() {
            if (!headerSent && splitter.header() != null) {
                headerSent = true;
                for (java.io.ByteArrayOutputStream b : out.values()) {
                    byte[] rows = b.toByteArray();
                    b.reset();
                    b.writeBytes(splitter.header());
                    b.writeBytes(rows);
                }
            }
        }

        private void route(byte[] row, String key) {
            sendHeader();
            if (rule == null) {
                for (java.io.ByteArrayOutputStream b : out.values()) {
                    b.writeBytes(row);
                }
                return;
            }
            if (key == null) {
                throw new RoutingException(RoutingException.INVALID_VALUE, "COPY into " + table.name()
                        + ": a row has no value for shard key " + table.key() + " (rule " + table.rule() + ")");
            }
            Object value = PgValues.isLongLiteral(key) ? (Object) Long.parseLong(key) : key;
            String shard = rule.placeNew(value);
            BackendConnection c = byDatabase.get(server.router().config().shard(shard).primary());
            out.get(c).writeBytes(row);
        }

        private void sendRows() {
            for (Map.Entry<BackendConnection, java.io.ByteArrayOutputStream> e : out.entrySet()) {
                if (e.getValue().size() > 0) {
                    e.getKey().write(new CopyData(e.getValue().toByteArray()));
                    e.getValue().reset();
                }
            }
        }

        @Override
        void atHead() {
            if (copyInResponse != null) {
                copyInResponse.release();
                copyInResponse = null;
            }
            // also after an error: the shards that took their rows before it may have kept them
            server.router().recordWrite(table.name());
            if (error != null) {
                failed = true;
                if (inTx) {
                    txFailed = true;
                }
                write(error);
            } else {
                write(new CommandComplete("COPY " + count));
            }
        }
    }

    /** COPY TO STDOUT on several shards: one CopyOutResponse, every shard's rows as they come, one CopyDone. */
    final class CopyOut extends Slot {
        private boolean started;
        private ErrorResponse error;
        private long count;
        /** With HEADER each shard sends a header row first: the client gets the first of them only. */
        private final boolean header;
        private final Set<BackendConnection> headerSeen = new HashSet<>();

        CopyOut(List<BackendConnection> conns, boolean header) {
            this.header = header;
            for (BackendConnection c : conns) {
                expect(c, this);
            }
        }

        @Override
        boolean onFrame(BackendConnection c, Frame f) {
            switch (f.typeChar()) {
                case 'H' -> {
                    if (!started && error == null) {
                        started = true;
                        emit(this, f);
                        return false;
                    }
                }
                case 'd' -> {
                    boolean repeatedHeader = header && headerSeen.add(c) && headerSeen.size() > 1;
                    if (error == null && !repeatedHeader) {
                        emit(this, f);
                        return false;
                    }
                }
                case 'C' -> count += Math.max(0, CommandComplete.decode(f.body()).rows());
                case 'E' -> {
                    if (error == null) {
                        error = ErrorResponse.decode(f.body());
                    }
                }
                case 'Z' -> {
                    f.release();
                    return true;
                }
                default -> {
                }
            }
            f.release();
            return false;
        }

        @Override
        void atHead() {
            if (error != null) {
                failed = true;
                if (inTx) {
                    txFailed = true;
                }
                write(error);
                return;
            }
            write(CopyDone.INSTANCE);
            write(new CommandComplete("COPY " + count));
        }
    }

    // ================================================================ transactions

    /**
     * BEGIN is kept locally and sent to each backend when the transaction first uses it; COMMIT, ROLLBACK and
     * joinReplay go to every backend the transaction touched. {@code done} gets false after an error.
     */
    private void transactionControl(String sql, LexedStatement lexed, boolean extended, Consumer<Boolean> done) {
        StatementKind kind = lexed.kind();
        switch (kind) {
            case BEGIN -> {
                if (inTx) {
                    notice("25001", "there is already a transaction in progress");
                } else {
                    inTx = true;
                    txFailed = false;
                    txReadOnly = lexed.readOnlyTransaction();
                    beginSql = sql;
                    joinReplay.clear();
                    participants.clear();
                }
                fixed(new CommandComplete("BEGIN"));
                done.accept(true);
            }
            case COMMIT, ROLLBACK -> {
                String tag = kind == StatementKind.ROLLBACK || txFailed ? "ROLLBACK" : "COMMIT";
                List<BackendConnection> conns = new ArrayList<>(participants);
                conns.removeIf(c -> !c.usable());
                if (!inTx) {
                    notice("25P01", "there is no transaction in progress");
                }
                List<Object[]> madeInTransaction = tag.equals("COMMIT") && !transactionSessionSettings.isEmpty()
                        ? new ArrayList<>(transactionSessionSettings) : List.of();
                endTransaction();
                Consumer<Boolean> ended = madeInTransaction.isEmpty() ? done : ok -> {
                    if (ok) { // SET inside a committed transaction stays set, as in PostgreSQL
                        for (Object[] setting : madeInTransaction) {
                            keepSetting((StatementKind) setting[0], (String) setting[1], (String) setting[2]);
                        }
                    }
                    done.accept(ok);
                };
                if (conns.isEmpty()) {
                    fixed(new CommandComplete(tag));
                    ended.accept(true);
                    return;
                }
                // a failed transaction ends in ROLLBACK on every participant: the ones that saw no error (another
                // shard's, or one the proxy refused) would otherwise commit what the client is told was rolled back
                sendAll(conns, tag.equals("ROLLBACK") && kind == StatementKind.COMMIT ? "ROLLBACK" : sql, tag,
                        extended, ended);
            }
            default -> { // SAVEPOINT, RELEASE, ROLLBACK TO
                if (!inTx) {
                    localError("25P01", kind == StatementKind.SAVEPOINT ? "SAVEPOINT can only be used in transaction blocks"
                            : kind == StatementKind.RELEASE_SAVEPOINT ? "RELEASE SAVEPOINT can only be used in transaction blocks"
                            : "ROLLBACK TO SAVEPOINT can only be used in transaction blocks", !extended);
                    done.accept(false);
                    return;
                }
                if (txFailed && kind != StatementKind.ROLLBACK_TO_SAVEPOINT) {
                    failedTransaction(extended);
                    done.accept(false);
                    return;
                }
                if (kind != StatementKind.ROLLBACK_TO_SAVEPOINT) {
                    joinReplay.add(sql);
                }
                String tag = kind == StatementKind.SAVEPOINT ? "SAVEPOINT"
                        : kind == StatementKind.RELEASE_SAVEPOINT ? "RELEASE" : "ROLLBACK";
                List<BackendConnection> conns = new ArrayList<>(participants);
                if (conns.isEmpty()) {
                    if (kind == StatementKind.ROLLBACK_TO_SAVEPOINT) {
                        txFailed = false;
                    }
                    fixed(new CommandComplete(tag));
                    done.accept(true);
                    return;
                }
                if (kind == StatementKind.ROLLBACK_TO_SAVEPOINT) {
                    txFailed = false;
                }
                sendAll(conns, sql, tag, extended, done);
            }
        }
    }

    /** Writes on several shards run one shard after the other (see {@link Merge#start}). */
    private static boolean sequential(RoutePlan plan) {
        return plan != null && plan.statements().size() > 1
                && (!plan.writtenTables().isEmpty() || plan.kind() != StatementKind.SELECT);
    }

    private void sendAll(List<BackendConnection> conns, String sql, String tag, boolean extended,
                         Consumer<Boolean> done) {
        for (BackendConnection c : conns) {
            c.write(new Query(sql));
        }
        Merge m = new Merge(conns, null, extended, null);
        m.fixedTag = tag;
        m.onDone = () -> done.accept(!m.failed);
        queue(m);
    }

    private void endTransaction() {
        transactionSessionSettings.clear();
        inTx = false;
        txFailed = false;
        txReadOnly = false;
        joinReplay.clear();
        participants.clear();
    }

    /**
     * SET LOCAL / SET TRANSACTION in a transaction: on every backend it uses so far, and on the ones that join later
     * (before their first statement, as SET TRANSACTION requires), not only on the default shard's.
     */
    private void transactionSetting(String sql, Consumer<Boolean> done) {
        joinReplay.add(sql);
        List<BackendConnection> conns = new ArrayList<>(participants);
        conns.removeIf(c -> !c.usable());
        if (conns.isEmpty()) {
            fixed(new CommandComplete("SET"));
            done.accept(true);
            return;
        }
        sendAll(conns, sql, "SET", false, done);
    }

    /** Makes {@code c} part of the open transaction: BEGIN (and the joinReplay so far) before its first statement. */
    private void join(BackendConnection c) {
        if (!inTx || participants.contains(c)) {
            return;
        }
        participants.add(c);
        c.write(new Query(beginSql));
        c.expecting.addLast(new Silent(c, null));
        for (String sp : joinReplay) {
            c.write(new Query(sp));
            c.expecting.addLast(new Silent(c, null));
        }
    }

    private void failedTransaction(boolean extended) {
        localError("25P02", "current transaction is aborted, commands ignored until end of transaction block",
                !extended);
    }

    private TransactionStatus status() {
        if (txFailed) {
            return TransactionStatus.FAILED;
        }
        if (inTx) {
            return TransactionStatus.IN_TRANSACTION;
        }
        TransactionStatus s = TransactionStatus.IDLE;
        for (BackendConnection c : held.values()) {
            s = s.combine(c.status());
        }
        return s;
    }

    // ================================================================ extended query protocol

    private record ClientStatement(String name, String sql, List<Integer> types, LexedStatement lexed) {
        boolean local() {
            StatementKind k = lexed.kind();
            return k.isTransactionControl() || k == StatementKind.EXPLAIN_ROUTE || k == StatementKind.EMPTY;
        }

        int type(int i) {
            return i < types.size() ? types.get(i) : PgTypes.UNSPECIFIED;
        }
    }

    private abstract static class Portal {
        final String name;
        final ClientStatement statement;
        final Bind bind;
        final RoutePlan plan;

        Portal(String name, ClientStatement statement, Bind bind, RoutePlan plan) {
            this.name = name;
            this.statement = statement;
            this.bind = bind;
            this.plan = plan;
        }
    }

    private static final class SinglePortal extends Portal {
        final BackendConnection connection;

        SinglePortal(String name, ClientStatement s, Bind bind, RoutePlan plan, BackendConnection connection) {
            super(name, s, bind, plan);
            this.connection = connection;
        }
    }

    private static final class MultiPortal extends Portal {
        final List<BackendConnection> connections;
        RowDescription backendDescription;
        MergedResult result;
        /** Its shards were sent the Execute: a later Execute of this portal reads the rows merged then. */
        boolean executed;

        MultiPortal(String name, ClientStatement s, Bind bind, RoutePlan plan, List<BackendConnection> conns) {
            super(name, s, bind, plan);
            this.connections = conns;
        }

        int visibleColumns() {
            int n = backendDescription.fields().size();
            MergeSpec spec = plan.mergeFor(n);
            return spec == null ? n : Math.min(spec.visibleColumns() == 0 ? n : spec.visibleColumns(), n);
        }

        PgMessage clientDescription() {
            if (backendDescription == null) {
                return NoData.INSTANCE;
            }
            int visible = visibleColumns();
            RowDescription shown = mergedDescription(backendDescription,
                    plan.mergeFor(backendDescription.fields().size()), visible);
            List<RowDescription.Field> fields = new ArrayList<>();
            for (int i = 0; i < visible; i++) {
                fields.add(shown.fields().get(i).withFormat(bind.resultFormat(i)));
            }
            return new RowDescription(fields);
        }
    }

    private static final class LocalPortal extends Portal {
        LocalPortal(String name, ClientStatement s, Bind bind, RoutePlan plan) {
            super(name, s, bind, plan);
        }
    }

    private void parse(Parse p) {
        if (!p.name().isEmpty() && statements.containsKey(p.name())) {
            localError("42P05", "prepared statement \"" + p.name() + "\" already exists", false);
            return;
        }
        statements.put(p.name(), new ClientStatement(p.name(), p.sql(), p.parameterTypes(),
                SqlLexer.lex(p.sql(), server.router().config().dialect())));
        fixed(ParseComplete.INSTANCE);
    }

    private void bind(Bind b) {
        ClientStatement s = statements.get(b.statement());
        if (s == null) {
            localError("26000", "prepared statement \"" + b.statement() + "\" does not exist", false);
            return;
        }
        List<Object> params = new ArrayList<>(b.parameterCount());
        for (int i = 0; i < b.parameterCount(); i++) {
            params.add(PgValues.decodeParameter(b.value(i), b.parameterFormat(i), s.type(i)));
        }
        closePortal(b.portal());
        if (s.local()) {
            if (s.lexed().kind() != StatementKind.EXPLAIN_ROUTE) {
                portals.put(b.portal(), new LocalPortal(b.portal(), s, b, null));
                fixed(BindComplete.INSTANCE);
                return;
            }
            routeThen(s.sql(), params, plan -> {
                portals.put(b.portal(), new LocalPortal(b.portal(), s, b, plan));
                fixed(BindComplete.INSTANCE);
            }, e -> routingError(e, false));
            return;
        }
        if (txFailed) {
            failedTransaction(true);
            return;
        }
        if (!server.routingMayBlock()) {
            RoutePlan plan = routeHere(null, s.sql(), params, false);
            if (plan != null) {
                bindPlanned(b, s, params, plan);
            }
            return;
        }
        routeThen(s.sql(), params, plan -> bindPlanned(b, s, params, plan), e -> routingError(e, false));
    }

    private void bindPlanned(Bind b, ClientStatement s, List<Object> params, RoutePlan plan) {
        if (listensInTransactionPooling(plan)) {
            localError("0A000", LISTEN_REFUSED, false);
            return;
        }
        List<ShardStatement> stmts = plan.statements();
        List<String> dbs = databases(stmts);
        if (dbs.size() > 1 && new LinkedHashSet<>(dbs).size() != dbs.size()) {
            localError("0A000", "this statement needs two physical statements on one database; run it through the "
                    + "simple query protocol", false);
            return;
        }
        if (dbs.size() == 1) {
            BackendConnection c = atHand(dbs.get(0), !server.pauses().active());
            if (c != null) { // held, or idle in the pool: no borrowing callbacks
                bindOnOne(b, s, params, plan, c);
                return;
            }
        }
        withBackends(dbs, conns -> {
            if (conns.size() == 1) {
                bindOnOne(b, s, params, plan, conns.get(0));
            } else {
                MultiPortal portal = new MultiPortal(b.portal(), s, b, plan, conns);
                for (int k = 0; k < conns.size(); k++) {
                    BackendConnection c = conns.get(k);
                    join(c);
                    ShardStatement st = stmts.get(k);
                    boolean same = st.sql().equals(s.sql());
                    Prepared prep = prepare(c, s, st.sql(), same ? s.types() : List.of());
                    c.write(textBind(b.portal(), prep.name, st.parameters(), new short[0]));
                    c.write(new Describe('P', b.portal()));
                    // the bind's replies must come without waiting for this backend's Execute: a write on several
                    // shards executes them one after the other and asks no more after an error, and the MultiBind
                    // waiting for a backend never asked would hold the session forever
                    c.write(Flush.INSTANCE);
                    extendedSent(c);
                }
                portals.put(b.portal(), portal);
                queue(new MultiBind(portal));
            }
        }, error -> localError(backendState(error), error.getMessage(), false));
    }

    /** Binds a statement planned for one backend, {@code c}: prepared there first if it is not yet. */
    private void bindOnOne(Bind b, ClientStatement s, List<Object> params, RoutePlan plan, BackendConnection c) {
        join(c);
        ShardStatement st = plan.statements().get(0);
        boolean same = st.sql().equals(s.sql()) && st.parameters().equals(params);
        Prepared prep = prepare(c, s, same ? s.sql() : st.sql(), same ? s.types() : List.of());
        c.write(same ? b.withStatement(prep.name) : textBind(b.portal(), prep.name, st.parameters(),
                b.resultFormats()));
        extendedSent(c);
        portals.put(b.portal(), new SinglePortal(b.portal(), s, b, plan, c));
        queue(new Forward(c, "2", true, null).parses(prep));
    }

    private record Prepared(String name, int parses, String key) {
    }

    /** Makes sure {@code sql} is prepared on {@code c}; named client statements are prepared once per backend. */
    private Prepared prepare(BackendConnection c, ClientStatement s, String sql, List<Integer> types) {
        if (s.name().isEmpty()) {
            c.write(new Parse("", sql, types));
            return new Prepared("", 1, null);
        }
        String key = types + "\u0000" + sql;
        String name = c.prepared(key);
        if (name != null) {
            return new Prepared(name, 0, null);
        }
        name = c.prepare(key);
        c.write(new Parse(name, sql, types));
        return new Prepared(name, 1, key);
    }

    private static Bind textBind(String portal, String statement, List<Object> values, short[] resultFormats) {
        byte[][] v = new byte[values.size()][];
        for (int i = 0; i < v.length; i++) {
            Object o = values.get(i);
            v[i] = o == null ? null : PgValues.encodeText(o).getBytes(StandardCharsets.UTF_8);
        }
        return new Bind(portal, statement, new short[0], v, resultFormats);
    }

    private void extendedSent(BackendConnection c) {
        c.needsSync = true;
        unsynced.add(c);
    }

    private void describe(Describe d) {
        if (d.kind() == 'S') {
            ClientStatement s = statements.get(d.name());
            if (s == null) {
                localError("26000", "prepared statement \"" + d.name() + "\" does not exist", false);
                return;
            }
            if (s.local()) {
                List<Integer> types = new ArrayList<>();
                for (int i = 0; i < s.lexed().parameterCount(); i++) {
                    types.add(s.type(i));
                }
                fixed(new ParameterDescription(types), s.lexed().kind() == StatementKind.EXPLAIN_ROUTE
                        ? explainDescription() : NoData.INSTANCE);
                return;
            }
            String db = describeDatabase(s);
            withBackends(List.of(db), conns -> {
                BackendConnection c = conns.get(0);
                join(c);
                Prepared prep = prepare(c, s, s.sql(), s.types());
                c.write(new Describe('S', prep.name));
                extendedSent(c);
                queue(new Forward(c, "Tn", true, null).parses(prep));
            }, error -> localError(backendState(error), error.getMessage(), false));
            return;
        }
        Portal p = portals.get(d.name());
        if (p == null) {
            localError("34000", "portal \"" + d.name() + "\" does not exist", false);
        } else if (p instanceof SinglePortal sp) {
            sp.connection.write(d);
            extendedSent(sp.connection);
            queue(new Forward(sp.connection, "Tn", true, null));
        } else if (p instanceof MultiPortal mp) {
            queue(new Local(() -> List.of(mp.clientDescription()), null));
        } else {
            fixed(p.statement.lexed().kind() == StatementKind.EXPLAIN_ROUTE ? explainDescription() : NoData.INSTANCE);
        }
    }

    /** Where to describe a statement before its parameters are known: where it routes with NULLs, or the default shard. */
    private String describeDatabase(ClientStatement s) {
        List<Object> nulls = new ArrayList<>();
        for (int i = 0; i < s.lexed().parameterCount(); i++) {
            nulls.add(null);
        }
        try {
            RoutePlan plan = server.router().route(s.sql(), nulls, sessionState());
            if (!plan.statements().isEmpty()) {
                return plan.statements().get(0).database();
            }
        } catch (RuntimeException e) {
            // not routable without values: any shard has the tables' shape
        }
        var cfg = server.router().config();
        return cfg.shard(cfg.defaultShard()).primary();
    }

    private void execute(Execute e) {
        Portal p = portals.get(e.portal());
        if (p == null) {
            localError("34000", "portal \"" + e.portal() + "\" does not exist", false);
        } else if (p instanceof SinglePortal sp) {
            sp.connection.write(e);
            // a portal kept from an earlier cycle (fetching a suspended one): its backend needs this cycle's Sync
            extendedSent(sp.connection);
            queue(timed(new Forward(sp.connection, "CsI", true, p.plan), p.plan));
        } else if (p instanceof MultiPortal mp) {
            // whether this portal ran, not whether its backends have a merge pending: in a pipeline those may still
            // be answering another portal's Execute, and this one must run all the same
            if (!mp.executed) {
                mp.executed = true;
                Merge m = new Merge(mp.connections, mp.plan, true, mp);
                m.maxRows = e.maxRows();
                List<Runnable> sends = new ArrayList<>();
                for (BackendConnection c : mp.connections) {
                    sends.add(() -> {
                        c.write(new Execute(mp.name, 0));
                        c.write(Flush.INSTANCE); // PostgreSQL holds extended replies until Sync or Flush
                    });
                }
                if (sequential(mp.plan)) {
                    // later messages (the Sync above all) must not overtake the Executes still to be sent
                    blocked = true;
                    m.onDone = () -> {
                        blocked = false;
                        drain();
                    };
                }
                m.start(sends, sequential(mp.plan));
                queue(timed(m, mp.plan));
            } else {
                queue(new Local(() -> mp.result == null ? List.of() : mp.result.chunk(e.maxRows(), mp), null));
            }
        } else {
            executeLocal((LocalPortal) p);
        }
    }

    private void executeLocal(LocalPortal p) {
        StatementKind kind = p.statement.lexed().kind();
        if (kind == StatementKind.EXPLAIN_ROUTE) {
            List<PgMessage> out = new ArrayList<>(explainRoute(p.plan, false));
            out.add(new CommandComplete("SELECT " + p.plan.statements().size()));
            fixed(out.toArray(new PgMessage[0]));
        } else if (kind == StatementKind.EMPTY) {
            fixed(EmptyQueryResponse.INSTANCE);
        } else {
            transactionControl(p.statement.sql(), p.statement.lexed(), true, ok -> { });
        }
    }

    private void close(Close c) {
        if (c.kind() == 'S') {
            statements.remove(c.name());
            fixed(CloseComplete.INSTANCE);
            return;
        }
        Portal p = portals.remove(c.name());
        if (p instanceof SinglePortal sp && sp.connection.usable()) {
            sp.connection.write(c);
            extendedSent(sp.connection);
            queue(new Forward(sp.connection, "3", true, null));
        } else {
            fixed(CloseComplete.INSTANCE);
        }
    }

    private void closePortal(String name) {
        portals.remove(name);
    }

    private void sync() {
        skipUntilSync = false;
        List<BackendConnection> conns = new ArrayList<>(unsynced);
        unsynced.clear();
        for (BackendConnection c : conns) {
            c.write(Sync.INSTANCE);
            // cleared when the Sync goes, not when its ReadyForQuery comes back: a pipelining client may already
            // have sent the next cycle's Parse/Describe on this connection, which then needs the next Sync
            c.needsSync = false;
        }
        SyncSlot s = new SyncSlot(conns);
        s.onDone = this::afterCycle;
        queue(s);
    }

    /** After ReadyForQuery: portals die with their transaction, and in transaction pooling idle backends go back. */
    private void afterCycle() {
        if (terminateIfIdle()) {
            return;
        }
        if (!inTx) {
            portals.clear();
        }
        if (server.proxyConfig().poolMode() == ProxyConfig.PoolMode.TRANSACTION && !inTx) {
            for (Iterator<BackendConnection> it = held.values().iterator(); it.hasNext(); ) {
                BackendConnection c = it.next();
                if (c.status() == TransactionStatus.IDLE && c.expecting.isEmpty() && !c.needsSync
                        && c != copyConnection) {
                    it.remove();
                    release(c);
                }
            }
        }
        drain();
    }

    // ================================================================ backends

    private static List<String> databases(List<ShardStatement> stmts) {
        List<String> out = new ArrayList<>(stmts.size());
        for (ShardStatement s : stmts) {
            out.add(s.database());
        }
        return out;
    }

    /**
     * Runs {@code then} with a connection to each database, borrowing the ones not held yet. While borrowing, no
     * other client message is handled; a pool that has nothing free in time fails with {@code failed}.
     */
    private void withBackends(List<String> databases, Consumer<List<BackendConnection>> then,
                              Consumer<Throwable> failed) {
        List<String> missing = null;
        boolean mayTakeIdle = !server.pauses().active();
        for (String db : databases) {
            if (atHand(db, mayTakeIdle) == null) {
                if (missing == null) {
                    missing = new ArrayList<>(databases.size());
                }
                missing.add(db);
            }
        }
        if (missing == null) {
            then.accept(heldFor(databases));
            return;
        }
        blocked = true;
        Runnable resume = new Runnable() {
            @Override
            public void run() {
                if (parked == this) {
                    parked = null;
                    parkedFailed = null;
                }
                if (phase != Phase.CLOSED) {
                    blocked = false;
                    withBackends(databases, then, failed);
                    drain();
                }
            }
        };
        if (server.pauses().park(missing, ch.eventLoop(), resume)) {
            // PAUSE: a new borrow waits for RESUME (or the client's cancel); connections already held are not affected
            parked = resume;
            parkedFailed = failed;
            return;
        }
        int[] left = {missing.size()};
        Throwable[] error = {null};
        for (String db : missing) {
            BackendPool pool = server.pool(db);
            Future<BackendConnection> f = pool.acquire(ch.eventLoop());
            f.addListener(x -> {
                if (f.isSuccess()) {
                    BackendConnection c = f.getNow();
                    if (phase == Phase.CLOSED) {
                        pool.release(c);
                    } else {
                        adopt(db, c);
                    }
                } else if (error[0] == null) {
                    error[0] = f.cause();
                }
                if (--left[0] == 0 && phase != Phase.CLOSED) {
                    blocked = false;
                    if (error[0] != null) {
                        failed.accept(error[0]);
                    } else {
                        then.accept(heldFor(databases));
                    }
                    drain();
                }
            });
        }
    }

    /**
     * The connection for {@code db} if one is at hand now: the one held if it is still usable, else an idle pooled one
     * (then held from now on) unless {@code mayTakeIdle} is false (a PAUSE); null when a borrow has to wait.
     */
    private BackendConnection atHand(String db, boolean mayTakeIdle) {
        BackendConnection c = held.get(db);
        if (c != null) {
            if (c.usable()) {
                return c;
            }
            held.remove(db);
        }
        BackendConnection idle = mayTakeIdle ? server.pool(db).pollIdle(ch.eventLoop()) : null;
        if (idle != null) {
            adopt(db, idle);
        }
        return idle;
    }

    private void adopt(String db, BackendConnection c) {
        c.listener(this);
        if (c.channel().config().isAutoRead() == outputPaused) {
            c.channel().config().setAutoRead(!outputPaused);
        }
        held.put(db, c);
        // what the previous session left on it first (the pool hands connections over as they are, so handing one
        // back costs no round trip), then this session's own settings unless the backend has exactly those already
        // (every pgjdbc client SETs the same application_name); the replies are nobody's
        if (c.leftBehind == BackendConnection.LeftBehind.STATE) {
            c.forgetPrepared();
            c.write(new Query("DISCARD ALL")); // alone: it cannot run inside a multi-statement query's transaction
            c.expecting.addLast(new Silent(c, null));
            c.settings = null;
        }
        boolean unknown = c.leftBehind == BackendConnection.LeftBehind.SETTINGS;
        c.leftBehind = BackendConnection.LeftBehind.NOTHING;
        if (unknown || !java.util.Objects.equals(c.settings, settingsReplay)) {
            String reset = unknown || c.settings != null ? "RESET ALL" : null;
            String q = reset == null ? settingsReplay : settingsReplay == null ? reset : reset + "; " + settingsReplay;
            c.write(new Query(q));
            c.expecting.addLast(new Silent(c, null));
            c.settings = settingsReplay;
        }
    }

    /**
     * Back to the pool; whatever this session left on it ({@link BackendConnection#leftBehind}) is reset by the next
     * session that takes it ({@link #adopt}), before anything of that session runs there.
     */
    private void release(BackendConnection c) {
        server.pool(c.address().name()).release(c);
    }

    /** 53300 when the pool had nothing free in time (the session is fine), 08006 when the backend is unreachable. */
    private static String backendState(Throwable error) {
        if (error instanceof CancelledWhilePaused) {
            return "57014";
        }
        String m = String.valueOf(error.getMessage());
        return m.contains("free within") ? "53300" : "08006";
    }

    /** A statement waiting for RESUME that its client cancelled. */
    private static final class CancelledWhilePaused extends Exception {
        CancelledWhilePaused() {
            super("canceling statement due to user request (it was waiting for RESUME of a paused database)", null,
                    false, false);
        }
    }

    private List<BackendConnection> heldFor(List<String> databases) {
        List<BackendConnection> out = new ArrayList<>(databases.size());
        for (String db : databases) {
            out.add(held.get(db));
        }
        return out;
    }

    @Override
    public void onFrame(BackendConnection c, Frame f) {
        Object h = c.expecting.peekFirst();
        if (!(h instanceof Slot s)) {
            byte t = f.type();
            if (t == 'N' || t == 'A' || t == 'S') {
                write(f); // asynchronous notice, notification or parameter change
            } else {
                f.release();
            }
            return;
        }
        if (s.onFrame(c, f)) {
            // a slot that handed the connection back to the pool (a Silent reset) may already have been cleared off
            // it, and the next session may have queued its own first slot there: only this slot is done
            if (c.expecting.peekFirst() == s) {
                c.expecting.pollFirst();
            }
            s.waiting--;
        }
        advance();
    }

    /**
     * Rows, row descriptions and (for statements that write nothing) command tags of a reply at the head of the
     * client's output, forwarded by a plain {@link Forward}, go to the client as bytes: what {@link Forward#onFrame}
     * would do with them is exactly that copy.
     */
    @Override
    public boolean forwardsAsIs(BackendConnection c, byte type) {
        if (type != 'D' && type != 'T' && type != 'C') {
            return false;
        }
        return c.expecting.peekFirst() instanceof Forward f && slots.peekFirst() == f && f.forwardsAsIs(c, type)
                && phase != Phase.CLOSED && ch.isActive();
    }

    @Override
    public void forward(BackendConnection c, ByteBuf in, int index, int length) {
        out.write(in, index, length);
        pauseBackendsIfUnwritable();
    }

    /** A plain {@link Forward} ends at ReadyForQuery whatever its position: its {@code onFrame} would only drop it. */
    @Override
    public boolean takesReadyAsIs(BackendConnection c) {
        return c.expecting.peekFirst() instanceof Forward;
    }

    @Override
    public void onReady(BackendConnection c) {
        Slot s = (Slot) c.expecting.pollFirst();
        s.waiting--;
        advance();
    }

    @Override
    public void onReadComplete(BackendConnection c) {
        // replies may have let the session send more (the next statement, COMMIT on the participants...); also
        // called for a connection the session let go of during the read (see BackendConnection#listener)
        if (phase != Phase.CLOSED) {
            flushAll();
        }
    }

    @Override
    public void onClosed(BackendConnection c) {
        held.values().remove(c);
        unsynced.remove(c);
        participants.remove(c);
        if (c == copyConnection) {
            copyConnection = null;
        }
        if (phase == Phase.CLOSED) {
            return;
        }
        boolean owed = !c.expecting.isEmpty();
        for (Object o : c.expecting) {
            if (o instanceof Slot s) {
                s.waiting--;
                s.connectionLost = true;
            }
        }
        c.expecting.clear();
        if (owed || inTx) {
            fatal("08006", "lost the connection to backend " + c.address().name() + (inTx ? " inside a transaction" : "")
                    + (c.closeReason() == null ? "" : ": " + c.closeReason()));
        }
    }

    // ================================================================ reply slots

    /** The reply owed for one client message (or a backend-only exchange when not {@code ordered}). */
    abstract class Slot {
        /** Messages emitted while an earlier slot was still at the head; null until the first. */
        List<Object> buffered;
        int waiting;
        boolean ordered = true;
        boolean suppressed;
        boolean complete;
        boolean failed;
        boolean connectionLost;
        /** Runs when the slot leaves the queue (after the statement's metrics, when it is timed). */
        Runnable onDone;
        /**
         * The plan of the statement this slot runs when its latency goes to the metrics ({@link #queueStatement},
         * {@link #timed}), or null. Kept here, not in a callback made per statement: this is every query's path.
         */
        RoutePlan statementPlan;
        long statementStarted;
        /** A failed simple-query statement ends the query string: the rest of its statements do not run. */
        boolean endsQueryOnFailure;

        /** Leaves the queue: the statement's metrics when it is timed, then {@link #onDone} (or the query's end). */
        final void done() {
            if (statementPlan != null) {
                server.metrics().statement(statementPlan, System.nanoTime() - statementStarted, failed);
                if (failed && endsQueryOnFailure) {
                    endQuery();
                    return;
                }
            }
            if (onDone != null) {
                onDone.run();
            }
        }

        /** Takes ownership of {@code f}; true when {@code c} owes this slot nothing more. */
        abstract boolean onFrame(BackendConnection c, Frame f);

        /** Called once at the head of the queue after every backend answered; may emit. */
        void atHead() {
        }
    }

    private void queue(Slot s) {
        slots.addLast(s);
        advance();
    }

    private void expect(BackendConnection c, Slot s) {
        c.expecting.addLast(s);
        s.waiting++;
        long ms = server.proxyConfig().queryTimeout().toMillis();
        if (ms > 0 && s.ordered && !(s instanceof SyncSlot)) {
            // proxy.query-timeout: a reply still owed after that long is cancelled on the backend (57014)
            ch.eventLoop().schedule(() -> {
                if (!s.complete && c.expecting.peekFirst() == s && phase != Phase.CLOSED && c.usable()) {
                    c.cancel();
                }
            }, ms, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    /** Writes {@code msg} for {@code s}: now if it is at the head, later otherwise; dropped when suppressed. */
    private void emit(Slot s, Object msg) {
        if (s.suppressed || !s.ordered || phase == Phase.CLOSED) {
            ReferenceCountUtil.release(msg);
        } else if (slots.peekFirst() == s) {
            write(msg);
        } else {
            if (s.buffered == null) {
                s.buffered = new ArrayList<>(4);
            }
            s.buffered.add(msg);
        }
    }

    private void advance() {
        while (!slots.isEmpty()) {
            Slot h = slots.peekFirst();
            if (h.buffered != null && !h.buffered.isEmpty()) {
                for (Object m : h.buffered) {
                    if (h.suppressed) {
                        ReferenceCountUtil.release(m);
                    } else {
                        write(m);
                    }
                }
                h.buffered.clear();
            }
            if (h.waiting > 0) {
                return;
            }
            if (!h.complete) {
                h.complete = true;
                if (!h.suppressed) {
                    h.atHead();
                }
            }
            slots.pollFirst();
            h.done();
        }
    }

    /** An error in an extended batch: the client hears nothing more until Sync; the failed backends skip too. */
    private void extendedError(Slot failedSlot, List<BackendConnection> failedConns) {
        if (inTx) {
            txFailed = true;
        }
        boolean after = false;
        boolean syncQueued = false;
        for (Slot s : slots) {
            if (s == failedSlot) {
                after = true;
            } else if (after && s instanceof SyncSlot) {
                syncQueued = true;
                break;
            } else if (after) {
                s.suppressed = true;
            }
        }
        if (!syncQueued) {
            skipUntilSync = true; // the client's Sync is still to come: skip what it sends until then
        }
        for (BackendConnection c : failedConns) {
            skipRepliesUntilSync(c, failedSlot);
        }
    }

    /**
     * A backend that reported an error in an extended batch sends nothing more until the Sync's ReadyForQuery: the
     * slots queued after {@code failedSlot} on it expect nothing from it. Called when the error frame arrives, while
     * {@code failedSlot} still heads the connection's queue: a statement on several backends that waited for the
     * others first left its later slots there, and one of them took the Sync's ReadyForQuery (the session hung).
     */
    private void skipRepliesUntilSync(BackendConnection c, Slot failedSlot) {
        for (Iterator<Object> it = c.expecting.iterator(); it.hasNext(); ) {
            Object o = it.next();
            if (o == failedSlot) {
                continue;
            }
            if (o instanceof SyncSlot || !(o instanceof Slot s) || !s.ordered) {
                break;
            }
            it.remove();
            s.waiting--;
        }
    }

    /** Forwards one backend's reply frame by frame. {@code terminators} end it (ReadyForQuery always does). */
    /**
     * Whether a backend error says the statements this session prepared on the connection are gone or stale: 26000
     * (a client's DEALLOCATE or DISCARD reached it some other way) or "cached plan must not change result type"
     * (0A000 after a table's columns changed). The connection then prepares afresh, as pgjdbc does with its own cache;
     * else every later execution of that statement on this backend would fail, for every client.
     */
    private static boolean invalidatesPrepared(Frame error) {
        ErrorResponse e = ErrorResponse.decode(error.body());
        return "26000".equals(e.sqlState())
                || "0A000".equals(e.sqlState()) && e.message().startsWith("cached plan must not change result type");
    }

    /**
     * What a statement sent to {@code c} does to session state. DISCARD and DEALLOCATE drop the prepared statements
     * the proxy keeps on the backend. Anything that outlives the transaction (settings, SQL-level PREPARE, LISTEN,
     * cursors, advisory locks, temporary tables) marks the backend for a reset before the pool hands it to another
     * client. In transaction pooling a setting made outside a transaction is also kept by the session and replayed
     * on each backend it uses next ({@link #adopt}), so it holds for the client's later statements wherever they run.
     */
    private void sessionStatementSent(RoutePlan plan, BackendConnection c) {
        String sql = plan.sql();
        switch (plan.kind()) {
            case SET, RESET -> {
                String name = settingName(sql);
                if (plan.kind() == StatementKind.SET && name == null) {
                    return; // SET LOCAL, SET TRANSACTION: they end with the transaction
                }
                boolean transactionPooling = server.proxyConfig().poolMode() == ProxyConfig.PoolMode.TRANSACTION;
                if (inTx || !transactionPooling) {
                    // the backend's settings are no longer known; kept for replay only once the transaction commits
                    c.leftBehind = c.leftBehind.and(BackendConnection.LeftBehind.SETTINGS);
                    if (inTx && transactionPooling) {
                        transactionSessionSettings.add(new Object[] {plan.kind(), name, sql});
                    }
                    return;
                }
                keepSetting(plan.kind(), name, sql);
                c.settings = settingsReplay; // c had this session's settings, and now runs this statement too
            }
            case DISCARD -> {
                c.forgetPrepared(); // what the session prepared on it before is gone once this runs
                c.leftBehind = c.leftBehind.and(BackendConnection.LeftBehind.STATE);
                if (settings != null && startsWithWord(sql, 7, "ALL")) {
                    settings.clear();
                    settingsReplay = null;
                }
            }
            case OTHER -> {
                if (startsWithWord(sql, 0, "DEALLOCATE")) {
                    c.forgetPrepared();
                }
                c.leftBehind = c.leftBehind.and(BackendConnection.LeftBehind.STATE);
            }
            case DDL -> {
                if (TEMPORARY_TABLE.matcher(sql).lookingAt()) {
                    c.leftBehind = c.leftBehind.and(BackendConnection.LeftBehind.STATE);
                }
            }
            default -> {
                if (Router.callsSideEffectFunction(sql) && SESSION_FUNCTION.matcher(sql).find()) {
                    c.leftBehind = c.leftBehind.and(BackendConnection.LeftBehind.STATE);
                }
            }
        }
    }

    /** Startup parameters that are settings, with {@code options}' {@code -c name=value} unfolded; in order. */
    private Map<String, String> startupSettings = Map.of();

    static Map<String, String> startupSettings(Map<String, String> startup) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : startup.entrySet()) {
            String name = e.getKey();
            switch (name) {
                case "user", "database", "replication", "client_encoding" -> { }
                case "options" -> {
                    String[] words = e.getValue().trim().split("\\s+");
                    for (int i = 0; i < words.length; i++) {
                        String w = words[i];
                        String setting = w.equals("-c") && i + 1 < words.length ? words[++i]
                                : w.startsWith("-c") ? w.substring(2) : w.startsWith("--") ? w.substring(2) : null;
                        int eq = setting == null ? -1 : setting.indexOf('=');
                        if (eq > 0) {
                            out.put(setting.substring(0, eq).replace('-', '_'), setting.substring(eq + 1));
                        }
                    }
                }
                default -> {
                    if (!name.startsWith("_pq_.") && !e.getValue().isEmpty()) {
                        out.put(name, e.getValue());
                    }
                }
            }
        }
        return out;
    }

    private static String quoteIdent(String name) {
        return name.matches("[A-Za-z_][A-Za-z0-9_.]*") ? name : '"' + name.replace("\"", "\"\"") + '"';
    }

    private static String quoteLiteral(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** A SET or RESET of the session, replayed on every backend the session takes from now on. */
    private void keepSetting(StatementKind kind, String name, String sql) {
        if (settings == null) {
            settings = new LinkedHashMap<>();
        }
        if (kind == StatementKind.RESET) {
            if (name == null || name.equals("all")) {
                settings.clear();
            } else {
                settings.remove(name);
            }
        } else {
            settings.remove(name); // the latest last, so replayed in the order made
            settings.put(name, sql);
        }
        settingsReplay = settings.isEmpty() ? null : String.join("; ", settings.values());
    }

    static final String LISTEN_REFUSED = "LISTEN is not supported in transaction pooling: notifications arrive on "
            + "a backend connection that goes back to the pool after each transaction, so they would never reach "
            + "this client; listen on a direct connection to the database, or use pool-mode: session";

    private boolean listensInTransactionPooling(RoutePlan plan) {
        return plan.kind() == StatementKind.OTHER && startsWithWord(plan.sql(), 0, "LISTEN")
                && server.proxyConfig().poolMode() == ProxyConfig.PoolMode.TRANSACTION;
    }

    private static final java.util.regex.Pattern TEMPORARY_TABLE =
            java.util.regex.Pattern.compile("(?i)\\s*create\\s+(?:local\\s+|global\\s+)?temp(?:orary)?\\b");
    private static final java.util.regex.Pattern SESSION_FUNCTION =
            java.util.regex.Pattern.compile("(?i)\\b(?:set_config|pg_advisory_lock|pg_advisory_lock_shared|"
                    + "pg_try_advisory_lock|pg_try_advisory_lock_shared)\\s*\\(");
    /** {@code SET [SESSION] name ...} / {@code RESET name}: the setting's name, lower case; null for SET LOCAL / SET TRANSACTION. */
    private static final java.util.regex.Pattern SETTING = java.util.regex.Pattern.compile(
            "(?is)\\s*(?:set|reset)\\s+(?:session\\s+(?!characteristics\\b|authorization\\b))?"
                    + "(\"[^\"]+\"(?:\\.\"?[\\w$]+\"?)?"
                    + "|[\\w$]+(?:\\.[\\w$]+)?(?:\\s+(?:zone|characteristics|authorization))?)");

    static String settingName(String sql) {
        java.util.regex.Matcher m = SETTING.matcher(sql);
        if (!m.lookingAt()) {
            return null;
        }
        String name = m.group(1).toLowerCase(java.util.Locale.ROOT).replaceAll("\\s+", " ");
        if (name.equals("local") || name.equals("transaction")) {
            return null; // ends with the transaction
        }
        return name.equals("time zone") ? "timezone" : name;
    }

    private static boolean startsWithWord(String sql, int from, String word) {
        int i = from;
        while (i < sql.length() && Character.isWhitespace(sql.charAt(i))) {
            i++;
        }
        return sql.regionMatches(true, i, word, 0, word.length());
    }

    final class Forward extends Slot {
        private final BackendConnection conn;
        private final String terminators;
        private final boolean extended;
        private final RoutePlan plan;
        private int swallowParse;
        private String preparedKey;
        private boolean dropSetup;
        /** No table write to record when the statement completes. */
        private final boolean writesNothing;

        Forward(BackendConnection conn, String terminators, boolean extended, RoutePlan plan) {
            if (plan != null) {
                // every statement sent to one backend gets its Forward here, whichever protocol path sent it
                sessionStatementSent(plan, conn);
            }
            this.conn = conn;
            this.terminators = terminators;
            this.extended = extended;
            this.plan = plan;
            this.writesNothing = plan == null || plan.writtenTables().isEmpty();
            expect(conn, this);
        }

        Forward parses(Prepared p) {
            swallowParse = p.parses;
            preparedKey = p.key;
            return this;
        }

        /** The statement went as an unnamed extended exchange: drop its ParseComplete and BindComplete. */
        Forward dropSetup(boolean drop) {
            dropSetup = drop;
            return this;
        }

        /** Whether {@link #onFrame} would only emit a message of {@code type} (T, D or C) and go on waiting. */
        boolean forwardsAsIs(BackendConnection c, byte type) {
            if (suppressed || !ordered || terminators.indexOf(type) >= 0) {
                return false;
            }
            return type != 'C' || (c != copyConnection && writesNothing);
        }

        @Override
        boolean onFrame(BackendConnection c, Frame f) {
            byte t = f.type();
            if (t == '1' && (swallowParse > 0 || dropSetup)) {
                swallowParse--;
                f.release();
                return false;
            }
            if (dropSetup && (t == '2' || t == 'n')) {
                f.release();
                return false;
            }
            if (t == 'G' || t == 'W') {
                copyConnection = c;
                emit(this, f);
                deliverEarlyCopy();
                return false;
            }
            if (t == 'E') {
                failed = true;
                copyConnection = c == copyConnection ? null : copyConnection;
                if (preparedKey != null && swallowParse > 0) {
                    c.forgetPrepared(); // the Parse failed: do not assume the statement exists
                } else if (invalidatesPrepared(f)) {
                    c.forgetPrepared(); // prepared again, under new names, the next time they are used
                }
                if (inTx) {
                    txFailed = true;
                }
                emit(this, f);
                if (extended) {
                    extendedError(this, List.of(c));
                    return true;
                }
                return false;
            }
            if (t == 'Z') {
                f.release();
                return true;
            }
            if (t == 'C') {
                if (c == copyConnection) {
                    copyConnection = null;
                }
                if (!writesNothing) {
                    server.router().recordWrites(plan);
                }
            }
            emit(this, f);
            return terminators.indexOf(t) >= 0;
        }
    }

    /** Consumes a reply nobody asked for (BEGIN sent on a backend's first use in a transaction, DISCARD ALL). */
    final class Silent extends Slot {
        private final Runnable whenDone;

        Silent(BackendConnection c, Runnable whenDone) {
            this.whenDone = whenDone;
            this.ordered = false;
            this.waiting = 1;
        }

        @Override
        boolean onFrame(BackendConnection c, Frame f) {
            byte t = f.type();
            if (t == 'E' && inTx) {
                txFailed = true;
            }
            f.release();
            if (t == 'Z') {
                if (whenDone != null) {
                    whenDone.run();
                }
                return true;
            }
            return false;
        }
    }

    /** A reply made here, not by a backend: no backend frame belongs to it. */
    abstract class LocalReply extends Slot {
        @Override
        final boolean onFrame(BackendConnection c, Frame f) {
            f.release();
            return true;
        }
    }

    /** Replies computed here (ParseComplete, BEGIN, EXPLAIN ROUTE rows...), made when at the head. */
    final class Local extends LocalReply {
        private final Supplier<List<PgMessage>> messages;

        Local(Supplier<List<PgMessage>> messages, Runnable onDone) {
            this.messages = messages;
            this.onDone = onDone;
        }

        @Override
        void atHead() {
            for (PgMessage m : messages.get()) {
                write(m);
            }
        }
    }

    /** The ReadyForQuery that ends a simple query, with the session's status when it reaches the head. */
    final class ReadySlot extends LocalReply {
        ReadySlot() {
            this.onDone = queryEnded;
        }

        @Override
        void atHead() {
            write(ReadyForQuery.of(status()));
        }
    }

    private void fixed(PgMessage... messages) {
        List<PgMessage> list = List.of(messages);
        queue(new Local(() -> list, null));
    }

    private void notice(String sqlState, String message) {
        Map<Character, String> f = new LinkedHashMap<>();
        f.put('S', "WARNING");
        f.put('V', "WARNING");
        f.put('C', sqlState);
        f.put('M', message);
        fixed(new NoticeResponse(f));
    }

    /** An error found here (routing, unknown statement...). In an extended batch the rest up to Sync is skipped. */
    private void localError(String sqlState, String message, boolean simple) {
        server.metrics().error(ProxyMetrics.ErrorSource.PROXY);
        if (inTx) {
            txFailed = true;
        }
        Local l = new Local(() -> List.of(ErrorResponse.of(sqlState, message)), null);
        l.failed = true;
        queue(l);
        if (!simple) {
            skipUntilSync = true;
        }
    }

    /** Waits for ReadyForQuery from every backend of the batch, then answers one ReadyForQuery. */
    final class SyncSlot extends Slot {
        SyncSlot(List<BackendConnection> conns) {
            for (BackendConnection c : conns) {
                expect(c, this);
            }
        }

        @Override
        boolean onFrame(BackendConnection c, Frame f) {
            if (f.type() == 'Z') {
                f.release();
                return true;
            }
            if (f.type() == 'E' && inTx) {
                txFailed = true;
            }
            emit(this, f);
            return false;
        }

        @Override
        void atHead() {
            write(ReadyForQuery.of(status()));
        }
    }

    /**
     * The command tag of merged rows without its count: the shards' own ({@code INSERT 0 }, {@code UPDATE },
     * {@code DELETE } for a write with RETURNING), {@code SELECT } for a read.
     */
    static String rowCountPrefix(String shardTag) {
        if (shardTag == null) {
            return "SELECT ";
        }
        int space = shardTag.lastIndexOf(' ');
        if (space < 0 || space == shardTag.length() - 1) {
            return "SELECT ";
        }
        for (int i = space + 1; i < shardTag.length(); i++) {
            if (!Character.isDigit(shardTag.charAt(i))) {
                return "SELECT ";
            }
        }
        return shardTag.substring(0, space + 1);
    }

    /** Bind on several backends: one BindComplete once all bound, and the shards' row description kept. */
    final class MultiBind extends Slot {
        private final MultiPortal portal;
        private ErrorResponse error;

        MultiBind(MultiPortal portal) {
            this.portal = portal;
            for (BackendConnection c : portal.connections) {
                expect(c, this);
            }
        }

        @Override
        boolean onFrame(BackendConnection c, Frame f) {
            try {
                switch (f.typeChar()) {
                    case 'E' -> {
                        if (error == null) {
                            error = ErrorResponse.decode(f.body());
                        }
                        if (invalidatesPrepared(f)) {
                            c.forgetPrepared();
                        }
                        skipRepliesUntilSync(c, this);
                        return true;
                    }
                    case 'T' -> {
                        if (portal.backendDescription == null) {
                            portal.backendDescription = RowDescription.decode(f.body());
                        }
                        return true;
                    }
                    case 'n' -> {
                        return true;
                    }
                    case 'N' -> {
                        emit(this, f.retain());
                        return false;
                    }
                    default -> {
                        return false; // ParseComplete, BindComplete
                    }
                }
            } finally {
                f.release();
            }
        }

        @Override
        void atHead() {
            if (error != null) {
                failed = true;
                write(error);
                extendedError(this, List.of());
            } else {
                write(BindComplete.INSTANCE);
            }
        }
    }

    /**
     * The description of merged rows: the shards' columns, except that an AVG (sent to the shards as SUM plus a
     * hidden COUNT) is a numeric named {@code avg}.
     */
    static RowDescription mergedDescription(RowDescription d, MergeSpec spec, int visible) {
        List<RowDescription.Field> fields = new ArrayList<>(d.fields().subList(0, Math.min(visible, d.fields().size())));
        if (spec != null) {
            for (io.shardgate.merge.AggregateColumn a : spec.aggregates()) {
                if (a.function() == io.shardgate.merge.AggregateFunction.AVG && a.column() < fields.size()) {
                    RowDescription.Field f = fields.get(a.column());
                    String name = f.name().equals("sum") ? "avg" : f.name();
                    // avg() of floating-point values is double precision, of anything else numeric
                    boolean floating = f.typeOid() == PgTypes.FLOAT4 || f.typeOid() == PgTypes.FLOAT8;
                    fields.set(a.column(), new RowDescription.Field(name, 0, (short) 0,
                            floating ? PgTypes.FLOAT8 : PgTypes.NUMERIC, floating ? (short) 8 : (short) -1, -1,
                            f.format()));
                }
            }
        }
        return new RowDescription(fields);
    }

    /** The rows of a multi-shard SELECT, merged, with the exact text each value came in (when it passed through). */
    static final class MergedResult {
        final List<Object[]> rows;
        final IdentityHashMap<Object, byte[]> originals;
        final int[] types;
        int position;
        final String tag;

        MergedResult(List<Object[]> rows, IdentityHashMap<Object, byte[]> originals, int[] types, String tag) {
            this.rows = rows;
            this.originals = originals;
            this.types = types;
            this.tag = tag;
        }

        List<PgMessage> chunk(int maxRows, Portal portal) {
            List<PgMessage> out = new ArrayList<>();
            int end = maxRows > 0 ? Math.min(rows.size(), position + maxRows) : rows.size();
            for (; position < end; position++) {
                out.add(encodeRow(rows.get(position), portal == null ? null : portal.bind));
            }
            if (position < rows.size()) {
                out.add(PortalSuspended.INSTANCE);
            } else {
                out.add(new CommandComplete(tag + rows.size()));
            }
            return out;
        }

        DataRow encodeRow(Object[] row, Bind bind) {
            byte[][] values = new byte[row.length][];
            for (int i = 0; i < row.length; i++) {
                Object v = row[i];
                if (v == null) {
                    continue;
                }
                if (bind != null && bind.resultFormat(i) == 1) {
                    byte[] b = PgValues.encodeBinary(v, types[i]);
                    values[i] = b != null ? b : PgValues.encodeText(v).getBytes(StandardCharsets.UTF_8);
                } else {
                    byte[] orig = originals.get(v);
                    values[i] = orig != null ? orig : PgValues.encodeText(v).getBytes(StandardCharsets.UTF_8);
                }
            }
            return new DataRow(values);
        }
    }

    /**
     * One statement on several backends: rows are decoded and merged with the router's merge plan; writes add up
     * their row counts (one shard's count for a broadcast); the first error wins. With {@code fixedTag} it is
     * transaction control on every participant.
     */
    final class Merge extends Slot {
        private final List<BackendConnection> conns;
        private final RoutePlan plan;
        private final boolean extended;
        private final MultiPortal portal;
        private final Map<BackendConnection, RowDescription> descriptions = new HashMap<>();
        private final Map<BackendConnection, List<Object[]>> rows = new HashMap<>();
        private final IdentityHashMap<Object, byte[]> originals = new IdentityHashMap<>();
        private ErrorResponse error;
        private String tag;
        private long count;
        private boolean emptyQuery;
        String fixedTag;
        int maxRows;

        Merge(List<BackendConnection> conns, RoutePlan plan, boolean extended, MultiPortal portal) {
            this.conns = conns;
            this.plan = plan;
            this.extended = extended;
            this.portal = portal;
            for (BackendConnection c : conns) {
                expect(c, this);
                rows.put(c, new ArrayList<>());
            }
        }

        private List<Runnable> sends = List.of();
        private int nextSend;

        /**
         * Sends the statement to the backends: all at once, or one after the other in shard order when it writes
         * on several shards, so that two clients always take row locks in the same order (sent in parallel, two
         * broadcast UPDATEs of a reference table would deadlock across servers, where no server can see it).
         * After an error the remaining shards are not asked.
         */
        void start(List<Runnable> perConnection, boolean sequential) {
            sends = perConnection;
            nextSend = sequential ? 1 : sends.size();
            for (int i = 0; i < nextSend; i++) {
                sends.get(i).run();
            }
        }

        @Override
        boolean onFrame(BackendConnection c, Frame f) {
            boolean done = receive(c, f);
            if (done && nextSend < sends.size()) {
                if (error == null) {
                    BackendConnection n = conns.get(nextSend);
                    sends.get(nextSend++).run();
                    n.flush();
                } else {
                    for (; nextSend < sends.size(); nextSend++) {
                        if (conns.get(nextSend).expecting.remove(this)) {
                            waiting--;
                        }
                    }
                }
            }
            return done;
        }

        private boolean receive(BackendConnection c, Frame f) {
            try {
                switch (f.typeChar()) {
                    case 'T' -> descriptions.put(c, RowDescription.decode(f.body()));
                    case 'D' -> {
                        RowDescription d = portal != null ? portal.backendDescription : descriptions.get(c);
                        rows.get(c).add(decodeRow(f, d));
                    }
                    case 'C' -> {
                        CommandComplete cc = CommandComplete.decode(f.body());
                        if (tag == null) {
                            tag = cc.tag();
                        }
                        long n = cc.rows();
                        if (n > 0) {
                            count = plan != null && plan.broadcast() ? Math.max(count, n) : count + n;
                        }
                        return extended && fixedTag == null;
                    }
                    case 'I' -> {
                        emptyQuery = true;
                        return extended;
                    }
                    case 'E' -> {
                        if (error == null) {
                            error = ErrorResponse.decode(f.body());
                        }
                        if (invalidatesPrepared(f)) {
                            c.forgetPrepared();
                        }
                        if (extended && fixedTag == null) {
                            skipRepliesUntilSync(c, this);
                            return true;
                        }
                        return false;
                    }
                    case 'N' -> emit(this, f.retain());
                    case 'Z' -> {
                        return true;
                    }
                    case 's' -> {
                        return true;
                    }
                    default -> {
                        // ParseComplete / BindComplete of an internal exchange
                    }
                }
                return false;
            } finally {
                f.release();
            }
        }

        private Object[] decodeRow(Frame f, RowDescription d) {
            DataRow r = DataRow.decode(f.body());
            Object[] out = new Object[r.size()];
            for (int i = 0; i < r.size(); i++) {
                byte[] b = r.value(i);
                if (b == null) {
                    continue;
                }
                RowDescription.Field field = d == null || i >= d.fields().size() ? null : d.fields().get(i);
                int type = field == null ? PgTypes.TEXT : field.typeOid();
                int format = field == null ? 0 : field.format();
                Object v = PgValues.decode(b, format, type);
                if (format == 0 && !(v instanceof Boolean)) {
                    originals.put(v, b);
                }
                out[i] = v;
            }
            return out;
        }

        @Override
        void atHead() {
            if (error != null) {
                failed = true;
                if (inTx) {
                    txFailed = true;
                }
                write(error);
                if (extended) {
                    extendedError(this, List.of());
                }
                return;
            }
            if (connectionLost) {
                failed = true;
                return;
            }
            if (fixedTag != null) {
                write(new CommandComplete(fixedTag));
                return;
            }
            if (plan != null && !plan.writtenTables().isEmpty()) {
                server.router().recordWrites(plan);
            }
            RowDescription d = portal != null ? portal.backendDescription
                    : descriptions.isEmpty() ? null : descriptions.get(firstWith(descriptions));
            if (d == null) {
                if (emptyQuery && tag == null) {
                    write(EmptyQueryResponse.INSTANCE);
                } else {
                    write(tag == null ? new CommandComplete("OK") : new CommandComplete(tag).withRows(count));
                }
                return;
            }
            int columns = d.fields().size();
            MergeSpec spec = plan == null ? null : plan.mergeFor(columns);
            if (spec == null) {
                spec = MergeSpec.concat(columns);
            }
            List<RowCursor> cursors = new ArrayList<>();
            for (BackendConnection c : conns) {
                cursors.add(new ListRowCursor(columns, rows.get(c)));
            }
            int visible = spec.visibleColumns() == 0 ? columns : Math.min(spec.visibleColumns(), columns);
            List<Object[]> merged = new ArrayList<>();
            try (RowCursor cur = Merger.merge(cursors, spec)) {
                while (cur.next()) {
                    Object[] row = new Object[visible];
                    for (int i = 0; i < visible; i++) {
                        row[i] = cur.get(i);
                    }
                    merged.add(row);
                }
            } catch (Exception e) {
                failed = true;
                write(ErrorResponse.of("XX000", "shardgate could not merge the shards' results: " + e.getMessage()));
                if (extended) {
                    extendedError(this, List.of());
                }
                return;
            }
            int[] types = new int[visible];
            List<RowDescription.Field> fields = new ArrayList<>();
            RowDescription shown = mergedDescription(d, spec, visible);
            for (int i = 0; i < visible; i++) {
                RowDescription.Field field = shown.fields().get(i);
                types[i] = field.typeOid();
                fields.add(field.withFormat(portal == null ? 0 : portal.bind.resultFormat(i)));
            }
            MergedResult result = new MergedResult(merged, originals, types, rowCountPrefix(tag));
            if (portal != null) {
                portal.result = result;
                for (PgMessage m : result.chunk(maxRows, portal)) {
                    write(m);
                }
            } else {
                write(new RowDescription(fields));
                for (PgMessage m : result.chunk(0, null)) {
                    write(m);
                }
            }
        }

        private BackendConnection firstWith(Map<BackendConnection, RowDescription> m) {
            for (BackendConnection c : conns) {
                if (m.containsKey(c)) {
                    return c;
                }
            }
            return null;
        }
    }

    // ================================================================ output and teardown

    private void write(Object msg) {
        if (phase == Phase.CLOSED || !ch.isActive()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof Frame f) {
            out.write(f.content());
        } else {
            send((PgMessage) msg);
        }
        pauseBackendsIfUnwritable();
    }

    /** Back-pressure: while the client's socket is full, the backends are not read. */
    private void pauseBackendsIfUnwritable() {
        if (!outputPaused && !ch.isWritable()) {
            outputPaused = true;
            for (BackendConnection c : held.values()) {
                c.channel().config().setAutoRead(false);
            }
        }
    }

    private void send(PgMessage m) {
        out.write(m);
    }

    private void flushClient() {
        if (ch != null) {
            out.flush();
        }
    }

    // ================================================================ shutdown (SIGTERM drain)

    /** The proxy drains: an idle session ends now, one inside a transaction or running a statement when it ends. */
    void shutdownRequested() {
        if (phase == Phase.CLOSED || ch == null) {
            return;
        }
        if (phase != Phase.READY) {
            fatal("57P01", ADMIN_SHUTDOWN); // still logging in
            return;
        }
        terminateWhenIdle = true;
        terminateIfIdle();
    }

    /** At the drain's deadline: ends the session whatever it is doing (its backends are cancelled and closed). */
    void terminateNow() {
        fatal("57P01", ADMIN_SHUTDOWN);
    }

    private boolean terminateIfIdle() {
        if (terminateWhenIdle && phase == Phase.READY && !inTx && !blocked && slots.isEmpty() && inbound.isEmpty()
                && copyIn == null && unsynced.isEmpty() && !skipUntilSync) {
            fatal("57P01", ADMIN_SHUTDOWN);
            return true;
        }
        return false;
    }

    private void fatal(String sqlState, String message) {
        if (phase == Phase.CLOSED || ch == null) {
            return;
        }
        phase = Phase.CLOSED;
        ByteBuf buf = ch.alloc().ioBuffer();
        ErrorResponse.fatal(sqlState, message).encode(buf);
        out.writePending();
        ch.writeAndFlush(buf).addListener(ChannelFutureListener.CLOSE);
    }

    /** The client is gone: every backend goes back to its pool if it is idle, else is cancelled and closed. */
    private void closeSession() {
        phase = Phase.CLOSED;
        if (out != null) {
            out.discard();
        }
        if (admin != null) {
            admin.closed();
        }
        if (processId != 0) {
            server.unregister(processId, this);
        }
        if (counted) {
            counted = false;
            server.clientLeft();
        }
        for (Object m : inbound) {
            ReferenceCountUtil.release(m);
        }
        inbound.clear();
        dropEarlyCopy();
        for (Slot s : slots) {
            if (s.buffered != null) {
                s.buffered.forEach(ReferenceCountUtil::release);
            }
        }
        slots.clear();
        List<BackendConnection> conns = new ArrayList<>(held.values());
        held.clear();
        for (BackendConnection c : conns) {
            BackendPool pool = server.pool(c.address().name());
            boolean idle = c.usable() && c.expecting.isEmpty() && !c.needsSync && c.status() == TransactionStatus.IDLE;
            if (!idle) {
                if (!c.expecting.isEmpty()) {
                    c.cancel();
                }
                c.listener(null);
                c.close();
            } else if (server.proxyConfig().poolMode() == ProxyConfig.PoolMode.SESSION) {
                c.forgetPrepared();
                c.write(new Query("DISCARD ALL"));
                c.settings = null;
                c.leftBehind = BackendConnection.LeftBehind.NOTHING;
                c.expecting.addLast(new Silent(c, () -> pool.release(c)));
                c.flush();
            } else {
                release(c);
            }
        }
    }

    /** A CancelRequest quoted this session's key: cancel whatever its backends are running. */
    void cancelRunning() {
        Runnable waiting = parked;
        if (waiting != null && server.pauses().unpark(waiting)) {
            Consumer<Throwable> failed = parkedFailed;
            parked = null;
            parkedFailed = null;
            blocked = false;
            failed.accept(new CancelledWhilePaused());
            drain();
        }
        for (BackendConnection c : held.values()) {
            if (!c.expecting.isEmpty()) {
                c.cancel();
            }
        }
    }

    int secretKey() {
        return secretKey;
    }

    /** Records the statement's latency and outcome in the metrics when {@code s} is done. */
    private Slot timed(Slot s, RoutePlan plan) {
        s.statementPlan = plan;
        s.statementStarted = System.nanoTime();
        return s;
    }

    // ---------------------------------------------------------------- read by the admin console (any thread)

    String user() {
        return user;
    }

    String database() {
        return database;
    }

    String applicationName() {
        return applicationName;
    }

    int processId() {
        return processId;
    }

    long connectedAtMillis() {
        return connectedAtMillis;
    }

    boolean isAdmin() {
        return admin != null;
    }

    /** active (a statement or transaction holds backends), waiting (for a pool or a PAUSE) or idle. */
    String state() {
        if (admin != null) {
            return "admin";
        }
        if (inTx) {
            return txFailed ? "idle in transaction (aborted)" : "in transaction";
        }
        return blocked && held.isEmpty() ? "waiting" : blocked || !slots.isEmpty() ? "active" : "idle";
    }

    Channel channel() {
        return ch;
    }
}
