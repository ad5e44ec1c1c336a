package org.grpcetcd.it.apps;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * A plain gRPC app that brings its own java.util.logging {@link LogManager} ({@link OnCallLogManager}): either
 * with {@code -Djava.util.logging.manager=...} on its command line, or (argument {@code set-in-main}) by setting
 * that property first thing in {@code main}, as some frameworks do; either works only if nothing used
 * java.util.logging before. It then starts a server, calls it through a channel on {@code target}, waits until
 * the agent's status MBean is published (the agent is in full use by then) and prints which LogManager it has.
 *
 * <p>Arguments: {@code <target> [set-in-main]}. Prints {@code REPLY <server>}, {@code AGENT-MBEAN <true|false>},
 * {@code LOGMANAGER <class name>} and {@code JUL-DONE}, then exits.
 */
public final class OnCallJulApp {
    private OnCallJulApp() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 1 && args[1].equals("set-in-main")) {
            System.setProperty("java.util.logging.manager", OnCallLogManager.class.getName());
        }
        String target = args[0];
        ServerServiceDefinition service = ServerServiceDefinition.builder("echo.Echo")
                .addMethod(Echo.SAY, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext("jul");
                    response.onCompleted();
                }))
                .build();
        Server server = NettyBuilders.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(service)
                .build()
                .start();
        ManagedChannel channel = ManagedChannelBuilder.forTarget(target).usePlaintext().build();
        System.out.println("REPLY " + OnCallStatusApp.callUntilReply(channel, 30_000));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        boolean published = false;
        while (!published && System.nanoTime() - deadline < 0) {
            published = OnCallStatus.get("Version") != null;
            if (!published) {
                Thread.sleep(100);
            }
        }
        System.out.println("AGENT-MBEAN " + published);
        Logger.getLogger(OnCallJulApp.class.getName()).fine("the app's own logging is in use");
        System.out.println("LOGMANAGER " + LogManager.getLogManager().getClass().getName());
        System.out.flush();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        System.out.println("JUL-DONE");
        System.out.flush();
    }
}
