package org.grpcetcd.agent;

import java.lang.instrument.Instrumentation;

/**
 * The {@code Premain-Class}. It does as little as it can and never throws: whatever fails, the app starts
 * exactly as it would without the agent.
 */
public final class Agent {
    private Agent() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        try {
            AgentStarter.start(arguments, instrumentation);
        } catch (Throwable e) {
            reportFailure(e);
        }
    }

    static void reportFailure(Throwable e) {
        System.err.println("[grpc-etcd-agent] " + java.time.Instant.now() + " ERROR the agent could not start ("
                + e + "); the app runs without it");
    }
}
