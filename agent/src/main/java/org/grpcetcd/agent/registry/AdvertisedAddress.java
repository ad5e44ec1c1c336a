package org.grpcetcd.agent.registry;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The {@code host:port} other machines dial to reach a bound socket: the configured advertise address if there
 * is one; for a wildcard bind (0.0.0.0, ::) this host's first non-loopback address, IPv4 first; otherwise the
 * address the socket is bound to.
 */
final class AdvertisedAddress {
    private final Optional<String> configuredHost;
    private String wildcardHost; // looked up once, on first need

    AdvertisedAddress(Optional<String> configuredHost) {
        this.configuredHost = configuredHost;
    }

    synchronized String of(InetSocketAddress bound) {
        String host;
        if (configuredHost.isPresent()) {
            host = configuredHost.get();
        } else if (bound.getAddress() != null && bound.getAddress().isAnyLocalAddress()) {
            if (wildcardHost == null) {
                wildcardHost = routableHost(localAddresses());
            }
            host = wildcardHost;
        } else {
            host = bound.getAddress() == null ? bound.getHostString() : bound.getAddress().getHostAddress();
        }
        return join(host, bound.getPort());
    }

    /** {@code host:port}, with brackets around an IPv6 host, as Go's net.JoinHostPort writes it. */
    static String join(String host, int port) {
        String bare = host.contains("%") ? host.substring(0, host.indexOf('%')) : host;
        return bare.indexOf(':') >= 0 ? "[" + bare + "]:" + port : bare + ":" + port;
    }

    /** The first usable address of this host, IPv4 before IPv6, loopback only when there is nothing else. */
    static String routableHost(List<InetAddress> candidates) {
        InetAddress best = null;
        for (InetAddress address : candidates) {
            if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isAnyLocalAddress()) {
                continue;
            }
            if (address instanceof Inet4Address) {
                return address.getHostAddress();
            }
            if (best == null) {
                best = address;
            }
        }
        return best != null ? best.getHostAddress() : InetAddress.getLoopbackAddress().getHostAddress();
    }

    private static List<InetAddress> localAddresses() {
        List<InetAddress> addresses = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nic.isUp()) {
                    addresses.addAll(Collections.list(nic.getInetAddresses()));
                }
            }
        } catch (SocketException | RuntimeException e) {
            // fall through to what is left: the loopback address
        }
        return addresses;
    }
}
