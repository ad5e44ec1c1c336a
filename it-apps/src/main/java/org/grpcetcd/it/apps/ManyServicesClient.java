package org.grpcetcd.it.apps;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A plain gRPC client with one channel per target, built one after another with a pause between them, that then
 * calls each channel in turn, printing {@code REPLY <index> <server>} or {@code ERROR <index> <status>} per call,
 * until {@code stop} arrives on stdin.
 *
 * <p>Arguments: {@code <pauseMs> <target> [target ...]}.
 */
public final class ManyServicesClient {
    private static volatile boolean stopping;

    private ManyServicesClient() {
    }

    public static void main(String[] args) throws Exception {
        long pauseMs = Long.parseLong(args[0]);
        List<ManagedChannel> channels = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            channels.add(ManagedChannelBuilder.forTarget(args[i]).usePlaintext().build());
            Thread.sleep(pauseMs);
        }
        StdinStop.then(() -> stopping = true);
        System.out.println("CLIENT-READY " + channels.size());
        System.out.flush();
        while (!stopping) {
            for (int i = 0; i < channels.size() && !stopping; i++) {
                try {
                    String reply = ClientCalls.blockingUnaryCall(channels.get(i), Echo.SAY,
                            CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "hi");
                    System.out.println("REPLY " + i + " " + reply);
                } catch (StatusRuntimeException e) {
                    System.out.println("ERROR " + i + " " + e.getStatus().getCode() + " "
                            + e.getStatus().getDescription());
                }
            }
            System.out.flush();
            Thread.sleep(50);
        }
        for (ManagedChannel channel : channels) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        System.out.println("STOPPED");
    }
}
