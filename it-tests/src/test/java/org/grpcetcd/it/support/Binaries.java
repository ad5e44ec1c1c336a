package org.grpcetcd.it.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds this machine's etcd and etcdctl executables: in the directory given as system property {@code
 * it.etcd.bin.dir} if set, otherwise in {@code /usr/bin} or on the PATH. etcd goes into the tests' default etcd
 * image; etcdctl is the tests' client. A missing binary fails the test with a clear message: these tests never
 * skip.
 */
public final class Binaries {
    private Binaries() {
    }

    public static Path etcd() {
        return find("etcd");
    }

    public static Path etcdctl() {
        return find("etcdctl");
    }

    private static Path find(String name) {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getProperty("it.etcd.bin.dir", "");
        String path = System.getenv("PATH");
        if (!configured.isEmpty()) {
            candidates.add(Paths.get(configured, name)); // configured: that one only
        } else {
            candidates.add(Paths.get("/usr/bin", name));
            for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    candidates.add(Paths.get(dir, name));
                }
            }
        }
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return fail("the " + name + " executable was not found (looked at " + candidates + "). These integration "
                + "tests need a real etcd 3.4+ with etcdctl: install them (e.g. apt-get install etcd-server "
                + "etcd-client) or set -Dit.etcd.bin.dir=<dir holding etcd and etcdctl>");
    }
}
