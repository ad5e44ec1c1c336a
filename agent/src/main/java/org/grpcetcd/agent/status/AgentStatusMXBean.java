package org.grpcetcd.agent.status;

import java.util.List;

/**
 * The agent's state for jconsole, VisualVM or {@code jcmd}, as {@code org.grpcetcd.agent:type=GrpcEtcdAgent}:
 * what this JVM registered and what it watches, without access to etcd.
 */
public interface AgentStatusMXBean {
    String getVersion();

    List<String> getEndpoints();

    /** One line per registered key: key, lease, time of the last successful keep-alive. */
    List<String> getRegistrations();

    /** One line per watched service: service, endpoints known, time of the last change. */
    List<String> getWatchedServices();
}
