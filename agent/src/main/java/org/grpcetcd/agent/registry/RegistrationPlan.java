package org.grpcetcd.agent.registry;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grpcetcd.agent.config.Settings;
import org.grpcetcd.agent.log.AgentLog;
import org.grpcetcd.agent.naming.KeyLayout;

/**
 * Which keys a started server gets: one per (service name, bound address). The service name is
 * {@code grpc.etcd.service} when set; otherwise every gRPC service the server exposes, except gRPC's own
 * ({@code grpc.health.v1.Health}, reflection, channelz), so clients can dial {@code etcd:///helloworld.Greeter}
 * with no setting at all.
 */
final class RegistrationPlan {
    private final Settings settings;
    private final KeyLayout layout;
    private final AdvertisedAddress advertised;

    RegistrationPlan(Settings settings) {
        this.settings = settings;
        this.layout = settings.keyLayout();
        this.advertised = new AdvertisedAddress(settings.advertiseAddress());
    }

    /** Key to value, for every key {@code server} should have in etcd; empty when it has nothing to register. */
    Map<String, String> entriesFor(Object server) throws ReflectiveOperationException {
        List<InetSocketAddress> bound = GrpcServerView.listenAddresses(server);
        if (bound.isEmpty()) {
            AgentLog.info("a gRPC server started with no TCP address (in-process?); nothing to register");
            return Map.of();
        }
        List<String> names = serviceNames(server);
        if (names.isEmpty()) {
            AgentLog.warn("a gRPC server on " + bound + " exposes no service of its own and grpc.etcd.service is"
                    + " not set; nothing to register");
            return Map.of();
        }
        Map<String, String> entries = new LinkedHashMap<>();
        for (String name : names) {
            for (InetSocketAddress address : bound) {
                String hostPort = advertised.of(address);
                entries.put(layout.key(name, hostPort), layout.value(hostPort, settings.metadata()));
            }
        }
        return entries;
    }

    private List<String> serviceNames(Object server) throws ReflectiveOperationException {
        if (settings.service().isPresent()) {
            return List.of(settings.service().get());
        }
        List<String> names = new ArrayList<>();
        for (String name : GrpcServerView.serviceNames(server)) {
            if (!name.startsWith("grpc.")) {
                names.add(name);
            }
        }
        return names;
    }
}
