package org.grpcetcd.agent.registry;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.grpcetcd.agent.reflect.PublicMethods;

/**
 * Reads what the agent needs from the app's {@code io.grpc.Server}, by reflection: the agent is compiled
 * against no gRPC, and the app's may be any version.
 */
final class GrpcServerView {
    private GrpcServerView() {
    }

    /** The server's bound TCP addresses; in-process and other non-IP addresses are left out. */
    static List<InetSocketAddress> listenAddresses(Object server) throws ReflectiveOperationException {
        Object sockets = PublicMethods.of(server.getClass(), "getListenSockets").invoke(server);
        List<InetSocketAddress> addresses = new ArrayList<>();
        if (sockets instanceof List) {
            for (Object socket : (List<?>) sockets) {
                if (socket instanceof InetSocketAddress) {
                    addresses.add((InetSocketAddress) socket);
                }
            }
        }
        return addresses;
    }

    /** The names of the gRPC services the server exposes, as in {@code helloworld.Greeter}. */
    static List<String> serviceNames(Object server) throws ReflectiveOperationException {
        List<String> names = new ArrayList<>();
        Object services = PublicMethods.of(server.getClass(), "getServices").invoke(server);
        if (services instanceof List) {
            for (Object definition : (List<?>) services) {
                Object descriptor = PublicMethods.of(definition.getClass(), "getServiceDescriptor").invoke(definition);
                names.add(String.valueOf(PublicMethods.of(descriptor.getClass(), "getName").invoke(descriptor)));
            }
        }
        return names;
    }
}
