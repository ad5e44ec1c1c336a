package org.grpcetcd.agent.status;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.Supplier;
import javax.management.ObjectName;
import org.grpcetcd.agent.log.AgentLog;

/** Publishes {@link AgentStatusMXBean}; the lists come from registration and discovery, read when asked. */
public final class AgentStatus implements AgentStatusMXBean {
    public static final String OBJECT_NAME = "org.grpcetcd.agent:type=GrpcEtcdAgent";

    private final String version;
    private final List<String> endpoints;
    private final Supplier<List<String>> registrations;
    private final Supplier<List<String>> watchedServices;

    public AgentStatus(String version, List<String> endpoints, Supplier<List<String>> registrations,
            Supplier<List<String>> watchedServices) {
        this.version = version;
        this.endpoints = List.copyOf(endpoints);
        this.registrations = registrations;
        this.watchedServices = watchedServices;
    }

    /**
     * Registers with the platform MBean server. Called on the agent's thread once gRPC is in use, never from
     * premain: the platform server starts java.util.logging, which must stay the app's to configure first.
     */
    public void publish() {
        try {
            ManagementFactory.getPlatformMBeanServer().registerMBean(this, new ObjectName(OBJECT_NAME));
        } catch (Exception | LinkageError e) {
            AgentLog.warn("could not publish the agent's status over JMX (" + AgentLog.describe(e) + ")");
        }
    }

    @Override
    public String getVersion() {
        return version;
    }

    @Override
    public List<String> getEndpoints() {
        return endpoints;
    }

    @Override
    public List<String> getRegistrations() {
        return registrations.get();
    }

    @Override
    public List<String> getWatchedServices() {
        return watchedServices.get();
    }
}
