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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A plain gRPC app with no etcd code that looks at itself the way people on call would with jconsole: starts an
 * echo server on 127.0.0.1:0, builds a channel on {@code target} (such as {@code etcd:///orders}), calls it until
 * a call succeeds, then reads its own platform MBean {@code org.grpcetcd.agent:type=GrpcEtcdAgent} and prints
 * each attribute.
 *
 * <p>Arguments: {@code <name> <target>}. Prints {@code READY <name> port=<p>}, {@code REPLY <server>},
 * {@code VERSION <v>}, {@code ENDPOINT <e>} per endpoint, {@code REGISTRATION <line>} and {@code WATCHED <line>}
 * per list entry (Registrations polled for up to 10 s until it is non-empty), then {@code STATUS-DONE}; stops on
 * stdin {@code stop} or EOF.
 */
public final class OnCallStatusApp {
    private OnCallStatusApp() {
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        String target = args[1];
        ServerServiceDefinition service = ServerServiceDefinition.builder("echo.Echo")
                .addMethod(Echo.SAY, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext(name);
                    response.onCompleted();
                }))
                .build();
        Server server = NettyBuilders.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(service)
                .build()
                .start();
        System.out.println("READY " + name + " port=" + server.getPort());
        System.out.flush();

        ManagedChannel channel = ManagedChannelBuilder.forTarget(target).usePlaintext().build();
        System.out.println("REPLY " + callUntilReply(channel, 30_000));

        List<String> registrations = OnCallStatus.awaitNonEmpty("Registrations", 10_000);
        System.out.println("VERSION " + OnCallStatus.get("Version"));
        for (String endpoint : OnCallStatus.list("Endpoints")) {
            System.out.println("ENDPOINT " + endpoint);
        }
        for (String line : registrations) {
            System.out.println("REGISTRATION " + line);
        }
        for (String line : OnCallStatus.list("WatchedServices")) {
            System.out.println("WATCHED " + line);
        }
        System.out.println("STATUS-DONE");
        System.out.flush();

        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = stdin.readLine(); line != null && !line.trim().equals("stop"); line = stdin.readLine()) {
            // wait
        }
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdown().awaitTermination(10, TimeUnit.SECONDS);
        System.out.println("STOPPED");
        System.out.flush();
    }

    /** Calls {@code Say} until one call succeeds (up to {@code timeoutMs}); returns the server's name. */
    static String callUntilReply(ManagedChannel channel, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (true) {
            try {
                return ClientCalls.blockingUnaryCall(channel, Echo.SAY,
                        CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "hi");
            } catch (StatusRuntimeException e) {
                if (System.nanoTime() - deadline >= 0) {
                    return "(none: " + e.getStatus().getCode() + " " + e.getStatus().getDescription() + ")";
                }
                Thread.sleep(100);
            }
        }
    }
}
