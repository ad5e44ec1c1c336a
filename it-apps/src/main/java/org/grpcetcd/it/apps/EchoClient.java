package org.grpcetcd.it.apps;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.util.concurrent.TimeUnit;

/**
 * A plain gRPC client with no etcd code: builds a channel on the target it is given (such as
 * {@code etcd:///echo}) and calls {@code Say} every {@code intervalMs}, printing {@code REPLY <server>} or
 * {@code ERROR <status>} per call, until {@code stop} arrives on stdin or {@code calls} calls are done.
 *
 * <p>Arguments: {@code <target> [intervalMs=50] [calls=unbounded] [deadlineMs]}. With a deadline given, calls are
 * waitForReady: they wait up to it for the service to show up, as a client started alongside its servers should.
 * Without one, they have a 5 s deadline and fail fast like any gRPC call while the name has no instance.
 */
public final class EchoClient {
    private EchoClient() {
    }

    public static void main(String[] args) throws Exception {
        String target = args[0];
        long intervalMs = args.length > 1 ? Long.parseLong(args[1]) : 50;
        long calls = args.length > 2 ? Long.parseLong(args[2]) : Long.MAX_VALUE;
        long deadlineMs = args.length > 3 ? Long.parseLong(args[3]) : 5000;
        boolean waitForReady = args.length > 3;
        ManagedChannel channel = ManagedChannelBuilder.forTarget(target).usePlaintext().build();
        StdinStop.then(channel::shutdownNow);
        System.out.println("CLIENT-READY " + target);
        System.out.flush();
        for (long i = 0; i < calls && !channel.isShutdown(); i++) {
            try {
                CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS);
                String reply = ClientCalls.blockingUnaryCall(channel, Echo.SAY,
                        waitForReady ? options.withWaitForReady() : options, "hi");
                System.out.println("REPLY " + reply);
            } catch (StatusRuntimeException e) {
                if (channel.isShutdown()) {
                    break;
                }
                System.out.println("ERROR " + e.getStatus().getCode() + " " + e.getStatus().getDescription());
            }
            System.out.flush();
            Thread.sleep(intervalMs);
        }
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        System.out.println("CLIENT-DONE");
        System.out.flush();
    }
}
