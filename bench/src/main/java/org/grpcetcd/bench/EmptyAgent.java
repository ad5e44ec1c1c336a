package org.grpcetcd.bench;

import java.lang.instrument.Instrumentation;

/**
 * A -javaagent that does nothing (run-bench.sh packs it as bench/target/empty-agent.jar): the start-up row runs it
 * too, to tell what any agent costs the JVM from what grpc-etcd-agent's own premain costs.
 */
public final class EmptyAgent {
    private EmptyAgent() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        // nothing: the cost measured is the JVM's own
    }
}
