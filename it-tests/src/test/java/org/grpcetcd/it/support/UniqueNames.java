package org.grpcetcd.it.support;

import java.util.concurrent.ThreadLocalRandom;

/** Service names no other test uses, so tests sharing an etcd never see each other's keys. */
public final class UniqueNames {
    private UniqueNames() {
    }

    public static String service(String prefix) {
        return prefix + "-" + Long.toHexString(System.nanoTime() & 0xffffffL) + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000));
    }
}
