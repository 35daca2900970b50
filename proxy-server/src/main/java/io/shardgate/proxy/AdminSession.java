package io.shardgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.shardgate.config.ConfigException;
import io.shardgate.config.DatabaseConfig;
import io.shardgate.config.ProxyConfig;
import io.shardgate.config.ShardConfig;
import io.shardgate.config.ShardgateConfig;
import io.shardgate.proxy.backend.BackendConnection;
import io.shardgate.proxy.backend.BackendPool;
import io.shardgate.proxy.metrics.ProxyMetrics;
import io.shardgate.proxy.protocol.Frame;
import io.shardgate.proxy.protocol.PgMessage;
import io.shardgate.proxy.protocol.backend.CommandComplete;
import io.shardgate.proxy.protocol.backend.DataRow;
import io.shardgate.proxy.protocol.backend.EmptyQueryResponse;
import io.shardgate.proxy.protocol.backend.ErrorResponse;
import io.shardgate.proxy.protocol.backend.NoticeResponse;
import io.shardgate.proxy.protocol.backend.ReadyForQuery;
import io.shardgate.proxy.protocol.backend.RowDescription;
import io.shardgate.proxy.protocol.frontend.Query;
import io.shardgate.topology.Topology;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The admin console: a session of an admin user ({@code proxy.admin-users}) on the database {@code shardgate}.
 * It speaks the simple query protocol only and answers {@code SHOW SHARDS | POOLS | CLIENTS | SERVERS | STATS |
 * CONFIG | HELP}, {@code RELOAD}, {@code PAUSE [shard]} and {@code RESUME [shard]} itself; nothing reaches a
 * backend. Runs on the client's event loop, except RELOAD, which reads the file and probes the databases on a
 * thread of its own and answers when done.
 */
final class AdminSession {
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");
    private static final String MASK = "********";
    private static final List<String[]> HELP = List.of(
            new String[] {"SHOW SHARDS", "every database by shard and role: host, port, state (up, down, paused), lag_ms"},
            new String[] {"SHOW POOLS", "backend pools per database: active, idle, waiting clients, max"},
            new String[] {"SHOW CLIENTS", "client connections: user, database, address, state, since, pool mode"},
            new String[] {"SHOW SERVERS", "backend connections: database, backend pid, state, client, since"},
            new String[] {"SHOW STATS", "statements by kind, route and role, latency percentiles, errors"},
            new String[] {"SHOW CONFIG", "the effective configuration, passwords masked"},
            new String[] {"RELOAD", "re-read the configuration file; a broken one is refused and the old one kept"},
            new String[] {"PAUSE [shard]", "new statements for the shard (or all) wait; running ones finish"},
            new String[] {"RESUME [shard]", "let waiting and new statements through again"},
            new String[] {"SHOW HELP", "this list"});

    private final ProxyServer server;
    private final ClientSession client;
    private final ArrayDeque<Frame> pending = new ArrayDeque<>();
    private boolean busy; // a RELOAD is running: later queries wait their turn
    private boolean skipUntilSync;

    AdminSession(ProxyServer server, ClientSession client) {
        this.server = server;
        this.client = client;
    }

    /** One client frame (after login); the caller releases it. */
    void onFrame(Frame f) {
        if (busy) {
            pending.addLast(f.retain());
            return;
        }
        handle(f);
    }

    /** The client is gone: frames held during a RELOAD are dropped. */
    void closed() {
        busy = true; // a RELOAD that finishes later writes nothing and handles nothing
        Frame f;
        while ((f = pending.pollFirst()) != null) {
            f.release();
        }
    }

    private void handle(Frame f) {
        switch (f.typeChar()) {
            case 'Q' -> {
                skipUntilSync = false;
                query(Query.decode(f.body()).sql());
            }
            case 'X' -> channel().close();
            case 'S' -> {
                skipUntilSync = false;
                send(ReadyForQuery.IDLE);
            }
            case 'H', 'd', 'c', 'f' -> { }
            default -> {
                if (!skipUntilSync) {
                    skipUntilSync = true;
                    send(ErrorResponse.of("0A000", "the shardgate admin console speaks the simple query protocol "
                            + "only (pgjdbc: preferQueryMode=simple)"));
                }
            }
        }
    }

    private Channel channel() {
        return client.channel();
    }

    private void query(String sql) {
        List<String> commands = new ArrayList<>();
        for (String part : sql.split(";")) {
            if (!part.isBlank()) {
                commands.add(part.trim());
            }
        }
        if (commands.isEmpty()) {
            send(EmptyQueryResponse.INSTANCE, ReadyForQuery.IDLE);
            return;
        }
        run(commands, 0);
    }

    /** Runs {@code commands} from {@code i} on; an error ends the query string, as in PostgreSQL. */
    private void run(List<String> commands, int i) {
        if (i == commands.size()) {
            send(ReadyForQuery.IDLE);
            return;
        }
        String[] words = commands.get(i).split("\\s+");
        String verb = words[0].toUpperCase(Locale.ROOT);
        String arg = words.length > 1 ? words[1] : null;
        List<PgMessage> out = new ArrayList<>();
        try {
            int allowed = verb.equals("RELOAD") ? 1 : verb.equals("SET") || verb.equals("RESET") ? words.length : 2;
            if (words.length > allowed) {
                // PAUSE s0 s1 must not pause s0 alone and say nothing about s1: one name per command
                throw new AdminError("42601", "too many words in \"" + commands.get(i) + "\": " + verb
                        + (allowed == 1 ? " takes none" : verb.equals("SHOW") ? " takes one (SHOW HELP lists them)"
                        : " takes at most one shard or database; run one " + verb + " per name"));
            }
            switch (verb) {
                case "SHOW" -> {
                    if (arg == null) {
                        throw new AdminError("42601", "SHOW what? Try SHOW HELP");
                    }
                    show(arg.toUpperCase(Locale.ROOT), out);
                }
                case "SET", "RESET" -> out.add(new CommandComplete(verb)); // drivers set application_name...
                case "RELOAD" -> {
                    reload(commands, i);
                    return;
                }
                case "PAUSE" -> {
                    Set<String> dbs = databasesOf(arg);
                    server.pauses().pause(dbs);
                    out.add(notice("paused " + (arg == null ? "every database" : arg) + ": new statements wait "
                            + "for RESUME; running ones finish"));
                    out.add(new CommandComplete("PAUSE"));
                }
                case "RESUME" -> {
                    Set<String> dbs = databasesOf(arg);
                    server.pauses().resume(dbs);
                    out.add(new CommandComplete("RESUME"));
                }
                default -> throw new AdminError("42601", "unknown admin command \"" + commands.get(i)
                        + "\"; the admin console knows SHOW SHARDS | POOLS | CLIENTS | SERVERS | STATS | CONFIG | "
                        + "HELP, RELOAD, PAUSE [shard], RESUME [shard]");
            }
        } catch (AdminError e) {
            out.add(ErrorResponse.of(e.sqlState, e.getMessage()));
            out.add(ReadyForQuery.IDLE);
            send(out.toArray(new PgMessage[0]));
            return;
        }
        send(out.toArray(new PgMessage[0]));
        run(commands, i + 1);
    }

    private static final class AdminError extends RuntimeException {
        final String sqlState;

        AdminError(String sqlState, String message) {
            super(message);
            this.sqlState = sqlState;
        }
    }

    /** Every database when {@code name} is null, else the members of shard {@code name}, or database {@code name}. */
    private Set<String> databasesOf(String name) {
        ShardgateConfig cfg = server.config();
        Set<String> out = new LinkedHashSet<>();
        if (name == null) {
            out.addAll(cfg.databases().keySet());
        } else if (cfg.shards().containsKey(name)) {
            ShardConfig s = cfg.shard(name);
            out.add(s.primary());
            out.addAll(s.replicas());
        } else if (cfg.databases().containsKey(name)) {
            out.add(name);
        } else {
            throw new AdminError("42704", "no shard or database named \"" + name + "\" (shards: "
                    + cfg.shards().keySet() + ")");
        }
        return out;
    }

    // ================================================================ SHOW

    private void show(String what, List<PgMessage> out) {
        switch (what) {
            case "SHARDS" -> showShards(out);
            case "POOLS" -> showPools(out);
            case "CLIENTS" -> showClients(out);
            case "SERVERS" -> showServers(out);
            case "STATS" -> showStats(out);
            case "CONFIG" -> showConfig(out);
            case "HELP" -> {
                table(out, List.of("command", "description"), HELP.stream().map(Arrays::asList).toList());
            }
            default -> throw new AdminError("42601", "unknown SHOW " + what.toLowerCase(Locale.ROOT)
                    + "; the admin console shows SHARDS, POOLS, CLIENTS, SERVERS, STATS, CONFIG, HELP");
        }
    }

    private void showShards(List<PgMessage> out) {
        ShardgateConfig cfg = server.config();
        Topology topology = server.topology();
        Set<String> paused = server.pauses().paused();
        List<List<String>> rows = new ArrayList<>();
        for (ShardConfig s : cfg.shards().values()) {
            rows.add(shardRow(s.name(), "primary", s.primary(), topology, paused, false));
            for (String r : s.replicas()) {
                rows.add(shardRow(s.name(), "replica", r, topology, paused, true));
            }
        }
        table(out, List.of("shard", "role", "database", "host", "port", "state", "lag_ms"), rows);
    }

    private List<String> shardRow(String shard, String role, String db, Topology topology, Set<String> paused,
                                  boolean replica) {
        BackendPool pool = server.pools().get(db);
        Topology.DatabaseState st = topology.state(db);
        boolean up = st == null || st.up();
        String state = !up ? "down" : paused.contains(db) ? "paused" : "up";
        String lag = replica && st != null && up && st.checkedAtMillis() > 0 ? Long.toString(st.lagMillis()) : null;
        return Arrays.asList(shard, role, db, pool == null ? null : pool.address().host(),
                pool == null ? null : Integer.toString(pool.address().port()), state, lag);
    }

    private void showPools(List<PgMessage> out) {
        Set<String> paused = server.pauses().paused();
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, BackendPool> e : server.pools().entrySet()) {
            BackendPool p = e.getValue();
            int idle = p.idle();
            rows.add(List.of(e.getKey(), str(Math.max(0, p.open() - idle)), str(idle), str(p.waiting()),
                    str(p.maxSize()), str(p.waits()), str(p.timeouts()), paused.contains(e.getKey()) ? "yes" : "no"));
        }
        table(out, List.of("database", "active", "idle", "waiting", "max", "waits", "timeouts", "paused"), rows);
    }

    private void showClients(List<PgMessage> out) {
        String mode = server.proxyConfig().poolMode().configName();
        List<List<String>> rows = new ArrayList<>();
        for (ClientSession s : server.sessions()) {
            Channel c = s.channel();
            rows.add(Arrays.asList(str(s.processId()), s.user(), s.database(), String.valueOf(c.remoteAddress()),
                    s.applicationName(), s.state(), Instant.ofEpochMilli(s.connectedAtMillis()).toString(),
                    s.isAdmin() ? "admin" : mode));
        }
        table(out, List.of("pid", "user", "database", "address", "application_name", "state", "connected_since",
                "pool_mode"), rows);
    }

    private void showServers(List<PgMessage> out) {
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, BackendPool> e : server.pools().entrySet()) {
            for (Map.Entry<BackendConnection, Long> c : e.getValue().connections().entrySet()) {
                BackendConnection b = c.getKey();
                String client = b.listener() instanceof ClientSession s ? s.processId() + " " + s.user() : null;
                rows.add(Arrays.asList(e.getKey(), str(b.processId()), client == null ? "idle" : "in use", client,
                        Instant.ofEpochMilli(c.getValue()).toString(), String.valueOf(b.channel().localAddress())));
            }
        }
        table(out, List.of("database", "backend_pid", "state", "client", "since", "local_address"), rows);
    }

    private void showStats(List<PgMessage> out) {
        ProxyMetrics m = server.metrics();
        List<List<String>> rows = new ArrayList<>();
        for (ProxyMetrics.StatementStats s : m.statementStats()) {
            rows.add(List.of("statements", s.kind(), s.route(), s.role(), str(s.count()), "", "", "", ""));
        }
        for (ProxyMetrics.LatencyStats l : m.latencyStats()) {
            rows.add(List.of("latency", "", l.route(), l.role(), str(l.count()), ms(l.meanMs()), ms(l.p50Ms()),
                    ms(l.p95Ms()), ms(l.p99Ms())));
        }
        for (ProxyMetrics.ErrorSource s : ProxyMetrics.ErrorSource.values()) {
            rows.add(List.of("errors", s.name().toLowerCase(Locale.ROOT), "", "", str(m.errors(s)), "", "", "", ""));
        }
        rows.add(List.of("clients", "logins", "", "", str(m.clientLogins()), "", "", "", ""));
        rows.add(List.of("clients", "connected", "", "", str(server.clientCount()), "", "", "", ""));
        table(out, List.of("stat", "kind", "route", "role", "count", "mean_ms", "p50_ms", "p95_ms", "p99_ms"), rows);
    }

    private void showConfig(List<PgMessage> out) {
        ShardgateConfig cfg = server.config();
        ProxyConfig p = server.proxyConfig();
        Map<String, String> kv = new LinkedHashMap<>();
        kv.put("source", cfg.source());
        for (DatabaseConfig db : cfg.databases().values()) {
            String k = "databases." + db.name() + ".";
            kv.put(k + "url", URL_PASSWORD.matcher(db.url()).replaceAll("$1" + MASK));
            kv.put(k + "user", db.user());
            kv.put(k + "password", db.password() == null || db.password().isEmpty() ? "" : MASK);
            db.properties().forEach((name, v) -> kv.put(k + "properties." + name,
                    name.toLowerCase(Locale.ROOT).contains("password") ? MASK : v));
            kv.put(k + "pool", String.valueOf(db.pool()));
        }
        for (ShardConfig s : cfg.shards().values()) {
            kv.put("shards." + s.name() + ".primary", s.primary());
            kv.put("shards." + s.name() + ".replicas", String.join(", ", s.replicas()));
        }
        cfg.rules().forEach((name, r) -> kv.put("rules." + name, String.valueOf(r)));
        cfg.tables().forEach((name, t) -> kv.put("tables." + name, String.valueOf(t)));
        kv.put("default-shard", cfg.defaultShard());
        kv.put("read-write", String.valueOf(cfg.readWrite()));
        kv.put("pool", String.valueOf(cfg.pool()));
        kv.put("allow-scatter-writes", String.valueOf(cfg.allowScatterWrites()));
        kv.put("analysis.cache-size", str(cfg.analysisCacheSize()));
        kv.put("proxy.listen", p.listenHost() + ":" + p.listenPort());
        kv.put("proxy.pool-mode", p.poolMode().configName());
        kv.put("proxy.auth", p.auth().configName());
        p.users().keySet().forEach(u -> kv.put("proxy.users." + u + ".password", MASK));
        kv.put("proxy.admin-users", String.join(", ", p.adminUsers()));
        kv.put("proxy.max-client-connections", str(p.maxClientConnections()));
        kv.put("proxy.workers", str(p.workers()));
        kv.put("proxy.query-timeout", String.valueOf(p.queryTimeout()));
        kv.put("proxy.shutdown-timeout", String.valueOf(p.shutdownTimeout()));
        kv.put("proxy.max-message-size", str(p.maxMessageSize()));
        kv.put("proxy.tls", p.tls() ? p.tlsCert() : "off");
        kv.put("proxy.metrics.listen", p.metricsEnabled() ? p.metricsHost() + ":" + server.metricsPort() : "off");
        List<List<String>> rows = new ArrayList<>();
        kv.forEach((k, v) -> rows.add(Arrays.asList(k, v)));
        table(out, List.of("key", "value"), rows);
    }

    // ================================================================ RELOAD

    private void reload(List<String> commands, int i) {
        busy = true;
        Thread t = new Thread(() -> {
            List<PgMessage> out = new ArrayList<>();
            boolean ok;
            try {
                for (String note : server.reload()) {
                    out.add(notice(note));
                }
                out.add(new CommandComplete("RELOAD"));
                ok = true;
            } catch (ConfigException e) {
                out.add(ErrorResponse.of("F0000", "RELOAD refused, the running configuration is kept. "
                        + e.getMessage()));
                ok = false;
            } catch (RuntimeException e) {
                ProxyServer.LOG.warn("RELOAD failed", e);
                out.add(ErrorResponse.of("XX000", "RELOAD failed, the running configuration is kept: " + e));
                ok = false;
            }
            boolean success = ok;
            channel().eventLoop().execute(() -> {
                busy = false;
                if (!success) {
                    out.add(ReadyForQuery.IDLE);
                }
                send(out.toArray(new PgMessage[0]));
                if (success) {
                    run(commands, i + 1);
                }
                while (!busy && !pending.isEmpty()) {
                    Frame f = pending.pollFirst();
                    try {
                        handle(f);
                    } finally {
                        f.release();
                    }
                }
            });
        }, "shardgate-admin-reload");
        t.setDaemon(true);
        t.start();
    }

    // ================================================================ output

    private static String str(long n) {
        return Long.toString(n);
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static NoticeResponse notice(String message) {
        Map<Character, String> f = new LinkedHashMap<>();
        f.put('S', "NOTICE");
        f.put('V', "NOTICE");
        f.put('C', "00000");
        f.put('M', message);
        return new NoticeResponse(f);
    }

    /** RowDescription (text columns), one DataRow per row (null values allowed), CommandComplete SHOW. */
    private static void table(List<PgMessage> out, List<String> columns, Collection<List<String>> rows) {
        List<RowDescription.Field> fields = new ArrayList<>(columns.size());
        for (String c : columns) {
            fields.add(RowDescription.Field.text(c));
        }
        out.add(new RowDescription(fields));
        for (List<String> row : rows) {
            byte[][] values = new byte[row.size()][];
            for (int i = 0; i < values.length; i++) {
                String v = row.get(i);
                values[i] = v == null ? null : v.getBytes(StandardCharsets.UTF_8);
            }
            out.add(new DataRow(values));
        }
        out.add(new CommandComplete("SHOW"));
    }

    private void send(PgMessage... messages) {
        Channel ch = channel();
        if (!ch.isActive()) {
            return;
        }
        ByteBuf buf = ch.alloc().ioBuffer();
        for (PgMessage m : messages) {
            m.encode(buf);
        }
        ch.writeAndFlush(buf);
    }
}
