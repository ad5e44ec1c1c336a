package org.grpcetcd.it.apps;

import io.grpc.ServerBuilder;
import java.net.SocketAddress;

/**
 * A server builder bound to a given address on whichever Netty transport the class path has, shaded
 * (grpc-netty-shaded) or not (grpc-netty), so one app runs on both.
 */
final class NettyBuilders {
    private static final String[] BUILDERS = {
        "io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder", "io.grpc.netty.NettyServerBuilder"};

    private NettyBuilders() {
    }

    static ServerBuilder<?> forAddress(SocketAddress address) throws ReflectiveOperationException {
        for (String name : BUILDERS) {
            try {
                Class<?> builder = Class.forName(name);
                return (ServerBuilder<?>) builder.getMethod("forAddress", SocketAddress.class).invoke(null, address);
            } catch (ClassNotFoundException absent) {
                // try the other transport
            }
        }
        throw new IllegalStateException("neither grpc-netty-shaded nor grpc-netty is on the class path");
    }
}
