package org.grpcetcd.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free TCP ports on 127.0.0.1, for etcd and for endpoints that nothing listens on. */
public final class FreePorts {
    private FreePorts() {
    }

    /** A port that was free on 127.0.0.1 a moment ago (nothing is left listening on it). */
    public static int next() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    /** {@code count} distinct free ports. */
    public static int[] next(int count) {
        int[] ports = new int[count];
        for (int i = 0; i < count; i++) {
            int port;
            boolean duplicate;
            do {
                port = next();
                duplicate = false;
                for (int j = 0; j < i; j++) {
                    duplicate |= ports[j] == port;
                }
            } while (duplicate);
            ports[i] = port;
        }
        return ports;
    }
}
