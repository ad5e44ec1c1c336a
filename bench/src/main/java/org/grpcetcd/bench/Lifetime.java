package org.grpcetcd.bench;

/** Bounds every bench app's life: whatever the orchestrator does, no app outlives this limit. */
final class Lifetime {
    private Lifetime() {
    }

    static void limit(int minutes) {
        Thread reaper = new Thread(() -> {
            try {
                Thread.sleep(minutes * 60_000L);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("bench app: lifetime of " + minutes + " min over, exiting");
            Runtime.getRuntime().halt(3);
        }, "bench-lifetime");
        reaper.setDaemon(true);
        reaper.start();
    }
}
