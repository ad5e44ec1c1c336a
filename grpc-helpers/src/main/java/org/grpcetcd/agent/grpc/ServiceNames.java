package org.grpcetcd.agent.grpc;

import java.net.URI;

/** Reads the service name out of an {@code etcd:///<service>} target. */
final class ServiceNames {
    private ServiceNames() {
    }

    /** {@code etcd:///orders} gives {@code orders}; the authority (an etcd cluster name in Go) is ignored. */
    static String fromTarget(URI target) {
        String path = target.getPath();
        if (path == null) {
            return "";
        }
        int start = 0;
        while (start < path.length() && path.charAt(start) == '/') {
            start++;
        }
        return path.substring(start);
    }
}
