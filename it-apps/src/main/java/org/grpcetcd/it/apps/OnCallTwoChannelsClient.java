package org.grpcetcd.it.apps;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A plain gRPC client with no etcd code that builds two channels on the same target (such as
 * {@code etcd:///orders}), as an app with two stubs of one service would, and calls on both.
 *
 * <p>Arguments: {@code <target>}. Prints {@code CLIENT-READY <target>}, {@code CHANNEL-1 REPLY <server>} and
 * {@code CHANNEL-2 REPLY <server>} (each channel called until a call succeeds, up to 30 s), then
 * {@code WATCHED <line>} for each entry of its own agent MBean's WatchedServices (polled up to 10 s until
 * non-empty) and {@code CALLS-DONE}; stops on stdin {@code stop} or EOF.
 */
public final class OnCallTwoChannelsClient {
    private OnCallTwoChannelsClient() {
    }

    public static void main(String[] args) throws Exception {
        String target = args[0];
        ManagedChannel first = ManagedChannelBuilder.forTarget(target).usePlaintext().build();
        ManagedChannel second = ManagedChannelBuilder.forTarget(target).usePlaintext().build();
        System.out.println("CLIENT-READY " + target);
        System.out.flush();
        System.out.println("CHANNEL-1 REPLY " + OnCallStatusApp.callUntilReply(first, 30_000));
        System.out.println("CHANNEL-2 REPLY " + OnCallStatusApp.callUntilReply(second, 30_000));
        List<String> watched = OnCallStatus.awaitNonEmpty("WatchedServices", 10_000);
        for (String line : watched == null ? List.<String>of() : watched) {
            System.out.println("WATCHED " + line);
        }
        System.out.println("CALLS-DONE");
        System.out.flush();

        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = stdin.readLine(); line != null && !line.trim().equals("stop"); line = stdin.readLine()) {
            // wait
        }
        first.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        second.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        System.out.println("CLIENT-DONE");
        System.out.flush();
    }
}
