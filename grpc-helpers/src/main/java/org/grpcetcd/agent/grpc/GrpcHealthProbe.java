package org.grpcetcd.agent.grpc;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.grpcetcd.agent.bootstrap.ServingStatusProbe;

/**
 * Calls {@code grpc.health.v1.Health/Check} on one server of this JVM over a plaintext channel of the app's own
 * gRPC. The messages are tiny protobufs written by hand: an empty request (service "", the server as a whole)
 * and a response whose field 1 is the status, so neither the agent nor the app needs grpc-services.
 */
public final class GrpcHealthProbe implements ServingStatusProbe {
    private static final MethodDescriptor<byte[], byte[]> CHECK = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("grpc.health.v1.Health/Check")
            .setRequestMarshaller(new RawBytes())
            .setResponseMarshaller(new RawBytes())
            .build();
    private static final int STATUS_FIELD_TAG = 0x08; // field 1, varint

    private final ManagedChannel channel;

    public GrpcHealthProbe(String host, Integer port) {
        this.channel = ManagedChannelBuilder.forAddress(host, port).usePlaintext().build();
    }

    /** Blocks the calling (agent) thread for at most {@code timeoutMillis}; grpc-api only, no grpc-stub. */
    @Override
    public int servingStatus(long timeoutMillis) {
        CompletableFuture<Integer> status = new CompletableFuture<>();
        ClientCall<byte[], byte[]> call = channel.newCall(CHECK,
                CallOptions.DEFAULT.withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS));
        call.start(new ClientCall.Listener<byte[]>() {
            @Override
            public void onMessage(byte[] response) {
                status.complete(response.length >= 2 && response[0] == STATUS_FIELD_TAG ? (int) response[1] : UNKNOWN);
            }

            @Override
            public void onClose(Status closed, Metadata trailers) {
                status.complete(closed.getCode() == Status.Code.UNIMPLEMENTED ? NO_HEALTH_SERVICE : NO_ANSWER);
            }
        }, new Metadata());
        call.request(1);
        call.sendMessage(new byte[0]);
        call.halfClose();
        try {
            return status.get(timeoutMillis + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            call.cancel("no answer in time", null);
            return NO_ANSWER;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel("interrupted", null);
            return NO_ANSWER;
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }

    private static final class RawBytes implements MethodDescriptor.Marshaller<byte[]> {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buffer = new byte[256];
                for (int n = stream.read(buffer); n >= 0; n = stream.read(buffer)) {
                    out.write(buffer, 0, n);
                }
                return out.toByteArray();
            } catch (IOException e) {
                throw Status.INTERNAL.withCause(e).asRuntimeException();
            }
        }
    }
}
