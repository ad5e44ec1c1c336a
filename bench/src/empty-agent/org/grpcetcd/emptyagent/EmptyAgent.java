package org.grpcetcd.emptyagent;

import java.lang.instrument.Instrumentation;

/**
 * A -javaagent that does nothing (run-bench.sh compiles and packs it as bench/target/empty-agent.jar): the start-up
 * row runs it too, to tell what any agent costs the JVM from what grpc-etcd-agent's own premain costs. It is kept
 * off the bench apps' class path on purpose: like any agent jar, the JVM finds its class only after looking
 * through every entry of the app's class path, which opens the app's jars before main().
 */
public final class EmptyAgent {
    private EmptyAgent() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        // nothing: the cost measured is the JVM's own
    }
}
