package org.grpcetcd.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.util.TreeSet;

/** What a bench app reports on {@code stats}: heap used after full GCs, metaspace, live threads and their names. */
final class AppStats {
    private AppStats() {
    }

    static String line() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long metaspace = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getName().equals("Metaspace")) {
                metaspace = pool.getUsage().getUsed();
            }
        }
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        TreeSet<String> names = new TreeSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            names.add(thread.getName());
        }
        return "STATS heapUsed=" + heap + " metaspace=" + metaspace + " threads=" + threads + " names="
                + String.join("|", names);
    }
}
