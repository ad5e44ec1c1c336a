package org.grpcetcd.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Counts a process's established TCP connections to a port, from Linux's /proc (no tool needed). */
public final class TcpConnections {
    private static final String ESTABLISHED = "01";

    private TcpConnections() {
    }

    public static int established(long pid, int remotePort) {
        Set<String> sockets = socketInodes(pid);
        int count = 0;
        for (String table : List.of("tcp", "tcp6")) {
            for (String line : lines(Path.of("/proc", Long.toString(pid), "net", table))) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length < 10 || !fields[1].contains(":")) {
                    continue; // the header
                }
                String remote = fields[2];
                int port = Integer.parseInt(remote.substring(remote.lastIndexOf(':') + 1), 16);
                if (port == remotePort && fields[3].equals(ESTABLISHED) && sockets.contains(fields[9])) {
                    count++;
                }
            }
        }
        return count;
    }

    private static Set<String> socketInodes(long pid) {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (NoSuchFileException closedMeanwhile) {
                    // the descriptor was closed while we looked
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the descriptors of process " + pid, e);
        }
        return inodes;
    }

    private static List<String> lines(Path table) {
        try {
            return Files.readAllLines(table);
        } catch (NoSuchFileException noIpv6) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + table, e);
        }
    }
}
