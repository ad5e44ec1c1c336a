package org.grpcetcd.agent.instrument;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.grpcetcd.agent.bootstrap.GrpcHooks;
import org.grpcetcd.agent.log.AgentLog;

/**
 * Looks at each class name as it loads and rewrites only the two gRPC classes the agent hooks. A string
 * comparison per class is all the app's start-up pays; no bytecode library runs until gRPC itself loads.
 */
public final class GrpcTransformer implements ClassFileTransformer {
    private static final long START_WAIT_SECONDS = 10;

    private final CountDownLatch agentStarted;

    /** {@code agentStarted}: open once the agent's hooks are installed (or failed to be). */
    public GrpcTransformer(CountDownLatch agentStarted) {
        this.agentStarted = agentStarted;
    }

    /**
     * The hooks live on the system class path, not the boot class path: appending to the boot class path turns
     * class data sharing off for every class but the JDK's, which costs every app start-up time and prints a JVM
     * warning. A loader that does not delegate to the system loader (isolated plugins) cannot reach them.
     */
    private static boolean seesTheAgent(ClassLoader loader) {
        if (loader == null) {
            return false;
        }
        try {
            return Class.forName(GrpcHooks.class.getName(), false, loader) == GrpcHooks.class;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Loads the bytecode library by rewriting a class of the agent's own and throwing the result away: loading
     * and verifying it takes some 15 ms, which would otherwise fall on the app's thread when gRPC's server loads.
     */
    public static void warmUp() {
        try (InputStream classFile = GrpcTransformer.class.getResourceAsStream("GrpcTransformer.class")) {
            if (classFile != null) {
                GrpcClassRewriter.rewrite(GrpcClassRewriter.SERVER_IMPL, classFile.readAllBytes());
            }
        } catch (IOException | RuntimeException e) {
            AgentLog.debug("warming up the class rewriter failed: " + AgentLog.describe(e));
        }
    }

    /**
     * gRPC may load before the agent's start-up thread is done (it takes milliseconds); its hooks must be in place
     * before gRPC's classes can call them. That thread loads only the agent's and the JDK's classes, never the
     * app's, so waiting here while the app's class loader holds a lock cannot deadlock.
     */
    private boolean awaitAgentStarted(String className) {
        try {
            if (agentStarted.await(START_WAIT_SECONDS, TimeUnit.SECONDS)) {
                return true;
            }
            AgentLog.error("the agent had not started " + START_WAIT_SECONDS + " s after launch when gRPC loaded ("
                    + className.replace('/', '.') + "); the app runs without the agent");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain, byte[] classFile) {
        if (className == null || classBeingRedefined != null || !className.startsWith("io/grpc/")
                || !GrpcClassRewriter.handles(className)) {
            return null;
        }
        try {
            if (!awaitAgentStarted(className)) {
                return null;
            }
            if (!seesTheAgent(loader)) {
                AgentLog.warn("gRPC (" + className.replace('/', '.') + ") is loaded by " + loader + ", which cannot"
                        + " see the agent's classes (its parent chain skips the system class loader); the agent"
                        + " leaves this copy of gRPC alone");
                return null;
            }
            byte[] rewritten = GrpcClassRewriter.rewrite(className, classFile);
            if (rewritten == null) {
                AgentLog.warn("found " + className.replace('/', '.') + " without the methods the agent hooks;"
                        + " this gRPC version is not supported, the app runs without the agent");
            }
            return rewritten;
        } catch (Throwable e) {
            AgentLog.error("could not instrument " + className.replace('/', '.') + " (" + AgentLog.describe(e)
                    + "); the app runs without the agent for it");
            return null;
        }
    }
}
