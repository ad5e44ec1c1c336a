package org.grpcetcd.it.apps;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.stub.ClientCalls;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * An echo server that also exposes {@code grpc.health.v1.Health} (a hand-written descriptor, no protobuf), as
 * servers with gRPC's health service do. Binds 127.0.0.1 on a free port, asks its own health service once (over
 * a plaintext channel to 127.0.0.1) and prints {@code HEALTH SERVING} when it answers so, then prints
 * {@code READY <name> port=<p>}; {@code stop} on stdin shuts it down and prints {@code STOPPED}.
 *
 * <p>Arguments: {@code <name>}.
 */
public final class HealthEchoServer {
    private HealthEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        Server server = NettyBuilders.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(EchoServices.echo(name))
                .addService(EchoServices.health())
                .build()
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext()
                .build();
        try {
            byte[] status = ClientCalls.blockingUnaryCall(channel, EchoServices.HEALTH_CHECK,
                    CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), new byte[0]);
            System.out.println(Arrays.equals(status, new byte[] {0x08, 0x01}) ? "HEALTH SERVING"
                    : "HEALTH " + Arrays.toString(status));
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        System.out.println("READY " + name + " port=" + server.getPort());
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
