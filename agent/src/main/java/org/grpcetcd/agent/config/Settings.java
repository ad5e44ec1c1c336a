package org.grpcetcd.agent.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.grpcetcd.agent.etcd.EtcdAccess;
import org.grpcetcd.agent.log.LogLevel;
import org.grpcetcd.agent.naming.KeyLayout;

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
    private final Map<String, String> metadata;
    private final KeyLayout keyLayout;
    private final boolean defaultScheme;
    private final EtcdAccess.TlsFiles tlsFiles;
    private final String user;
    private final String password; // never printed
    private final Path passwordFile;
    private final long credentialsCheckMillis;
    private final boolean healthGated;

    Settings(List<URI> endpoints, String service, int ttlSeconds, String advertiseAddress, String loadBalancing,
            long drainMillis, long deregisterTimeoutMillis, LogLevel logLevel, Map<String, String> metadata,
            KeyLayout keyLayout, boolean defaultScheme, EtcdAccess.TlsFiles tlsFiles, String user, String password,
            Path passwordFile, long credentialsCheckMillis, boolean healthGated) {
        this.endpoints = List.copyOf(endpoints);
        this.service = service;
        this.ttlSeconds = ttlSeconds;
        this.advertiseAddress = advertiseAddress;
        this.loadBalancing = loadBalancing;
        this.drainMillis = drainMillis;
        this.deregisterTimeoutMillis = deregisterTimeoutMillis;
        this.logLevel = logLevel;
        this.metadata = Collections.unmodifiableMap(new TreeMap<>(metadata));
        this.keyLayout = keyLayout;
        this.defaultScheme = defaultScheme;
        this.tlsFiles = tlsFiles;
        this.user = user;
        this.password = password;
        this.passwordFile = passwordFile;
        this.credentialsCheckMillis = credentialsCheckMillis;
        this.healthGated = healthGated;
    }

    /** Whether servers leave etcd while their health service says NOT_SERVING. */
    public boolean healthGated() {
        return healthGated;
    }

    /** How the agent reaches etcd: endpoints, TLS files, user and password. */
    public EtcdAccess etcdAccess() {
        return new EtcdAccess(endpoints, tlsFiles, user, password, passwordFile);
    }

    /** The TLS files, as configured (paths only). */
    public EtcdAccess.TlsFiles tlsFiles() {
        return tlsFiles;
    }

    /** How often the agent looks for new content in the TLS files and the password file. */
    public Duration credentialsCheck() {
        return Duration.ofMillis(credentialsCheckMillis);
    }

    /** Metadata for the values this JVM registers; empty keeps Go's {@code "Metadata":null}. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** How registrations are written in etcd. */
    public KeyLayout keyLayout() {
        return keyLayout;
    }

    /** Whether targets without a scheme resolve through etcd. */
    public boolean defaultScheme() {
        return defaultScheme;
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
        return "endpoints=" + endpoints + " service=" + (service == null ? "(each gRPC service)" : service)
                + (metadata.isEmpty() ? "" : " metadata=" + metadata)
                + (keyLayout == KeyLayout.ETCD ? "" : " key-format=" + keyLayout.settingValue())
                + (defaultScheme ? " default-scheme=true" : "")
                + (healthGated ? " health-gated=true" : "")
                + tlsFiles.describe()
                + (user == null ? "" : " user=" + user + " password=" + (password == null ? "(none)" : "****"))
                + " ttl=" + ttlSeconds + "s"
                + (advertiseAddress == null ? "" : " advertise-address=" + advertiseAddress)
                + " load-balancing=" + loadBalancing + " drain=" + drainMillis + "ms"
                + " deregister-timeout=" + deregisterTimeoutMillis + "ms log-level="
                + logLevel.name().toLowerCase(java.util.Locale.ROOT);
    }
}
