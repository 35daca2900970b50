package io.shardgate.cli;

import io.shardgate.config.ConfigException;
import io.shardgate.config.ConfigLoader;
import io.shardgate.config.ProxyConfig;
import io.shardgate.config.ShardgateConfig;
import io.shardgate.proxy.ProxyServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code shardgate proxy --config FILE}: the PostgreSQL wire-protocol proxy, until SIGTERM or Ctrl-C. */
@Command(name = "proxy", description = "Run the PostgreSQL wire-protocol proxy (default listen 127.0.0.1:6432).")
final class ProxyCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the shardgate YAML configuration")
    Path config;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "overrides proxy.listen")
    String listen;

    @Override
    public Integer call() throws Exception {
        ShardgateConfig cfg;
        try {
            cfg = ConfigLoader.load(config);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        if (listen != null) {
            ProxyConfig p = cfg.proxy();
            int colon = listen.lastIndexOf(':');
            String host = colon > 0 ? listen.substring(0, colon) : p.listenHost();
            int port = Integer.parseInt(colon >= 0 ? listen.substring(colon + 1) : listen);
            cfg = new ShardgateConfig(cfg.source(), cfg.databases(), cfg.shards(), cfg.rules(), cfg.tables(),
                    cfg.defaultShard(), cfg.readWrite(), cfg.pool(), cfg.allowScatterWrites(), cfg.analysisCacheSize(),
                    cfg.dialect(), p.withListen(host, port));
        }
        if (cfg.proxy().auth() != ProxyConfig.Auth.TRUST && cfg.proxy().users().isEmpty()) {
            System.err.println(config + ": proxy.users: no users, so nobody could log in with auth "
                    + cfg.proxy().auth().configName() + "; add a proxy section with users, or auth: trust");
            return 1;
        }
        ProxyServer server = new ProxyServer(cfg).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shardgate-shutdown"));
        System.out.println("shardgate proxy listening on " + cfg.proxy().listenHost() + ":" + server.port()
                + "  (psql -h " + cfg.proxy().listenHost() + " -p " + server.port() + " -U <user> <database>)");
        stopped.await();
        return 0;
    }
}
