package org.grpcetcd.it.apps;

import io.grpc.Server;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Several echo servers in one JVM, each on its own free port of 127.0.0.1 (bound to port 0): prints
 * {@code READY <name> port=<port>} for each. The line {@code stop <name>} on stdin shuts that one server down
 * and prints {@code STOPPED <name>}; the others keep running. The process exits once every server is stopped. On
 * JVM exit (SIGTERM), a shutdown hook stops the servers still running one after another, as frameworks do.
 *
 * <p>Arguments: {@code <name> <name> ...}.
 */
public final class TwoServersApp {
    private TwoServersApp() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, Server> servers = Collections.synchronizedMap(new LinkedHashMap<>());
        for (String name : args) {
            Server server = NettyBuilders.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(EchoServices.echo(name))
                    .build()
                    .start();
            servers.put(name, server);
            System.out.println("READY " + name + " port=" + server.getPort());
            System.out.flush();
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            List<Server> running;
            synchronized (servers) {
                running = new ArrayList<>(servers.values());
            }
            for (Server server : running) {
                server.shutdown();
                try {
                    server.awaitTermination(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "stop-servers-in-turn"));
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = stdin.readLine(); line != null && !servers.isEmpty(); line = stdin.readLine()) {
            String[] words = line.trim().split("\\s+");
            if (words.length == 2 && words[0].equals("stop") && servers.containsKey(words[1])) {
                Server server = servers.remove(words[1]);
                server.shutdown();
                server.awaitTermination(10, TimeUnit.SECONDS);
                System.out.println("STOPPED " + words[1]);
                System.out.flush();
            }
        }
        for (Server server : servers.values()) {
            server.shutdown();
        }
    }
}
