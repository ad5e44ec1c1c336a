package org.grpcetcd.it.apps;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain gRPC server whose {@code echo.Echo/Say} fails with UNAVAILABLE for its first {@code failures} calls
 * (printing {@code FAILED <n>} for each), then answers its name like {@link EchoServer}: what a retry policy is
 * for. Binds 127.0.0.1 on a free port, prints {@code READY <name> port=<port>}, stops on {@code stop} on stdin.
 *
 * <p>Arguments: {@code <name> <failures>}.
 */
public final class FlakyServer {
    private FlakyServer() {
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        int failures = Integer.parseInt(args[1]);
        AtomicInteger calls = new AtomicInteger();
        ServerServiceDefinition service = ServerServiceDefinition.builder("echo.Echo")
                .addMethod(Echo.SAY, ServerCalls.<String, String>asyncUnaryCall((request, response) -> {
                    int call = calls.incrementAndGet();
                    if (call <= failures) {
                        System.out.println("FAILED " + call);
                        System.out.flush();
                        response.onError(Status.UNAVAILABLE.withDescription("failing call " + call + " on purpose")
                                .asRuntimeException());
                        return;
                    }
                    response.onNext(name);
                    response.onCompleted();
                }))
                .build();
        Server server = NettyBuilders.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(service).build()
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
        System.out.println("READY " + name + " port=" + server.getPort());
        System.out.flush();
        StdinStop.await();
        server.shutdown();
        server.awaitTermination();
        System.out.println("STOPPED");
        System.out.flush();
    }
}
