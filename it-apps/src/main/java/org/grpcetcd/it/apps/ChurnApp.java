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
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A plain gRPC app with no etcd code that, in one JVM, {@code cycles} times: starts a server on 127.0.0.1:0, builds
 * a channel on {@code target} (such as {@code etcd:///churn}), makes one call with a short deadline, then shuts
 * both down with {@code shutdownNow()}. It prints its live thread count and heap used after a full GC at cycle
 * {@code reportAt} and at the end, so a leak per cycle shows up as growth between the two.
 *
 * <p>Arguments: {@code <cycles> <target> [deadlineMs=1000] [reportAt=100]}. Prints {@code CHURN-READY},
 * {@code AT cycle=<n> threads=<count> heap=<bytes>} (and {@code THREADS cycle=<n> <names>}) twice, at most 10
 * {@code CALL-FAILED cycle=<n> <code> <description>} lines, and {@code CHURN-DONE cycles=<n> ok=<n> failed=<n>
 * ms=<n>}; then waits for the line {@code exit} (or the end of stdin) before it returns.
 */
public final class ChurnApp {
    private static final int MAX_FAILURE_LINES = 10;

    private ChurnApp() {
    }

    public static void main(String[] args) throws Exception {
        int cycles = Integer.parseInt(args[0]);
        String target = args[1];
        long deadlineMs = args.length > 2 ? Long.parseLong(args[2]) : 1000;
        int reportAt = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        System.out.println("CHURN-READY " + target);
        System.out.flush();
        long begin = System.nanoTime();
        int ok = 0;
        int failed = 0;
        for (int cycle = 1; cycle <= cycles; cycle++) {
            String name = "churn-" + cycle;
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
            ManagedChannel channel = ManagedChannelBuilder.forTarget(target).usePlaintext().build();
            try {
                String reply = ClientCalls.blockingUnaryCall(channel, Echo.SAY,
                        CallOptions.DEFAULT.withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS), "hi");
                if (name.equals(reply)) {
                    ok++;
                } else {
                    failed++;
                    if (failed <= MAX_FAILURE_LINES) {
                        System.out.println("CALL-FAILED cycle=" + cycle + " WRONG-SERVER " + reply);
                    }
                }
            } catch (StatusRuntimeException e) {
                failed++;
                if (failed <= MAX_FAILURE_LINES) {
                    System.out.println("CALL-FAILED cycle=" + cycle + " " + e.getStatus().getCode() + " "
                            + e.getStatus().getDescription());
                }
            }
            channel.shutdownNow();
            server.shutdownNow();
            channel.awaitTermination(5, TimeUnit.SECONDS);
            server.awaitTermination(5, TimeUnit.SECONDS);
            if (cycle == reportAt || cycle == cycles) {
                report(cycle);
            }
        }
        System.out.println("CHURN-DONE cycles=" + cycles + " ok=" + ok + " failed=" + failed + " ms="
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
        System.out.flush();
        // stays up, every server and channel shut down, until told to exit: what it still holds can be looked at
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = stdin.readLine(); line != null; line = stdin.readLine()) {
            if (line.trim().equals("exit")) {
                break;
            }
        }
    }

    private static void report(int cycle) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime runtime = Runtime.getRuntime();
        long heap = runtime.totalMemory() - runtime.freeMemory();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<String> names = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            names.add(thread.getName());
        }
        Collections.sort(names);
        System.out.println("AT cycle=" + cycle + " threads=" + threads.getThreadCount() + " heap=" + heap);
        System.out.println("THREADS cycle=" + cycle + " " + names);
        System.out.flush();
    }
}
