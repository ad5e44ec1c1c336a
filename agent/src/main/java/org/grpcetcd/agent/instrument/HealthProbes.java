package org.grpcetcd.agent.instrument;

import java.net.InetSocketAddress;
import org.grpcetcd.agent.bootstrap.ServingStatusProbe;

/** Makes health probes that run on the app's own gRPC, defined in the class loader of the server they probe. */
public final class HealthProbes {
    static final String PROBE_CLASS = "org.grpcetcd.agent.grpc.GrpcHealthProbe";

    private final HelperInjector injector;

    public HealthProbes(HelperInjector injector) {
        this.injector = injector;
    }

    /** A probe of the server listening on {@code address}; a wildcard bind is probed over loopback. */
    public ServingStatusProbe probe(Object server, InetSocketAddress address) throws Exception {
        ClassLoader loader = server.getClass().getClassLoader();
        Class<?> probeClass = injector.inject(loader, PROBE_CLASS);
        String host = address.getAddress() == null || address.getAddress().isAnyLocalAddress()
                ? "localhost" : address.getAddress().getHostAddress();
        return (ServingStatusProbe) probeClass.getConstructor(String.class, Integer.class)
                .newInstance(host, address.getPort());
    }
}
