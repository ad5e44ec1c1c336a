package org.grpcetcd.bench;

import io.grpc.CallOptions;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A plain gRPC client app with no etcd code; every channel is {@code ManagedChannelBuilder.forTarget(target)
 * .usePlaintext().build()}, whatever the target ({@code etcd:///svc} or {@code 127.0.0.1:port}). Modes:
 * <ul>
 *   <li>{@code first-call <target>}: one call (wait-for-ready, retried for at most 20 s), prints
 *       {@code FIRST-CALL-OK at=<instant>} and exits.</li>
 *   <li>{@code rate <target> <threads> <warmupMs> <measureMs>}: blocking unary calls from {@code threads}
 *       threads; prints {@code RATE calls=<n> seconds=<s> errors=<e> cpuMs=<process CPU time>} for the measuring
 *       window, then exits.</li>
 *   <li>{@code alternate <target1> <target2> <blocks> <blockMs> <warmupMs>}: two channels in one JVM, measured in turns
 *       (see {@link #alternate}).</li>
 *   <li>{@code interactive}: commands on stdin, one per line: {@code open <target>} (builds a channel and asks
 *       it to connect: {@code OPEN <target> at=<instant>} is printed just before), {@code call <target>},
 *       {@code ready <target>} (waits up to 20 s for READY), {@code many <target-format> <n>} (n channels on
 *       {@code String.format(format, i)}, each asked to connect, then waits up to 60 s for all READY),
 *       {@code stats}, {@code stop}.</li>
 * </ul>
 * Every mode exits by itself after 20 minutes. {@code --prewarm-jmx} anywhere in the
 * arguments are diagnostics (see {@link Prewarm}).
 */
public final class BenchClient {
    private static final Map<String, ManagedChannel> CHANNELS = new LinkedHashMap<>();
    private static final List<ManagedChannel> MANY = new ArrayList<>();

    private BenchClient() {
    }

    public static void main(String[] args) throws Exception {
        Lifetime.limit(20);
        System.out.println("MAIN at=" + Instant.now());
        args = Prewarm.apply(args);
        switch (args[0]) {
            case "first-call":
                firstCall(args[1]);
                break;
            case "rate":
                rate(args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]), Long.parseLong(args[4]));
                break;
            case "alternate":
                alternate(args[1], args[2], Integer.parseInt(args[3]), Long.parseLong(args[4]),
                        Long.parseLong(args[5]));
                break;
            case "interactive":
                interactive();
                break;
            default:
                throw new IllegalArgumentException("unknown mode " + args[0]);
        }
        System.out.flush();
        System.exit(0);
    }

    private static ManagedChannel build(String target) {
        return ManagedChannelBuilder.forTarget(target).usePlaintext().build();
    }

    private static String call(ManagedChannel channel, long deadlineMs) {
        return ClientCalls.blockingUnaryCall(channel, Echo.SAY,
                CallOptions.DEFAULT.withWaitForReady().withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS), "hi");
    }

    private static void firstCall(String target) {
        ManagedChannel channel = build(target);
        System.out.println("BUILT at=" + Instant.now());
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                call(channel, 10_000);
                System.out.println("FIRST-CALL-OK at=" + Instant.now());
                System.out.flush();
                System.out.println("CPU ms=" + ProcessHandle.current().info().totalCpuDuration()
                        .map(java.time.Duration::toMillis).orElse(-1L));
                break;
            } catch (StatusRuntimeException e) {
                System.out.println("CALL-ERROR " + e.getStatus());
                if (System.nanoTime() > end) {
                    System.out.println("FIRST-CALL-FAILED");
                    break;
                }
            }
        }
        System.out.flush();
        channel.shutdownNow();
    }

    private static void rate(String target, int threads, long warmupMs, long measureMs) throws Exception {
        ManagedChannel channel = build(target);
        call(channel, 20_000); // connected before the clock starts
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(warmupMs);
        long end = start + TimeUnit.MILLISECONDS.toNanos(measureMs);
        AtomicLong calls = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                long mine = 0;
                long myErrors = 0;
                while (true) {
                    long now = System.nanoTime();
                    if (now >= end) {
                        break;
                    }
                    try {
                        call(channel, 5_000);
                        if (now >= start && System.nanoTime() <= end) {
                            mine++;
                        }
                    } catch (StatusRuntimeException e) {
                        myErrors++;
                    }
                }
                calls.addAndGet(mine);
                errors.addAndGet(myErrors);
            }, "caller-" + t);
            worker.start();
            workers.add(worker);
        }
        Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(start - System.nanoTime())));
        long cpuStart = os.getProcessCpuTime();
        Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
        long cpuEnd = os.getProcessCpuTime();
        for (Thread worker : workers) {
            worker.join();
        }
        System.out.println("RATE calls=" + calls.get() + " seconds=" + (measureMs / 1000.0) + " errors="
                + errors.get() + " cpuMs=" + TimeUnit.NANOSECONDS.toMillis(cpuEnd - cpuStart));
        channel.shutdownNow();
    }

    /**
     * One JVM, two channels to compare. After {@code warmupMs} of calls on each (the JIT settles), {@code blocks}
     * rounds of {@code blockMs} of blocking calls (2 threads) on each channel, in the order first-second, then
     * second-first, and so on, so a drift of the JVM's speed over the run falls on both alike. Prints
     * {@code BLOCK <0|1> <target> calls=<n> cpuMs=<m>} per block (0: the first target). Whatever is loaded in the
     * JVM (the agent or not) is the same for both channels.
     */
    private static void alternate(String first, String second, int blocks, long blockMs, long warmupMs)
            throws Exception {
        ManagedChannel[] channels = {build(first), build(second)};
        String[] targets = {first, second};
        call(channels[0], 20_000);
        call(channels[1], 20_000);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        callFor(channels[0], warmupMs);
        callFor(channels[1], warmupMs);
        for (int round = 0; round < blocks; round++) {
            for (int turn = 0; turn < 2; turn++) {
                int k = round % 2 == 0 ? turn : 1 - turn;
                long cpuStart = os.getProcessCpuTime();
                long calls = callFor(channels[k], blockMs);
                long cpu = os.getProcessCpuTime() - cpuStart;
                System.out.println("BLOCK " + k + " " + targets[k] + " calls=" + calls + " cpuMs="
                        + TimeUnit.NANOSECONDS.toMillis(cpu));
            }
        }
        channels[0].shutdownNow();
        channels[1].shutdownNow();
    }

    /** Blocking calls from 2 threads for {@code millis}; returns how many completed. */
    private static long callFor(ManagedChannel channel, long millis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        AtomicLong calls = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Thread worker = new Thread(() -> {
                long mine = 0;
                while (System.nanoTime() < end) {
                    call(channel, 5_000);
                    mine++;
                }
                calls.addAndGet(mine);
            });
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return calls.get();
    }

    private static void interactive() throws Exception {
        System.out.println("CLIENT-READY");
        System.out.flush();
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = stdin.readLine(); line != null; line = stdin.readLine()) {
            String[] words = line.trim().split("\\s+");
            switch (words[0]) {
                case "open": {
                    System.out.println("BUILD " + words[1] + " at=" + Instant.now());
                    ManagedChannel channel = build(words[1]);
                    CHANNELS.put(words[1], channel);
                    System.out.println("OPEN " + words[1] + " at=" + Instant.now());
                    channel.getState(true);
                    break;
                }
                case "call":
                    try {
                        call(CHANNELS.get(words[1]), 20_000);
                        System.out.println("CALL-OK " + words[1] + " at=" + Instant.now());
                    } catch (StatusRuntimeException e) {
                        System.out.println("CALL-ERROR " + words[1] + " " + e.getStatus());
                    }
                    break;
                case "ready":
                    System.out.println("STATE " + words[1] + " " + awaitReady(List.of(CHANNELS.get(words[1])), 20));
                    break;
                case "many": {
                    int n = Integer.parseInt(words[2]);
                    for (int i = 0; i < n; i++) {
                        ManagedChannel channel = build(String.format(words[1], i));
                        MANY.add(channel);
                        channel.getState(true);
                    }
                    System.out.println("MANY-OPEN n=" + n + " ready=" + awaitReady(MANY, 60) + " at=" + Instant.now());
                    break;
                }
                case "stats":
                    System.out.println(AppStats.line());
                    break;
                case "stop":
                    return;
                default:
                    System.out.println("UNKNOWN " + line);
            }
            System.out.flush();
        }
    }

    /** Waits (bounded) until every channel is READY; returns how many are. */
    private static int awaitReady(List<ManagedChannel> channels, int seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            int ready = 0;
            for (ManagedChannel channel : channels) {
                if (channel.getState(true) == ConnectivityState.READY) {
                    ready++;
                }
            }
            if (ready == channels.size() || System.nanoTime() > end) {
                return ready;
            }
            Thread.sleep(20);
        }
    }
}
