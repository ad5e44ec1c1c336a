package org.grpcetcd.agent;

import java.lang.instrument.Instrumentation;
import org.grpcetcd.agent.attach.AttachReport;

/**
 * The {@code Premain-Class} and {@code Agent-Class}. It does as little as it can and never throws: whatever fails,
 * the app starts (or, attached, runs on) exactly as it would without the agent.
 */
public final class Agent {
    private Agent() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        try {
            if (AttachReport.claim("-javaagent")) {
                AgentStarter.start(arguments, instrumentation);
            } else {
                reportAlreadyThere();
            }
        } catch (Throwable e) {
            reportFailure(e);
        }
    }

    /**
     * Loaded into a running JVM ({@code java -jar grpc-etcd-agent.jar attach <pid>}). The JVM calls this again on
     * every attach of the same jar, with the class already loaded: the second time changes nothing.
     */
    public static void agentmain(String arguments, Instrumentation instrumentation) {
        try {
            if (AttachReport.claim("attached")) {
                AgentStarter.attach(arguments, instrumentation);
            } else {
                reportAlreadyThere();
            }
        } catch (Throwable e) {
            reportFailure(e);
            try {
                new AttachReport().failed("the agent could not start (" + e + "); the app runs without it").publish();
            } catch (Throwable ignored) {
                // the attach command says it heard nothing back, and points at the app's stderr
            }
        }
    }

    private static void reportAlreadyThere() {
        System.err.println("[grpc-etcd-agent] " + java.time.Instant.now() + " WARN the agent is already in this JVM ("
                + System.getProperty(AttachReport.LOADED) + "); loading it again changes nothing");
    }

    static void reportFailure(Throwable e) {
        System.err.println("[grpc-etcd-agent] " + java.time.Instant.now() + " ERROR the agent could not start ("
                + e + "); the app runs without it");
    }
}
