package org.grpcetcd.agent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.grpcetcd.agent.bootstrap.EndpointListener;
import org.grpcetcd.agent.bootstrap.GrpcEvents;
import org.grpcetcd.agent.bootstrap.ResolverBackend;
import org.grpcetcd.agent.bootstrap.Subscription;
import org.grpcetcd.agent.config.Settings;
import org.grpcetcd.agent.discovery.ServiceWatches;
import org.grpcetcd.agent.etcd.CredentialRotation;
import org.grpcetcd.agent.etcd.EtcdClient;
import org.grpcetcd.agent.instrument.HealthProbes;
import org.grpcetcd.agent.instrument.HelperInjector;
import org.grpcetcd.agent.instrument.ResolverInstaller;
import org.grpcetcd.agent.log.AgentLog;
import org.grpcetcd.agent.naming.KeyLayout;
import org.grpcetcd.agent.registry.HealthGate;
import org.grpcetcd.agent.registry.ServerRegistrations;
import org.grpcetcd.agent.status.AgentStatus;
import org.grpcetcd.agent.thread.AgentThreads;

/**
 * Where the app's gRPC events arrive and are handed to registration or discovery. The threads and the etcd
 * client are made on the first event that needs them.
 */
final class AgentRuntime implements GrpcEvents, ResolverBackend {
    static final List<String> SCHEMES = schemesOfAllLayouts();

    private final Settings settings;
    private final ResolverInstaller resolverInstaller;
    private final Set<String> warned = Collections.synchronizedSet(new HashSet<>());
    private volatile Core core;

    private final HelperInjector helpers;

    AgentRuntime(Settings settings, HelperInjector helpers, ResolverInstaller resolverInstaller) {
        this.settings = settings;
        this.helpers = helpers;
        this.resolverInstaller = resolverInstaller;
    }

    @Override
    public void serverStarted(Object server) {
        try {
            Core started = core();
            started.registrations.serverStarted(server);
            if (started.healthGate != null) {
                started.healthGate.serverStarted(server);
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            warnOnce("could not read the addresses of a started gRPC server (" + AgentLog.describe(e)
                    + "); it is not registered in etcd");
        }
    }

    @Override
    public void serverStopping(Object server) {
        Core started = core;
        if (started != null) {
            started.registrations.serverStopping(server);
        }
    }

    @Override
    public void defaultRegistry(Object registry) {
        // no etcd client warm-up here: the JVM may never dial etcd:///, and building the HTTP client costs ~150 ms of
        // CPU that an app's own start-up on few cores would feel (first call to a fixed address: +174 ms with it)
        resolverInstaller.install(registry);
    }

    @Override
    public List<String> schemes() {
        return SCHEMES;
    }

    @Override
    public boolean etcdIsDefaultScheme() {
        return settings.defaultScheme();
    }

    @Override
    public Subscription subscribe(String scheme, String service, EndpointListener listener) {
        return core().watches.subscribe(service, KeyLayout.forScheme(scheme).prefix(service), listener);
    }

    /** The keys a started server is registered under (in etcd or on their way), for the attach report. */
    Set<String> keysOf(Object server) {
        return built().registrations.keysOf(server);
    }

    /** The keys in etcd now, for the attach report. */
    Set<String> keysInEtcd() {
        return built().registrations.keysInEtcd();
    }

    /** One line per key in etcd: key, lease, last keep-alive (as the status MXBean shows them). */
    List<String> registrationStatus() {
        return built().registrations.status();
    }

    private static List<String> schemesOfAllLayouts() {
        List<String> schemes = new ArrayList<>();
        for (KeyLayout layout : KeyLayout.values()) {
            schemes.add(layout.scheme());
        }
        return List.copyOf(schemes);
    }

    @Override
    public String loadBalancingPolicy() {
        return settings.loadBalancing();
    }

    @Override
    public void warn(String message) {
        warnOnce(message);
    }

    private void warnOnce(String message) {
        if (warned.add(message)) {
            AgentLog.warn(message);
        }
    }

    /**
     * Builds the registration and discovery parts ahead of use, on the agent's start-up thread: loading their
     * classes would otherwise happen inside the app's first {@code start()} or channel. Starts no thread.
     */
    void prepare() {
        built();
    }

    /** The core, for an event that uses it: the first such event also publishes the MBean and the shutdown hook. */
    private Core core() {
        Core current = built();
        current.inUse();
        return current;
    }

    private Core built() {
        Core current = core;
        if (current == null) {
            synchronized (this) {
                current = core;
                if (current == null) {
                    current = new Core(settings, helpers);
                    core = current;
                }
            }
        }
        return current;
    }

    /** The agent's threads, its etcd client and the two things that use them. */
    private static final class Core {
        final ServerRegistrations registrations;
        final ServiceWatches watches;
        final HealthGate healthGate;
        private final AgentThreads threads;
        private final EtcdClient etcd;
        private final AgentStatus status;
        private final Optional<CredentialRotation> rotation;
        private final AtomicBoolean inUse = new AtomicBoolean();

        Core(Settings settings, HelperInjector helpers) {
            threads = new AgentThreads();
            etcd = new EtcdClient(settings.etcdAccess(), threads.etcd());
            rotation = CredentialRotation.of(etcd, settings.credentialsCheck());
            this.watches = new ServiceWatches(etcd, threads.scheduler());
            this.registrations = new ServerRegistrations(etcd, threads.scheduler(), settings);
            this.healthGate = settings.healthGated()
                    ? new HealthGate(registrations, new HealthProbes(helpers), threads.scheduler()) : null;
            this.status = new AgentStatus(AgentVersion.current(), endpointNames(settings),
                    registrations::status, watches::status);
        }

        void inUse() {
            if (inUse.compareAndSet(false, true)) {
                Runtime.getRuntime().addShutdownHook(new Thread(registrations::close, "grpc-etcd-agent-shutdown"));
                // off the app's thread and after the first registration or resolution: loading JMX takes ~100 ms
                threads.scheduler().schedule(status::publish, 2, TimeUnit.SECONDS);
                rotation.ifPresent(credentials -> credentials.start(threads.scheduler()));
            }
        }

        private static List<String> endpointNames(Settings settings) {
            List<String> names = new ArrayList<>();
            settings.endpoints().forEach(endpoint -> names.add(endpoint.toString()));
            return names;
        }
    }
}
