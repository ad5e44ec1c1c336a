package org.grpcetcd.agent.instrument;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import org.grpcetcd.agent.bootstrap.GrpcHooks;
import org.grpcetcd.agent.log.AgentLog;

/**
 * Looks at each class name as it loads and rewrites only the two gRPC classes the agent hooks. A string
 * comparison per class is all the app's start-up pays; no bytecode library runs until gRPC itself loads.
 */
public final class GrpcTransformer implements ClassFileTransformer {
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

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain, byte[] classFile) {
        if (className == null || classBeingRedefined != null || !className.startsWith("io/grpc/")
                || !GrpcClassRewriter.handles(className)) {
            return null;
        }
        try {
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
