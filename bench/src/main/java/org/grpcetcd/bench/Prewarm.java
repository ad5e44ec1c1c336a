package org.grpcetcd.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Diagnostic flag of the bench apps: {@code --prewarm-jmx} loads the platform MBean server in the app before it
 * touches gRPC. Comparing a run with and without it shows how much of the agent's latency is loading JMX.
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
            } else {
                rest.add(arg);
            }
        }
        return rest.toArray(new String[0]);
    }
}
