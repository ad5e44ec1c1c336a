package org.grpcetcd.agent.instrument;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import org.grpcetcd.agent.log.AgentLog;

/**
 * Looks at each class name as it loads and rewrites only the two gRPC classes the agent hooks. A string
 * comparison per class is all the app's start-up pays; no bytecode library runs until gRPC itself loads.
 */
public final class GrpcTransformer implements ClassFileTransformer {
    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain, byte[] classFile) {
        if (className == null || classBeingRedefined != null || !className.startsWith("io/grpc/")
                || !GrpcClassRewriter.handles(className)) {
            return null;
        }
        try {
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
