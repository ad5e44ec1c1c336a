package org.grpcetcd.it.apps;

import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A plain gRPC server with no etcd code that serves {@code echo.Echo/Say} (answering its name) and a hand-written
 * {@code grpc.health.v1.Health/Check}: the request is ignored, the response is the protobuf bytes
 * {@code {0x08, status}} (field 1, 1 = SERVING, 2 = NOT_SERVING), and {@code Watch}, which sends the status and
 * every change (what client-side health checking calls). It starts SERVING; the stdin lines
 * {@code serving} and {@code not-serving} switch the status (printing {@code HEALTH SERVING} or
 * {@code HEALTH NOT_SERVING} once switched), {@code stop} shuts the server down gracefully ({@code STOPPED}).
 *
 * <p>Arguments: {@code <name> [host=127.0.0.1] [port=0]}. Prints {@code READY <name> port=<port>} once started.
 */
public final class HealthToggleServer {
    static final int SERVING = 1;
    static final int NOT_SERVING = 2;

    private static final MethodDescriptor<byte[], byte[]> CHECK = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("grpc.health.v1.Health", "Check"))
            .setRequestMarshaller(new RawBytes())
            .setResponseMarshaller(new RawBytes())
            .build();

    private static final MethodDescriptor<byte[], byte[]> WATCH = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.SERVER_STREAMING)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("grpc.health.v1.Health", "Watch"))
            .setRequestMarshaller(new RawBytes())
            .setResponseMarshaller(new RawBytes())
            .build();

    private static volatile int status = SERVING;
    private static final List<StreamObserver<byte[]>> WATCHERS = new CopyOnWriteArrayList<>();

    private HealthToggleServer() {
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        String host = args.length > 1 ? args[1] : "127.0.0.1";
        int port = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        ServerServiceDefinition echo = ServerServiceDefinition.builder("echo.Echo")
                .addMethod(Echo.SAY, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext(name);
                    response.onCompleted();
                }))
                .build();
        ServerServiceDefinition health = ServerServiceDefinition.builder("grpc.health.v1.Health")
                .addMethod(CHECK, ServerCalls.<byte[], byte[]>asyncUnaryCall((request, response) -> {
                    response.onNext(new byte[] {0x08, (byte) status});
                    response.onCompleted();
                }))
                .addMethod(WATCH, ServerCalls.<byte[], byte[]>asyncServerStreamingCall((request, response) -> {
                    synchronized (WATCHERS) { // a stream's observer takes one thread at a time
                        WATCHERS.add(response);
                        response.onNext(new byte[] {0x08, (byte) status});
                    }
                }))
                .build();
        Server server = NettyBuilders.forAddress(new InetSocketAddress(host, port))
                .addService(echo)
                .addService(health)
                .build()
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
        System.out.println("READY " + name + " port=" + server.getPort());
        System.out.flush();

        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = stdin.readLine(); line != null; line = stdin.readLine()) {
            String command = line.trim();
            if (command.equals("serving")) {
                setStatus(SERVING);
                System.out.println("HEALTH SERVING");
            } else if (command.equals("not-serving")) {
                setStatus(NOT_SERVING);
                System.out.println("HEALTH NOT_SERVING");
            } else if (command.equals("stop")) {
                server.shutdown();
                server.awaitTermination(10, TimeUnit.SECONDS);
                System.out.println("STOPPED");
                System.out.flush();
                return;
            }
            System.out.flush();
        }
        server.awaitTermination();
    }

    /** Sets the status and tells every open {@code Watch} (client-side health checking) about it. */
    private static void setStatus(int newStatus) {
        synchronized (WATCHERS) {
            status = newStatus;
            for (StreamObserver<byte[]> watcher : WATCHERS) {
                try {
                    watcher.onNext(new byte[] {0x08, (byte) newStatus});
                } catch (RuntimeException closed) {
                    WATCHERS.remove(watcher); // that client went away
                }
            }
        }
    }

    private static final class RawBytes implements MethodDescriptor.Marshaller<byte[]> {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
