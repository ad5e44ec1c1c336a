package org.grpcetcd.agent.config;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.grpcetcd.agent.log.LogLevel;

/** The agent's validated settings. Built by {@link SettingsLoader}; every value here is usable as is. */
public final class Settings {
    private final List<URI> endpoints;
    private final String service;
    private final int ttlSeconds;
    private final String advertiseAddress;
    private final String loadBalancing;
    private final long drainMillis;
    private final long deregisterTimeoutMillis;
    private final LogLevel logLevel;

    Settings(List<URI> endpoints, String service, int ttlSeconds, String advertiseAddress, String loadBalancing,
            long drainMillis, long deregisterTimeoutMillis, LogLevel logLevel) {
        this.endpoints = List.copyOf(endpoints);
        this.service = service;
        this.ttlSeconds = ttlSeconds;
        this.advertiseAddress = advertiseAddress;
        this.loadBalancing = loadBalancing;
        this.drainMillis = drainMillis;
        this.deregisterTimeoutMillis = deregisterTimeoutMillis;
        this.logLevel = logLevel;
    }

    public List<URI> endpoints() {
        return endpoints;
    }

    /** The service servers register under; empty when servers are not to be registered. */
    public Optional<String> service() {
        return Optional.ofNullable(service);
    }

    public int ttlSeconds() {
        return ttlSeconds;
    }

    public Optional<String> advertiseAddress() {
        return Optional.ofNullable(advertiseAddress);
    }

    public String loadBalancing() {
        return loadBalancing;
    }

    public long drainMillis() {
        return drainMillis;
    }

    public long deregisterTimeoutMillis() {
        return deregisterTimeoutMillis;
    }

    public LogLevel logLevel() {
        return logLevel;
    }

    /** One line for the start-up log: every setting, none of them secret. */
    public String summary() {
        return "endpoints=" + endpoints + " service=" + (service == null ? "(none: not registering)" : service)
                + " ttl=" + ttlSeconds + "s"
                + (advertiseAddress == null ? "" : " advertise-address=" + advertiseAddress)
                + " load-balancing=" + loadBalancing + " drain=" + drainMillis + "ms"
                + " deregister-timeout=" + deregisterTimeoutMillis + "ms log-level="
                + logLevel.name().toLowerCase(java.util.Locale.ROOT);
    }
}
