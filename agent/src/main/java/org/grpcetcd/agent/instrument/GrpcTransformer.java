package org.grpcetcd.agent.instrument;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import org.grpcetcd.agent.bootstrap.GrpcHooks;
import org.grpcetcd.agent.log.AgentLog;
import org.grpcetcd.agent.log.LogLevel;

/**
 * Looks at each class name as it loads and weaves the hooks into the two gRPC classes the agent hooks. A string
 * comparison per class is all the app's start-up pays; ByteBuddy is not even loaded until gRPC itself loads.
 */
public final class GrpcTransformer implements ClassFileTransformer {
    private HookWeaver weaver; // guarded by this; made when the first hooked class appears
    private final List<LogLevel> heldLevels = new ArrayList<>(); // guarded by this, like the two below
    private final List<String> heldMessages = new ArrayList<>();
    private boolean settingsRead;

    /**
     * The agent has read its settings (or failed to): prints the lines held back until then, which gRPC classes
     * loading before that produced, so that they obey the log level that was set.
     */
    public void settingsRead() {
        List<LogLevel> levels;
        List<String> messages;
        synchronized (this) {
            settingsRead = true;
            levels = new ArrayList<>(heldLevels);
            messages = new ArrayList<>(heldMessages);
            heldLevels.clear();
            heldMessages.clear();
        }
        for (int i = 0; i < levels.size(); i++) {
            AgentLog.log(levels.get(i), messages.get(i));
        }
    }

    private void log(LogLevel level, String message) {
        synchronized (this) {
            if (!settingsRead) {
                heldLevels.add(level);
                heldMessages.add(message);
                return;
            }
        }
        AgentLog.log(level, message);
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

    private synchronized HookWeaver weaver() {
        if (weaver == null) {
            weaver = new HookWeaver();
        }
        return weaver;
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain, byte[] classFile) {
        if (className == null || classBeingRedefined != null || !HookedGrpcClasses.handles(className)) {
            return null;
        }
        try {
            if (!seesTheAgent(loader)) {
                log(LogLevel.WARN, "gRPC (" + className.replace('/', '.') + ") is loaded by " + loader
                        + ", which cannot see the agent's classes (its parent chain skips the system class loader);"
                        + " the agent leaves this copy of gRPC alone");
                return null;
            }
            byte[] rewritten = weaver().weave(className.replace('/', '.'), loader, classFile);
            if (rewritten == null) {
                log(LogLevel.WARN, "found " + className.replace('/', '.') + " without the methods the agent hooks;"
                        + " this gRPC version is not supported, the app runs without the agent");
            }
            return rewritten;
        } catch (Throwable e) {
            log(LogLevel.ERROR, "could not instrument " + className.replace('/', '.') + " ("
                    + AgentLog.describe(e) + "); the app runs without the agent for it");
            return null;
        }
    }
}
