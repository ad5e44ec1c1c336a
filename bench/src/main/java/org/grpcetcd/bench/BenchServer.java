package org.grpcetcd.bench;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * A plain gRPC server app with no etcd code. Starts {@code count} servers on 127.0.0.1 (free ports) and prints
 * {@code READY ports=<p,...> at=<instant start() returned>}. Then, on stdin: {@code start} starts one more server
 * ({@code STARTED port=<p> at=<instant>}), {@code stats} prints {@link AppStats}, {@code stop} (or EOF) shuts
 * every server down and exits. It exits by itself after 20 minutes whatever happens.
 *
 * <p>Arguments: {@code [count=1] [--prewarm-jmx]} (diagnostics, see {@link Prewarm}).
 */
public final class BenchServer {
    private static final List<Server> SERVERS = new ArrayList<>();

    private BenchServer() {
    }

    public static void main(String[] args) throws Exception {
        Lifetime.limit(20);
        System.out.println("MAIN at=" + Instant.now());
        String[] rest = Prewarm.apply(args);
        int count = rest.length > 0 ? Integer.parseInt(rest[0]) : 1;
        StringJoiner ports = new StringJoiner(",");
        Instant at = null;
        for (int i = 0; i < count; i++) {
            Server server = startOne();
            at = Instant.now();
            ports.add(Integer.toString(server.getPort()));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(BenchServer::shutdownAll, "bench-server-shutdown"));
        System.out.println("READY ports=" + ports + " at=" + at);
        System.out.flush();

        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = stdin.readLine(); line != null; line = stdin.readLine()) {
            String command = line.trim();
            if (command.equals("start")) {
                Server server = startOne();
                Instant started = Instant.now();
                System.out.println("STARTED port=" + server.getPort() + " at=" + started);
            } else if (command.equals("stats")) {
                System.out.println(AppStats.line());
            } else if (command.equals("stop")) {
                break;
            }
            System.out.flush();
        }
        shutdownAll();
        System.out.println("STOPPED");
        System.out.flush();
        System.exit(0);
    }

    private static Server startOne() throws IOException {
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(Echo.service("bench"))
                .build()
                .start();
        synchronized (SERVERS) {
            SERVERS.add(server);
        }
        return server;
    }

    private static void shutdownAll() {
        List<Server> servers;
        synchronized (SERVERS) {
            servers = new ArrayList<>(SERVERS);
            SERVERS.clear();
        }
        for (Server server : servers) {
            server.shutdown();
        }
        for (Server server : servers) {
            try {
                server.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
