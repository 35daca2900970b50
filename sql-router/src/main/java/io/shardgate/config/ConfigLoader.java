package io.shardgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the YAML configuration, expands {@code ${VAR}} / {@code ${VAR:-default}} from the environment, and
 * validates it. Every problem is collected with its key path ({@code tables.orders.rule: ...}) and reported
 * together in one {@link ConfigException}; nothing falls back to a default silently.
 */
public final class ConfigLoader {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
    private static final Set<String> TOP_LEVEL = Set.of("databases", "shards", "rules", "tables", "default-shard",
            "read-write", "pool", "allow-scatter-writes", "analysis", "proxy", "admin", "metrics");

    private final Function<String, String> environment;
    private final List<String> problems = new ArrayList<>();
    private String source = "<string>";

    private ConfigLoader(Function<String, String> environment) {
        this.environment = environment;
    }

    public static ShardgateConfig load(Path file) {
        return load(file, System::getenv);
    }

    public static ShardgateConfig load(Path file, Function<String, String> environment) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), List.of("file not found: " + file.toAbsolutePath()
                    + " (pass the path of a shardgate YAML file; examples are in conf/)"));
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of("cannot read " + file + ": " + e.getMessage()));
        }
        return parse(text, file.toString(), environment);
    }

    public static ShardgateConfig parse(String yaml, String source, Function<String, String> environment) {
        ConfigLoader loader = new ConfigLoader(environment);
        loader.source = source;
        return loader.build(yaml);
    }

    private ShardgateConfig build(String yaml) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (IOException e) {
            throw new ConfigException(source, List.of("not valid YAML: " + firstLine(e.getMessage())));
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(source, List.of("the file must be a YAML mapping with at least "
                    + "'databases' and 'shards' (see conf/ for examples)"));
        }
        unknownKeys(root, "", TOP_LEVEL);

        Map<String, DatabaseConfig> databases = databases(root.get("databases"));
        Map<String, ShardConfig> shards = shards(root.get("shards"), databases);
        Map<String, RuleConfig> rules = rules(root.get("rules"), shards, databases);
        String defaultShard = text(root, "default-shard", "", null);
        if (defaultShard == null && !shards.isEmpty()) {
            defaultShard = shards.keySet().iterator().next();
        } else if (defaultShard != null && !shards.containsKey(defaultShard)) {
            problems.add("default-shard: unknown shard '" + defaultShard + "' (declared shards: "
                    + shards.keySet() + ")");
        }
        Map<String, TableConfig> tables = tables(root.get("tables"), rules, shards);
        ReadWriteConfig readWrite = readWrite(root.get("read-write"));
        PoolConfig pool = pool(root.get("pool"), "pool", PoolConfig.DEFAULT);
        Map<String, DatabaseConfig> databasesWithPools = new LinkedHashMap<>();
        JsonNode dbNodes = root.get("databases");
        for (DatabaseConfig db : databases.values()) {
            JsonNode poolNode = dbNodes.get(db.name()).get("pool");
            PoolConfig own = poolNode == null ? pool : pool(poolNode, "databases." + db.name() + ".pool", pool);
            databasesWithPools.put(db.name(), new DatabaseConfig(db.name(), db.url(), db.user(), db.password(),
                    db.properties(), own));
        }
        boolean allowScatterWrites = bool(root, "allow-scatter-writes", "", false);
        int cacheSize = 10_000;
        JsonNode analysis = root.get("analysis");
        if (analysis != null) {
            unknownKeys(analysis, "analysis.", Set.of("cache-size"));
            cacheSize = positiveInt(analysis, "cache-size", "analysis.", cacheSize);
        }
        Dialect dialect = dialect(databases);
        ProxyConfig proxy = proxy(root.get("proxy"));
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
        return new ShardgateConfig(source, Collections.unmodifiableMap(databasesWithPools),
                Collections.unmodifiableMap(shards), Collections.unmodifiableMap(rules),
                Collections.unmodifiableMap(tables), defaultShard, readWrite, pool, allowScatterWrites, cacheSize,
                dialect, proxy);
    }

    private ProxyConfig proxy(JsonNode node) {
        ProxyConfig d = ProxyConfig.DEFAULT;
        if (node == null || node.isNull()) {
            return d;
        }
        if (!node.isObject()) {
            problems.add("proxy: must be a mapping (listen, pool-mode, auth, users, tls, ...)");
            return d;
        }
        unknownKeys(node, "proxy.", Set.of("listen", "pool-mode", "max-client-connections", "auth", "users", "tls",
                "workers", "query-timeout", "shutdown-timeout", "max-message-size", "admin-users", "metrics"));
        String host = d.listenHost();
        int port = d.listenPort();
        String listen = text(node, "listen", "proxy.", null);
        if (listen != null) {
            int colon = listen.lastIndexOf(':');
            String p = colon < 0 ? listen : listen.substring(colon + 1);
            if (colon > 0) {
                host = listen.substring(0, colon);
            }
            try {
                port = Integer.parseInt(p.trim());
                if (port < 0 || port > 65535) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                problems.add("proxy.listen: '" + listen + "' is not host:port or a port (e.g. 127.0.0.1:6432)");
            }
        }
        ProxyConfig.PoolMode mode = d.poolMode();
        String m = text(node, "pool-mode", "proxy.", null);
        if (m != null) {
            switch (m) {
                case "session" -> mode = ProxyConfig.PoolMode.SESSION;
                case "transaction" -> mode = ProxyConfig.PoolMode.TRANSACTION;
                default -> problems.add("proxy.pool-mode: '" + m + "' is not session or transaction");
            }
        }
        ProxyConfig.Auth auth = d.auth();
        String a = text(node, "auth", "proxy.", null);
        if (a != null) {
            auth = null;
            for (ProxyConfig.Auth candidate : ProxyConfig.Auth.values()) {
                if (candidate.configName().equals(a)) {
                    auth = candidate;
                }
            }
            if (auth == null) {
                problems.add("proxy.auth: '" + a + "' is not scram-sha-256, md5 or trust");
                auth = d.auth();
            }
        }
        Map<String, String> users = new LinkedHashMap<>();
        JsonNode u = node.get("users");
        if (u != null && !u.isNull()) {
            if (!u.isObject()) {
                problems.add("proxy.users: must be a mapping of user name to { password: ... }");
            } else {
                u.fields().forEachRemaining(e -> {
                    String up = "proxy.users." + e.getKey();
                    JsonNode user = e.getValue();
                    if (!user.isObject()) {
                        problems.add(up + ": must be a mapping with a password, e.g. { password: \"${APP_PW}\" }");
                        return;
                    }
                    unknownKeys(user, up + ".", Set.of("password"));
                    String pw = text(user, "password", up + ".", null);
                    if (pw == null) {
                        problems.add(up + ".password: missing");
                    } else {
                        users.put(e.getKey(), pw);
                    }
                });
            }
        }
        if (auth != ProxyConfig.Auth.TRUST && users.isEmpty()) {
            problems.add("proxy.users: no users, so nobody could log in with auth " + auth.configName()
                    + "; declare users (name: { password: ... }) or set proxy.auth: trust");
        }
        String cert = null;
        String key = null;
        JsonNode tls = node.get("tls");
        if (tls != null && !tls.isNull()) {
            if (!tls.isObject()) {
                problems.add("proxy.tls: must be a mapping { cert: FILE, key: FILE }");
            } else {
                unknownKeys(tls, "proxy.tls.", Set.of("cert", "key"));
                cert = text(tls, "cert", "proxy.tls.", null);
                key = text(tls, "key", "proxy.tls.", null);
                if (cert == null || key == null) {
                    problems.add("proxy.tls: both cert and key (PEM files) are needed");
                }
                for (String f : new String[] {cert, key}) {
                    if (f != null && !java.nio.file.Files.isReadable(java.nio.file.Path.of(f))) {
                        problems.add("proxy.tls." + (f == cert ? "cert" : "key") + ": cannot read file " + f);
                    }
                }
            }
        }
        int workers = d.workers();
        if (node.has("workers")) {
            JsonNode w = node.get("workers");
            if (!w.canConvertToInt() || w.asInt() < 0) {
                problems.add("proxy.workers: must be a whole number >= 0 (0 = half the cores, at least one)");
            } else {
                workers = w.asInt();
            }
        }
        Set<String> admins = adminUsers(node.get("admin-users"), users, auth);
        String metricsHost = null;
        int metricsPort = -1;
        JsonNode metrics = node.get("metrics");
        if (metrics != null && !metrics.isNull()) {
            if (!metrics.isObject()) {
                problems.add("proxy.metrics: must be a mapping { listen: HOST:PORT }");
            } else {
                unknownKeys(metrics, "proxy.metrics.", Set.of("listen"));
                String ml = text(metrics, "listen", "proxy.metrics.", null);
                if (ml == null) {
                    problems.add("proxy.metrics.listen: missing (e.g. 127.0.0.1:9187); leave proxy.metrics out to "
                            + "turn metrics off");
                } else {
                    int colon = ml.lastIndexOf(':');
                    metricsHost = colon > 0 ? ml.substring(0, colon) : "127.0.0.1";
                    try {
                        metricsPort = Integer.parseInt(ml.substring(colon + 1).trim());
                        if (metricsPort < 0 || metricsPort > 65535) {
                            throw new NumberFormatException();
                        }
                    } catch (NumberFormatException e) {
                        metricsPort = -1;
                        problems.add("proxy.metrics.listen: '" + ml + "' is not host:port or a port "
                                + "(e.g. 127.0.0.1:9187)");
                    }
                }
            }
        }
        return new ProxyConfig(host, port, mode,
                positiveInt(node, "max-client-connections", "proxy.", d.maxClientConnections()), auth,
                Collections.unmodifiableMap(users), cert, key, workers,
                duration(node, "query-timeout", "proxy.", d.queryTimeout()),
                duration(node, "shutdown-timeout", "proxy.", d.shutdownTimeout()),
                positiveInt(node, "max-message-size", "proxy.", d.maxMessageSize()),
                admins, metricsHost, metricsPort);
    }

    /** {@code proxy.admin-users}: a list of declared users (any names with auth trust). */
    private Set<String> adminUsers(JsonNode node, Map<String, String> users, ProxyConfig.Auth auth) {
        if (node == null || node.isNull()) {
            return Set.of();
        }
        if (!node.isArray()) {
            problems.add("proxy.admin-users: must be a list of user names, e.g. [admin]");
            return Set.of();
        }
        Set<String> out = new java.util.LinkedHashSet<>();
        for (JsonNode n : node) {
            if (!n.isTextual() || n.asText().isBlank()) {
                problems.add("proxy.admin-users: '" + n + "' is not a user name");
            } else if (auth != ProxyConfig.Auth.TRUST && !users.containsKey(n.asText())) {
                problems.add("proxy.admin-users: '" + n.asText() + "' is not one of proxy.users " + users.keySet());
            } else {
                out.add(n.asText());
            }
        }
        return Collections.unmodifiableSet(out);
    }

    private Map<String, DatabaseConfig> databases(JsonNode node) {
        Map<String, DatabaseConfig> out = new LinkedHashMap<>();
        if (node == null || !node.isObject() || node.isEmpty()) {
            problems.add("databases: missing; declare every physical database by name, e.g. "
                    + "databases: { s0-primary: { url: \"jdbc:postgresql://host:5432/app\", user: app } }");
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = "databases." + e.getKey();
            JsonNode db = e.getValue();
            if (!db.isObject()) {
                problems.add(path + ": must be a mapping with url, user and password");
                continue;
            }
            unknownKeys(db, path + ".", Set.of("url", "user", "password", "properties", "pool"));
            String url = text(db, "url", path + ".", null);
            if (url == null) {
                problems.add(path + ".url: missing (a JDBC URL such as jdbc:postgresql://127.0.0.1:5432/app)");
            } else if (Dialect.ofJdbcUrl(url) == null) {
                problems.add(path + ".url: '" + url + "' is not a PostgreSQL or MySQL/MariaDB JDBC URL "
                        + "(expected jdbc:postgresql://, jdbc:mysql:// or jdbc:mariadb://)");
            }
            Map<String, String> properties = new LinkedHashMap<>();
            JsonNode props = db.get("properties");
            if (props != null) {
                if (!props.isObject()) {
                    problems.add(path + ".properties: must be a mapping of JDBC driver properties");
                } else {
                    props.fields().forEachRemaining(p -> properties.put(p.getKey(),
                            expand(p.getValue().asText(), path + ".properties." + p.getKey())));
                }
            }
            out.put(e.getKey(), new DatabaseConfig(e.getKey(), url, text(db, "user", path + ".", null),
                    text(db, "password", path + ".", null), Collections.unmodifiableMap(properties), null));
        }
        return out;
    }

    private Map<String, ShardConfig> shards(JsonNode node, Map<String, DatabaseConfig> databases) {
        Map<String, ShardConfig> out = new LinkedHashMap<>();
        if (node == null || !node.isObject() || node.isEmpty()) {
            problems.add("shards: missing; declare each shard as a primary and its replicas, e.g. "
                    + "shards: { s0: { primary: s0-primary, replicas: [s0-replica] } }");
            return out;
        }
        Map<String, String> usedBy = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = "shards." + e.getKey();
            JsonNode shard = e.getValue();
            if (!shard.isObject()) {
                problems.add(path + ": must be a mapping with primary and replicas");
                continue;
            }
            unknownKeys(shard, path + ".", Set.of("primary", "replicas", "weights"));
            String primary = text(shard, "primary", path + ".", null);
            if (primary == null) {
                problems.add(path + ".primary: missing (the name of a database under 'databases')");
            } else {
                checkDatabase(primary, path + ".primary", databases, usedBy);
            }
            List<String> replicas = stringList(shard.get("replicas"), path + ".replicas");
            for (int i = 0; i < replicas.size(); i++) {
                checkDatabase(replicas.get(i), path + ".replicas[" + i + "]", databases, usedBy);
            }
            List<Integer> weights = new ArrayList<>();
            JsonNode w = shard.get("weights");
            if (w != null) {
                if (!w.isArray() || w.size() != replicas.size()) {
                    problems.add(path + ".weights: must list one positive weight per replica (" + replicas.size()
                            + " replicas)");
                } else {
                    for (int i = 0; i < w.size(); i++) {
                        if (!w.get(i).canConvertToInt() || w.get(i).asInt() <= 0) {
                            problems.add(path + ".weights[" + i + "]: must be a positive whole number");
                        }
                        weights.add(w.get(i).asInt());
                    }
                }
            }
            out.put(e.getKey(), new ShardConfig(e.getKey(), primary, List.copyOf(replicas), List.copyOf(weights)));
        }
        return out;
    }

    private void checkDatabase(String name, String path, Map<String, DatabaseConfig> databases,
                               Map<String, String> usedBy) {
        if (!databases.containsKey(name)) {
            problems.add(path + ": unknown database '" + name + "' (declared databases: " + databases.keySet() + ")");
            return;
        }
        String previous = usedBy.putIfAbsent(name, path);
        if (previous != null) {
            problems.add(path + ": database '" + name + "' is already used by " + previous
                    + "; each physical database belongs to one shard in one role");
        }
    }

    private Map<String, RuleConfig> rules(JsonNode node, Map<String, ShardConfig> shards,
                                          Map<String, DatabaseConfig> databases) {
        Map<String, RuleConfig> out = new LinkedHashMap<>();
        if (node == null) {
            return out;
        }
        if (!node.isObject()) {
            problems.add("rules: must be a mapping of rule name to rule");
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            String path = "rules." + name;
            JsonNode rule = e.getValue();
            String type = rule.isObject() ? text(rule, "type", path + ".", null) : null;
            if (type == null) {
                problems.add(path + ".type: missing (one of hash, range, directory)");
                continue;
            }
            RuleConfig parsed = switch (type) {
                case "hash" -> hashRule(name, path, rule, shards);
                case "range" -> rangeRule(name, path, rule, shards);
                case "directory" -> directoryRule(name, path, rule, shards, databases);
                default -> {
                    problems.add(path + ".type: unknown rule type '" + type + "' (one of hash, range, directory)");
                    yield null;
                }
            };
            if (parsed != null) {
                out.put(name, parsed);
            }
        }
        return out;
    }

    private RuleConfig hashRule(String name, String path, JsonNode rule, Map<String, ShardConfig> shards) {
        unknownKeys(rule, path + ".", Set.of("type", "shards", "ranges"));
        List<String> ruleShards = stringList(rule.get("shards"), path + ".shards");
        JsonNode rangesNode = rule.get("ranges");
        List<RuleConfig.TokenRange> ranges = new ArrayList<>();
        if (rangesNode == null) {
            if (ruleShards.isEmpty()) {
                problems.add(path + ".shards: missing; list the shards the hash spreads rows over");
                return null;
            }
            checkShards(ruleShards, path + ".shards", shards);
            ranges.addAll(equalTokenRanges(ruleShards));
        } else {
            if (!rangesNode.isArray() || rangesNode.isEmpty()) {
                problems.add(path + ".ranges: must be a list of { from, to, shard } token ranges");
                return null;
            }
            BigInteger expected = BigInteger.valueOf(Long.MIN_VALUE);
            for (int i = 0; i < rangesNode.size(); i++) {
                String rp = path + ".ranges[" + i + "]";
                JsonNode r = rangesNode.get(i);
                unknownKeys(r, rp + ".", Set.of("from", "to", "shard"));
                BigInteger from = r.has("from") ? token(r.get("from"), rp + ".from") : BigInteger.valueOf(Long.MIN_VALUE);
                BigInteger to = r.has("to") && !r.get("to").isNull() ? token(r.get("to"), rp + ".to") : null;
                String shard = text(r, "shard", rp + ".", null);
                if (shard == null) {
                    problems.add(rp + ".shard: missing");
                } else if (!shards.containsKey(shard)) {
                    problems.add(rp + ".shard: unknown shard '" + shard + "' (declared shards: " + shards.keySet() + ")");
                }
                if (from == null || (r.has("to") && !r.get("to").isNull() && to == null)) {
                    continue;
                }
                if (from.compareTo(expected) != 0) {
                    problems.add(rp + ".from: " + from + " leaves " + (from.compareTo(expected) > 0 ? "a gap" : "an overlap")
                            + " after " + expected + "; token ranges must cover -9223372036854775808 to the end "
                            + "without gaps or overlaps");
                }
                if (to != null && to.compareTo(from) <= 0) {
                    problems.add(rp + ".to: must be greater than from (" + from + ")");
                }
                ranges.add(new RuleConfig.TokenRange(from.longValue(), to, shard));
                expected = to == null ? null : to;
                if (to == null && i < rangesNode.size() - 1) {
                    problems.add(rp + ".to: only the last range may be open-ended");
                    break;
                }
                if (expected == null) {
                    break;
                }
            }
            if (expected != null && expected.compareTo(BigInteger.ONE.shiftLeft(63)) < 0) {
                problems.add(path + ".ranges: the last range must end at the end of the token space (omit 'to')");
            }
            if (ruleShards.isEmpty()) {
                ruleShards = ranges.stream().map(RuleConfig.TokenRange::shard).distinct().toList();
            }
        }
        return new RuleConfig.Hash(name, List.copyOf(ruleShards), List.copyOf(ranges));
    }

    /** Splits the signed 64-bit token space into equal contiguous ranges, one per shard, in order. */
    public static List<RuleConfig.TokenRange> equalTokenRanges(List<String> shards) {
        List<RuleConfig.TokenRange> ranges = new ArrayList<>();
        BigInteger space = BigInteger.ONE.shiftLeft(64);
        BigInteger min = BigInteger.valueOf(Long.MIN_VALUE);
        int n = shards.size();
        for (int i = 0; i < n; i++) {
            BigInteger from = min.add(space.multiply(BigInteger.valueOf(i)).divide(BigInteger.valueOf(n)));
            BigInteger to = i == n - 1 ? null
                    : min.add(space.multiply(BigInteger.valueOf(i + 1)).divide(BigInteger.valueOf(n)));
            ranges.add(new RuleConfig.TokenRange(from.longValueExact(), to, shards.get(i)));
        }
        return ranges;
    }

    private BigInteger token(JsonNode node, String path) {
        try {
            BigInteger v = new BigInteger(node.asText().trim());
            if (v.compareTo(BigInteger.valueOf(Long.MIN_VALUE)) < 0 || v.compareTo(BigInteger.ONE.shiftLeft(63)) > 0) {
                problems.add(path + ": " + v + " is outside the 64-bit token space");
                return null;
            }
            return v;
        } catch (NumberFormatException e) {
            problems.add(path + ": '" + node.asText() + "' is not a whole number token");
            return null;
        }
    }

    private RuleConfig rangeRule(String name, String path, JsonNode rule, Map<String, ShardConfig> shards) {
        unknownKeys(rule, path + ".", Set.of("type", "ranges", "key-type"));
        JsonNode rangesNode = rule.get("ranges");
        if (rangesNode == null || !rangesNode.isArray() || rangesNode.isEmpty()) {
            problems.add(path + ".ranges: missing; list ordered ranges like "
                    + "[ { to: 100, shard: s0 }, { from: 100, shard: s1 } ]");
            return null;
        }
        RuleConfig.KeyType keyType = null;
        String declared = text(rule, "key-type", path + ".", null);
        if (declared != null) {
            try {
                keyType = RuleConfig.KeyType.valueOf(declared.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add(path + ".key-type: unknown '" + declared + "' (one of integer, decimal, text, date, timestamp)");
                return null;
            }
        } else {
            keyType = inferKeyType(rangesNode);
        }
        List<RuleConfig.KeyRange> ranges = new ArrayList<>();
        int before = problems.size();
        for (int i = 0; i < rangesNode.size(); i++) {
            String rp = path + ".ranges[" + i + "]";
            JsonNode r = rangesNode.get(i);
            unknownKeys(r, rp + ".", Set.of("from", "to", "shard"));
            String shard = text(r, "shard", rp + ".", null);
            if (shard == null) {
                problems.add(rp + ".shard: missing");
            } else if (!shards.containsKey(shard)) {
                problems.add(rp + ".shard: unknown shard '" + shard + "' (declared shards: " + shards.keySet() + ")");
            }
            Comparable<?> from = r.has("from") ? RangeKeys.parse(r.get("from").asText(), keyType, rp + ".from", problems) : null;
            Comparable<?> to = r.has("to") ? RangeKeys.parse(r.get("to").asText(), keyType, rp + ".to", problems) : null;
            if (!r.has("from") && i > 0) {
                problems.add(rp + ".from: missing; only the first range may be unbounded below");
            }
            if (!r.has("to") && i < rangesNode.size() - 1) {
                problems.add(rp + ".to: missing; only the last range may be unbounded above");
            }
            ranges.add(new RuleConfig.KeyRange(from, to, shard));
        }
        if (problems.size() == before) {
            for (int i = 0; i < ranges.size(); i++) {
                RuleConfig.KeyRange r = ranges.get(i);
                if (r.from() != null && r.to() != null && RangeKeys.compare(r.from(), r.to()) >= 0) {
                    problems.add(path + ".ranges[" + i + "]: from " + r.from() + " is not below to " + r.to());
                }
                if (i > 0) {
                    Object prevTo = ranges.get(i - 1).to();
                    int c = RangeKeys.compare(prevTo, r.from());
                    if (c < 0) {
                        problems.add(path + ".ranges[" + i + "]: gap between " + prevTo + " and " + r.from()
                                + " (keys there would have no shard); make from equal the previous to");
                    } else if (c > 0) {
                        problems.add(path + ".ranges[" + i + "]: overlaps ranges[" + (i - 1) + "] (from " + r.from()
                                + " is below the previous to " + prevTo + "); ranges must be ordered and disjoint");
                    }
                }
            }
        }
        return new RuleConfig.Range(name, List.copyOf(ranges), keyType);
    }

    private static RuleConfig.KeyType inferKeyType(JsonNode ranges) {
        RuleConfig.KeyType type = null;
        for (JsonNode r : ranges) {
            for (String k : List.of("from", "to")) {
                JsonNode v = r.get(k);
                if (v == null) {
                    continue;
                }
                RuleConfig.KeyType t = RangeKeys.infer(v);
                type = type == null ? t : RangeKeys.widen(type, t);
            }
        }
        return type == null ? RuleConfig.KeyType.INTEGER : type;
    }

    private RuleConfig directoryRule(String name, String path, JsonNode rule, Map<String, ShardConfig> shards,
                                     Map<String, DatabaseConfig> databases) {
        unknownKeys(rule, path + ".", Set.of("type", "shards", "directory", "placement", "cache"));
        List<String> ruleShards = stringList(rule.get("shards"), path + ".shards");
        if (ruleShards.isEmpty()) {
            ruleShards = List.copyOf(shards.keySet());
        } else {
            checkShards(ruleShards, path + ".shards", shards);
        }
        JsonNode dir = rule.get("directory");
        String database = null;
        String table = "shardgate_directory";
        if (dir == null || !dir.isObject()) {
            problems.add(path + ".directory: missing; name where the lookup table lives, e.g. "
                    + "directory: { database: s0-primary, table: shardgate_directory }");
        } else {
            unknownKeys(dir, path + ".directory.", Set.of("database", "table"));
            database = text(dir, "database", path + ".directory.", null);
            if (database == null) {
                problems.add(path + ".directory.database: missing (a database under 'databases')");
            } else if (!databases.containsKey(database)) {
                problems.add(path + ".directory.database: unknown database '" + database + "' (declared databases: "
                        + databases.keySet() + ")");
            }
            table = text(dir, "table", path + ".directory.", table);
            if (!table.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?")) {
                problems.add(path + ".directory.table: '" + table + "' is not a plain table name");
            }
        }
        String placementName = text(rule, "placement", path + ".", "round-robin");
        RuleConfig.Placement placement = null;
        for (RuleConfig.Placement p : RuleConfig.Placement.values()) {
            if (p.configName().equals(placementName)) {
                placement = p;
            }
        }
        if (placement == null) {
            problems.add(path + ".placement: unknown '" + placementName + "' (one of round-robin, hash, first)");
        }
        int cacheSize = 100_000;
        Duration ttl = Duration.ofMinutes(5);
        JsonNode cache = rule.get("cache");
        if (cache != null) {
            unknownKeys(cache, path + ".cache.", Set.of("size", "ttl"));
            cacheSize = positiveInt(cache, "size", path + ".cache.", cacheSize);
            ttl = duration(cache, "ttl", path + ".cache.", ttl);
        }
        return new RuleConfig.Directory(name, List.copyOf(ruleShards), database, table, placement, cacheSize, ttl);
    }

    private void checkShards(List<String> names, String path, Map<String, ShardConfig> shards) {
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < names.size(); i++) {
            if (!shards.containsKey(names.get(i))) {
                problems.add(path + "[" + i + "]: unknown shard '" + names.get(i) + "' (declared shards: "
                        + shards.keySet() + ")");
            }
            if (!seen.add(names.get(i))) {
                problems.add(path + "[" + i + "]: shard '" + names.get(i) + "' is listed twice");
            }
        }
    }

    private Map<String, TableConfig> tables(JsonNode node, Map<String, RuleConfig> rules, Map<String, ShardConfig> shards) {
        Map<String, TableConfig> out = new LinkedHashMap<>();
        if (node == null) {
            return out;
        }
        if (!node.isObject()) {
            problems.add("tables: must be a mapping of table name to placement");
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey().toLowerCase(Locale.ROOT);
            String path = "tables." + e.getKey();
            JsonNode t = e.getValue();
            if (!t.isObject()) {
                problems.add(path + ": must be a mapping such as { rule: by-user, key: id } or { reference: true }");
                continue;
            }
            unknownKeys(t, path + ".", Set.of("rule", "key", "reference", "shard", "generated-key"));
            String rule = text(t, "rule", path + ".", null);
            String key = text(t, "key", path + ".", null);
            boolean reference = bool(t, "reference", path + ".", false);
            String shard = text(t, "shard", path + ".", null);
            String generated = text(t, "generated-key", path + ".", null);
            int placements = (rule != null ? 1 : 0) + (reference ? 1 : 0) + (shard != null ? 1 : 0);
            if (placements == 0) {
                problems.add(path + ": say where it lives: 'rule' and 'key' (sharded), 'reference: true' "
                        + "(copied to every shard) or 'shard' (one shard)");
            } else if (placements > 1) {
                problems.add(path + ": 'rule', 'reference' and 'shard' exclude each other; pick one");
            }
            if (rule != null) {
                if (!rules.containsKey(rule)) {
                    problems.add(path + ".rule: unknown rule '" + rule + "' (declared rules: " + rules.keySet() + ")");
                }
                if (key == null) {
                    problems.add(path + ".key: missing; a sharded table needs the column its rule is applied to");
                }
            } else if (key != null) {
                problems.add(path + ".key: only a sharded table (with 'rule') has a shard key");
            }
            if (shard != null && !shards.containsKey(shard)) {
                problems.add(path + ".shard: unknown shard '" + shard + "' (declared shards: " + shards.keySet() + ")");
            }
            out.put(name, new TableConfig(name, rule, key == null ? null : key.toLowerCase(Locale.ROOT), reference,
                    shard, generated == null ? null : generated.toLowerCase(Locale.ROOT)));
        }
        return out;
    }

    private ReadWriteConfig readWrite(JsonNode node) {
        ReadWriteConfig d = ReadWriteConfig.DEFAULT;
        if (node == null) {
            return d;
        }
        if (!node.isObject()) {
            problems.add("read-write: must be a mapping (balancer, max-replica-lag, read-your-writes, health-check-interval)");
            return d;
        }
        unknownKeys(node, "read-write.", Set.of("balancer", "max-replica-lag", "read-your-writes",
                "health-check-interval", "replica-reads"));
        String balancerName = text(node, "balancer", "read-write.", d.balancer().configName());
        ReadWriteConfig.Balancer balancer = null;
        for (ReadWriteConfig.Balancer b : ReadWriteConfig.Balancer.values()) {
            if (b.configName().equals(balancerName)) {
                balancer = b;
            }
        }
        if (balancer == null) {
            problems.add("read-write.balancer: unknown '" + balancerName
                    + "' (one of round-robin, least-connections, weighted, random)");
            balancer = d.balancer();
        }
        return new ReadWriteConfig(balancer,
                duration(node, "max-replica-lag", "read-write.", d.maxReplicaLag()),
                duration(node, "read-your-writes", "read-write.", d.readYourWrites()),
                duration(node, "health-check-interval", "read-write.", d.healthCheckInterval()),
                bool(node, "replica-reads", "read-write.", true));
    }

    private PoolConfig pool(JsonNode node, String path, PoolConfig d) {
        if (node == null) {
            return d;
        }
        if (!node.isObject()) {
            problems.add(path + ": must be a mapping (maximum-size, minimum-idle, connection-timeout, idle-timeout, max-lifetime)");
            return d;
        }
        unknownKeys(node, path + ".", Set.of("maximum-size", "minimum-idle", "connection-timeout", "idle-timeout",
                "max-lifetime"));
        int max = positiveInt(node, "maximum-size", path + ".", d.maximumPoolSize());
        int minIdle = d.minimumIdle();
        if (node.has("minimum-idle")) {
            JsonNode v = node.get("minimum-idle");
            if (!v.canConvertToInt() || v.asInt() < 0) {
                problems.add(path + ".minimum-idle: must be a whole number >= 0");
            } else {
                minIdle = v.asInt();
            }
        }
        if (minIdle > max) {
            problems.add(path + ".minimum-idle: " + minIdle + " is above maximum-size " + max);
        }
        Duration connectionTimeout = duration(node, "connection-timeout", path + ".", d.connectionTimeout());
        if (connectionTimeout.toMillis() < 250) {
            problems.add(path + ".connection-timeout: must be at least 250ms");
        }
        return new PoolConfig(max, minIdle, connectionTimeout, duration(node, "idle-timeout", path + ".", d.idleTimeout()),
                duration(node, "max-lifetime", path + ".", d.maxLifetime()));
    }

    private Dialect dialect(Map<String, DatabaseConfig> databases) {
        Dialect dialect = null;
        for (DatabaseConfig db : databases.values()) {
            Dialect d = db.dialect();
            if (d == null) {
                continue;
            }
            if (dialect == null) {
                dialect = d;
            } else if (dialect != d) {
                problems.add("databases." + db.name() + ".url: mixes " + d + " with " + dialect
                        + " databases; one configuration routes one SQL family");
                return dialect;
            }
        }
        return dialect == null ? Dialect.POSTGRESQL : dialect;
    }

    // ---- scalar helpers: every one names the key path it complains about

    private String text(JsonNode parent, String key, String path, String fallback) {
        JsonNode v = parent.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isValueNode()) {
            problems.add(path + key + ": must be a single value, not a " + (v.isArray() ? "list" : "mapping"));
            return fallback;
        }
        return expand(v.asText(), path + key);
    }

    private boolean bool(JsonNode parent, String key, String path, boolean fallback) {
        JsonNode v = parent.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        String s = v.isBoolean() ? String.valueOf(v.booleanValue()) : expand(v.asText(), path + key);
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        problems.add(path + key + ": '" + s + "' is not true or false");
        return fallback;
    }

    private int positiveInt(JsonNode parent, String key, String path, int fallback) {
        JsonNode v = parent.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        String s = expand(v.asText(), path + key);
        try {
            int n = Integer.parseInt(s.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        problems.add(path + key + ": '" + s + "' must be a whole number >= 1");
        return fallback;
    }

    private Duration duration(JsonNode parent, String key, String path, Duration fallback) {
        JsonNode v = parent.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        String s = expand(v.asText(), path + key).trim();
        Duration d = parseDuration(s);
        if (d == null) {
            problems.add(path + key + ": '" + s + "' is not a duration; write e.g. 500ms, 2s, 5m or 1h (0 to disable)");
            return fallback;
        }
        return d;
    }

    /** Parses {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h} or {@code 0}; null when malformed. */
    public static Duration parseDuration(String s) {
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = DURATION.matcher(s);
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    private List<String> stringList(JsonNode node, String path) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            problems.add(path + ": must be a list, e.g. [a, b]");
            return out;
        }
        for (int i = 0; i < node.size(); i++) {
            out.add(expand(node.get(i).asText(), path + "[" + i + "]"));
        }
        return out;
    }

    private void unknownKeys(JsonNode node, String path, Set<String> allowed) {
        if (!node.isObject()) {
            return;
        }
        node.fieldNames().forEachRemaining(k -> {
            if (!allowed.contains(k)) {
                problems.add(path + k + ": unknown key (expected one of " + new java.util.TreeSet<>(allowed) + ")");
            }
        });
    }

    /** Expands ${VAR} and ${VAR:-default}; an unset variable without a default is a problem at that key. */
    private String expand(String value, String path) {
        if (value.indexOf("${") < 0) {
            return value;
        }
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = environment.apply(m.group(1));
            if (v == null) {
                if (m.group(2) != null) {
                    v = m.group(3);
                } else {
                    problems.add(path + ": environment variable " + m.group(1) + " is not set (set it, or write ${"
                            + m.group(1) + ":-default})");
                    v = "";
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
