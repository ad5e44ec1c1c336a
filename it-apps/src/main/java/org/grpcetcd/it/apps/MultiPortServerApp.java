package org.grpcetcd.it.apps;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One echo server listening on several ports of 127.0.0.1 (each bound to port 0) through Netty's
 * {@code addListenAddress} (reached by reflection: it is not on {@code ServerBuilder}). Prints
 * {@code READY <name> ports=<p1>,<p2>,...}; {@code stop} on stdin shuts it down and prints {@code STOPPED}.
 *
 * <p>Arguments: {@code <name> [addresses=2]}.
 */
public final class MultiPortServerApp {
    private MultiPortServerApp() {
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        ServerBuilder<?> builder = NettyBuilders.forAddress(new InetSocketAddress("127.0.0.1", 0));
        for (int i = 1; i < count; i++) {
            builder.getClass().getMethod("addListenAddress", SocketAddress.class)
                    .invoke(builder, new InetSocketAddress("127.0.0.1", 0));
        }
        Server server = builder.addService(EchoServices.echo(name)).build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
        System.out.println("READY " + name + " ports=" + EchoServices.ports(server));
        System.out.flush();
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = stdin.readLine(); line != null; line = stdin.readLine()) {
            if (line.trim().equals("stop")) {
                server.shutdown();
                server.awaitTermination(10, TimeUnit.SECONDS);
                System.out.println("STOPPED");
                System.out.flush();
                return;
            }
        }
        server.awaitTermination();
    }
}
