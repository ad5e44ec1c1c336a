package org.grpcetcd.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Diagnostic flags of the bench apps: {@code --prewarm-jmx} loads the platform MBean server and
 * {@code --prewarm-http} builds a JDK HttpClient, in the app, before it touches gRPC. Comparing a run with and
 * without them shows how much of the agent's latency is loading those two parts of the JDK.
 */
final class Prewarm {
    private Prewarm() {
    }

    /** Applies the flags found in {@code args} and returns the other arguments. */
    static String[] apply(String[] args) {
        List<String> rest = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--prewarm-jmx")) {
                java.lang.management.ManagementFactory.getPlatformMBeanServer();
            } else if (arg.equals("--prewarm-http")) {
                java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
            } else {
                rest.add(arg);
            }
        }
        return rest.toArray(new String[0]);
    }
}
