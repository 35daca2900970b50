package io.shardgate.route;

import io.shardgate.config.RuleConfig;
import io.shardgate.config.ShardgateConfig;
import io.shardgate.rule.DirectoryStore;
import io.shardgate.rule.JdbcDirectoryStore;
import io.shardgate.topology.Topology;

import javax.sql.DataSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** Builds a {@link Router} with JDBC-backed directory stores; the one way every face (driver, proxy, CLI) wires it. */
public final class RouterFactory {
    private RouterFactory() {
    }

    /**
     * @param dataSources        the face's connection source per physical database name
     * @param createDirectories  create missing directory tables now (the running faces do; an offline explain does not)
     */
    public static Router create(ShardgateConfig config, Topology topology, Function<String, DataSource> dataSources,
                                boolean createDirectories) {
        Map<String, DirectoryStore> stores = new LinkedHashMap<>();
        for (RuleConfig rule : config.rules().values()) {
            if (rule instanceof RuleConfig.Directory d) {
                JdbcDirectoryStore store = new JdbcDirectoryStore(dataSources.apply(d.database()),
                        config.database(d.database()).dialect(), d.table(), d.name(), d.cacheSize(), d.cacheTtl());
                if (createDirectories) {
                    store.createTableIfAbsent();
                }
                stores.put(d.name(), store);
            }
        }
        return new Router(config, topology, stores);
    }
}
