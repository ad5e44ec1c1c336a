package org.grpcetcd.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports on 127.0.0.1, for etcd and for endpoints that nothing listens on. They are taken below the
 * kernel's ephemeral range where possible, so that a port reserved now is not handed to some app's
 * {@code bind(0)} or outgoing connection before etcd listens on it.
 */
public final class FreePorts {
    private static final int LOWEST = 10000;

    private FreePorts() {
    }

    /** A port that was free on 127.0.0.1 a moment ago (nothing is left listening on it). */
    public static int next() {
        int ephemeralLow = ephemeralRangeLow();
        if (ephemeralLow - LOWEST > 1000) {
            for (int attempt = 0; attempt < 50; attempt++) {
                int port = ThreadLocalRandom.current().nextInt(LOWEST, ephemeralLow);
                if (bindable(port)) {
                    return port;
                }
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
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

    /** {@code count} distinct ports free on {@code host} (such as 127.0.0.2) and on 127.0.0.1. */
    public static int[] next(String host, int count) {
        for (int attempt = 0; attempt < 20; attempt++) {
            int[] ports = next(count);
            if (Arrays.stream(ports).allMatch(port -> bindable(host, port))) {
                return ports;
            }
        }
        throw new IllegalStateException("no " + count + " free ports on " + host);
    }

    private static boolean bindable(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The low end of Linux's ephemeral port range; 0 where unknown (then any free port is used). */
    private static int ephemeralRangeLow() {
        Path range = Paths.get("/proc/sys/net/ipv4/ip_local_port_range");
        try {
            if (Files.isReadable(range)) {
                return Integer.parseInt(Files.readAllLines(range, StandardCharsets.US_ASCII).get(0).trim()
                        .split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException e) {
            // unknown: fall back to the kernel's choice
        }
        return 0;
    }
}
