package org.grpcetcd.it.apps;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.stub.ClientCalls;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A server on gRPC's in-process transport only ({@code io.grpc.inprocess} of grpc-core, reached by reflection
 * since the apps compile against grpc-api): it has no TCP address. Starts it, makes one call to it through an
 * in-process channel and prints {@code REPLY <name>}, then {@code READY <name> in-process}; on {@code stop} on
 * stdin it shuts the server down and prints {@code STOPPED}.
 *
 * <p>Arguments: {@code <name>}.
 */
public final class InProcessServerApp {
    private InProcessServerApp() {
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        String transportName = "in-process-" + name;
        ServerBuilder<?> builder = (ServerBuilder<?>) Class.forName("io.grpc.inprocess.InProcessServerBuilder")
                .getMethod("forName", String.class).invoke(null, transportName);
        Server server = builder.addService(EchoServices.echo(name)).build().start();
        ManagedChannelBuilder<?> channelBuilder = (ManagedChannelBuilder<?>)
                Class.forName("io.grpc.inprocess.InProcessChannelBuilder")
                        .getMethod("forName", String.class).invoke(null, transportName);
        ManagedChannel channel = channelBuilder.build();
        String reply = ClientCalls.blockingUnaryCall(channel, Echo.SAY,
                io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), "hi");
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        System.out.println("REPLY " + reply);
        System.out.println("READY " + name + " in-process");
        System.out.flush();

        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = stdin.readLine(); line != null; line = stdin.readLine()) {
            if (line.trim().equals("stop")) {
                break;
            }
        }
        server.shutdown();
        server.awaitTermination(10, TimeUnit.SECONDS);
        System.out.println("STOPPED");
        System.out.flush();
    }
}
