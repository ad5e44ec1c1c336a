package org.grpcetcd.it.apps;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Reads the agent's status MBean of this very JVM through the platform MBean server, as jconsole would: plain JMX,
 * no agent class on the app's side. Shared by the on-call apps.
 */
final class OnCallStatus {
    static final String OBJECT_NAME = "org.grpcetcd.agent:type=GrpcEtcdAgent";

    private OnCallStatus() {
    }

    /** The attribute as a list of lines (a String[] for list attributes), or null while the MBean is absent. */
    static List<String> list(String attribute) throws Exception {
        Object value = get(attribute);
        if (value == null) {
            return null;
        }
        if (value instanceof String[]) {
            return Arrays.asList((String[]) value);
        }
        return Arrays.asList(String.valueOf(value));
    }

    /** The attribute's value, or null while the MBean is not registered. */
    static Object get(String attribute) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            return server.getAttribute(new ObjectName(OBJECT_NAME), attribute);
        } catch (InstanceNotFoundException notYet) {
            return null;
        }
    }

    /** Polls (every 100 ms, up to {@code timeoutMs}) until {@code attribute} is a non-empty list, and returns it. */
    static List<String> awaitNonEmpty(String attribute, long timeoutMs) throws Exception {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (true) {
            List<String> lines = list(attribute);
            if (lines != null && !lines.isEmpty()) {
                return lines;
            }
            if (System.nanoTime() - deadline >= 0) {
                return lines;
            }
            Thread.sleep(100);
        }
    }
}
