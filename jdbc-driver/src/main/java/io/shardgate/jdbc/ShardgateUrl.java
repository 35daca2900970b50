package io.shardgate.jdbc;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A parsed {@code jdbc:shardgate:} URL: the path of the YAML configuration and the options of an optional
 * {@code ?key=value&...} part (none are defined yet; they are kept for future use). Accepted forms:
 * <pre>
 * jdbc:shardgate:/etc/app/shardgate.yaml
 * jdbc:shardgate:conf/demo.yaml            (relative to the working directory)
 * jdbc:shardgate:file:/etc/app/shardgate.yaml
 * jdbc:shardgate:file:///etc/app/shardgate.yaml
 * jdbc:shardgate:/etc/app/shardgate.yaml?option=value
 * </pre>
 * {@code configPath} is absolute and normalised, so that every spelling of one file shares one runtime.
 */
public record ShardgateUrl(String url, Path configPath, Map<String, String> options) {
    public static final String PREFIX = "jdbc:shardgate:";

    public static boolean accepts(String url) {
        return url != null && url.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    public static ShardgateUrl parse(String url) throws SQLException {
        if (!accepts(url)) {
            throw new SQLException("not a shardgate URL: '" + url + "' (expected " + PREFIX + "<path to YAML config>)",
                    "08001");
        }
        String rest = url.substring(PREFIX.length());
        Map<String, String> options = new LinkedHashMap<>();
        int q = rest.indexOf('?');
        if (q >= 0) {
            for (String pair : rest.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                options.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value,
                        StandardCharsets.UTF_8));
            }
            rest = rest.substring(0, q);
        }
        if (rest.regionMatches(true, 0, "file:", 0, 5)) {
            rest = rest.substring(5);
            if (rest.startsWith("//")) {
                // file://<authority>/path: only the empty authority (file:///path) or localhost is a local file
                int slash = rest.indexOf('/', 2);
                String authority = slash < 0 ? rest.substring(2) : rest.substring(2, slash);
                if (!authority.isEmpty() && !authority.equalsIgnoreCase("localhost")) {
                    throw new SQLException("shardgate URL '" + url + "': file URL with host '" + authority
                            + "' is not a local file; write " + PREFIX + "file:///path/to/config.yaml", "08001");
                }
                rest = slash < 0 ? "" : rest.substring(slash);
            }
        }
        if (rest.isBlank()) {
            throw new SQLException("shardgate URL '" + url + "' names no configuration file; write " + PREFIX
                    + "<path to YAML config>, e.g. " + PREFIX + "/etc/app/shardgate.yaml", "08001");
        }
        Path path;
        try {
            path = Path.of(rest).toAbsolutePath().normalize();
        } catch (RuntimeException e) {
            throw new SQLException("shardgate URL '" + url + "': '" + rest + "' is not a valid path: " + e.getMessage(),
                    "08001", e);
        }
        return new ShardgateUrl(url, path, Collections.unmodifiableMap(options));
    }
}
