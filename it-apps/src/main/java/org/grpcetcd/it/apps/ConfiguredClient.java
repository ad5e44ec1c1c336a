package org.grpcetcd.it.apps;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A plain gRPC client whose channel makes its own choices, as real apps do: a default service config, a default
 * load-balancing policy, waitForReady calls. Calls {@code Say} like {@link EchoClient}, printing
 * {@code REPLY <server>} or {@code ERROR <code> <description> after <ms> ms} per call, until {@code stop} arrives
 * on stdin or the calls are done.
 *
 * <p>Arguments: {@code <target>} followed by any of
 * <ul>
 *   <li>{@code --config none|retry|health|pick-first}: the channel's {@code defaultServiceConfig}: none; a retry
 *       policy for {@code echo.Echo} (4 attempts on UNAVAILABLE, with {@code enableRetry()}); client-side health
 *       checking with round_robin; {@code pick_first} as loadBalancingConfig</li>
 *   <li>{@code --policy <name>}: {@code defaultLoadBalancingPolicy(name)}</li>
 *   <li>{@code --wait-for-ready}: calls wait for the channel to be ready instead of failing fast</li>
 *   <li>{@code --calls N} (unbounded), {@code --interval-ms N} (50), {@code --deadline-ms N} (5000)</li>
 * </ul>
 */
public final class ConfiguredClient {
    private ConfiguredClient() {
    }

    public static void main(String[] args) throws Exception {
        String target = args[0];
        String config = "none";
        String policy = null;
        boolean waitForReady = false;
        long calls = Long.MAX_VALUE;
        long intervalMs = 50;
        long deadlineMs = 5000;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--config": config = args[++i]; break;
                case "--policy": policy = args[++i]; break;
                case "--wait-for-ready": waitForReady = true; break;
                case "--calls": calls = Long.parseLong(args[++i]); break;
                case "--interval-ms": intervalMs = Long.parseLong(args[++i]); break;
                case "--deadline-ms": deadlineMs = Long.parseLong(args[++i]); break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        ManagedChannelBuilder<?> builder = ManagedChannelBuilder.forTarget(target).usePlaintext();
        Map<String, ?> serviceConfig = serviceConfig(config);
        if (serviceConfig != null) {
            builder.defaultServiceConfig(serviceConfig);
        }
        if (config.equals("retry")) {
            builder.enableRetry(); // off by default before gRPC 1.40
        }
        if (policy != null) {
            builder.defaultLoadBalancingPolicy(policy);
        }
        ManagedChannel channel = builder.build();
        StdinStop.then(channel::shutdownNow);
        System.out.println("CLIENT-READY " + target + " config=" + config + " policy=" + policy);
        System.out.flush();
        for (long i = 0; i < calls && !channel.isShutdown(); i++) {
            CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS);
            if (waitForReady) {
                options = options.withWaitForReady();
            }
            long begin = System.nanoTime();
            try {
                System.out.println("REPLY " + ClientCalls.blockingUnaryCall(channel, Echo.SAY, options, "hi"));
            } catch (StatusRuntimeException e) {
                if (channel.isShutdown()) {
                    break;
                }
                System.out.println("ERROR " + e.getStatus().getCode() + " " + e.getStatus().getDescription()
                        + " after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin) + " ms");
            }
            System.out.flush();
            Thread.sleep(intervalMs);
        }
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        System.out.println("CLIENT-DONE");
        System.out.flush();
    }

    /** gRPC reads service configs as parsed JSON: maps, lists, strings, and every number a Double. */
    private static Map<String, ?> serviceConfig(String name) {
        switch (name) {
            case "none":
                return null;
            case "retry":
                Map<String, Object> retryPolicy = new HashMap<>();
                retryPolicy.put("maxAttempts", 4.0);
                retryPolicy.put("initialBackoff", "0.1s");
                retryPolicy.put("maxBackoff", "0.5s");
                retryPolicy.put("backoffMultiplier", 2.0);
                retryPolicy.put("retryableStatusCodes", List.of("UNAVAILABLE"));
                Map<String, Object> methodConfig = new HashMap<>();
                methodConfig.put("name", List.of(Collections.singletonMap("service", "echo.Echo")));
                methodConfig.put("retryPolicy", retryPolicy);
                return Collections.singletonMap("methodConfig", List.of(methodConfig));
            case "health":
                Map<String, Object> health = new HashMap<>();
                health.put("healthCheckConfig", Collections.singletonMap("serviceName", ""));
                health.put("loadBalancingConfig", List.of(Collections.singletonMap("round_robin", Map.of())));
                return health;
            case "pick-first":
                return Collections.singletonMap("loadBalancingConfig",
                        List.of(Collections.singletonMap("pick_first", Map.of())));
            default:
                throw new IllegalArgumentException("unknown --config " + name);
        }
    }
}
