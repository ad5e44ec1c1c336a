package org.grpcetcd.it.apps;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A plain gRPC server with no etcd code: answers {@code Say} with its own name. Binds 127.0.0.1 on a free port
 * (or the host and port given), prints {@code READY <name> port=<port>}, and on the line {@code stop} on stdin
 * prints {@code SHUTDOWN-CALLED at=<epoch ms>}, shuts down gracefully and prints {@code STOPPED}. Like most apps, it also shuts down from a shutdown hook.
 * The line {@code dial <target>} builds a new channel on that target, calls {@code Say} once (waiting up to 10 s
 * for the target to be ready) and prints {@code DIALED <target> REPLY <name>} or {@code DIALED <target> ERROR
 * <code> <description>}.
 *
 * <p>Arguments: {@code <name> [host] [port]}.
 */
public final class EchoServer {
    private EchoServer() {
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        String host = args.length > 1 ? args[1] : "127.0.0.1";
        int port = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        ServerServiceDefinition service = ServerServiceDefinition.builder("echo.Echo")
                .addMethod(Echo.SAY, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext(name);
                    response.onCompleted();
                }))
                .build();
        Server server = NettyBuilders.forAddress(new InetSocketAddress(host, port))
                .addService(service)
                .build()
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
        System.out.println("READY " + name + " port=" + server.getPort());
        System.out.flush();

        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = stdin.readLine(); line != null; line = stdin.readLine()) {
            if (line.startsWith("dial ")) {
                System.out.println(dial(line.substring("dial ".length()).trim()));
                System.out.flush();
            }
            if (line.trim().equals("stop")) {
                System.out.println("SHUTDOWN-CALLED at=" + System.currentTimeMillis());
                System.out.flush();
                long begin = System.nanoTime();
                server.shutdown();
                System.out.println("SHUTDOWN-RETURNED after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin) + " ms");
                server.awaitTermination(10, TimeUnit.SECONDS);
                System.out.println("STOPPED");
                System.out.flush();
                return;
            }
        }
        server.awaitTermination();
    }

    private static String dial(String target) throws InterruptedException {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(target).usePlaintext().build();
        try {
            CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS).withWaitForReady();
            return "DIALED " + target + " REPLY " + ClientCalls.blockingUnaryCall(channel, Echo.SAY, options, "hi");
        } catch (StatusRuntimeException e) {
            return "DIALED " + target + " ERROR " + e.getStatus().getCode() + " " + e.getStatus().getDescription();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
