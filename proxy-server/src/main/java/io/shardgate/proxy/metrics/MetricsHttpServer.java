package io.shardgate.proxy.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves {@code GET /metrics} (Prometheus text format) with the JDK's HTTP server on one daemon thread of its own,
 * so a scrape never runs on an event loop.
 */
public final class MetricsHttpServer implements AutoCloseable {
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private final HttpServer http;
    private final ExecutorService executor;

    private MetricsHttpServer(HttpServer http, ExecutorService executor) {
        this.http = http;
        this.executor = executor;
    }

    /** Binds {@code host:port} (0 = any free port) and starts serving {@code metrics}. */
    public static MetricsHttpServer start(String host, int port, ProxyMetrics metrics) throws IOException {
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new IOException("proxy.metrics.listen: cannot bind " + host + ":" + port + ": " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "shardgate-metrics");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(executor);
        http.createContext("/metrics", exchange -> {
            try (exchange) {
                if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                    reply(exchange, 405, "only GET /metrics\n");
                    return;
                }
                reply(exchange, 200, metrics.scrape());
            }
        });
        http.createContext("/", exchange -> {
            try (exchange) {
                reply(exchange, 404, "shardgate: metrics are at /metrics\n");
            }
        });
        http.start();
        return new MetricsHttpServer(http, executor);
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    public int port() {
        return http.getAddress().getPort();
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }
}
