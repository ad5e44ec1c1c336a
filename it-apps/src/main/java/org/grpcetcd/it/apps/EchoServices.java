package org.grpcetcd.it.apps;

import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/** Shared pieces of the compatibility apps: the echo service, a hand-written health service, bound ports. */
final class EchoServices {
    /** {@code grpc.health.v1.HealthCheckResponse{status: SERVING}} on the wire: field 1, varint 1. */
    private static final byte[] SERVING = {0x08, 0x01};

    static final MethodDescriptor<byte[], byte[]> HEALTH_CHECK = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("grpc.health.v1.Health", "Check"))
            .setRequestMarshaller(new Bytes())
            .setResponseMarshaller(new Bytes())
            .build();

    private EchoServices() {
    }

    /** {@code echo.Echo} answering {@code Say} with {@code name}. */
    static ServerServiceDefinition echo(String name) {
        return ServerServiceDefinition.builder("echo.Echo")
                .addMethod(Echo.SAY, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext(name);
                    response.onCompleted();
                }))
                .build();
    }

    /** {@code grpc.health.v1.Health} written by hand (no protobuf): {@code Check} always answers SERVING. */
    static ServerServiceDefinition health() {
        return ServerServiceDefinition.builder("grpc.health.v1.Health")
                .addMethod(HEALTH_CHECK, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext(SERVING.clone());
                    response.onCompleted();
                }))
                .build();
    }

    /** The TCP ports the server listens on, comma-separated, in the order gRPC reports them. */
    static String ports(Server server) {
        List<String> ports = new ArrayList<>();
        for (SocketAddress address : server.getListenSockets()) {
            if (address instanceof InetSocketAddress) {
                ports.add(String.valueOf(((InetSocketAddress) address).getPort()));
            }
        }
        return String.join(",", ports);
    }

    private static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
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
