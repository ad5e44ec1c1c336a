package org.grpcetcd.it.apps;

/**
 * An app that never touches gRPC: prints {@code READY} and waits for {@code stop} (or the end of stdin). Shows
 * what the agent does in a JVM where gRPC is never used.
 */
public final class IdleApp {
    private IdleApp() {
    }

    public static void main(String[] args) {
        System.out.println("READY");
        System.out.flush();
        StdinStop.await();
        System.out.println("STOPPED");
    }
}
