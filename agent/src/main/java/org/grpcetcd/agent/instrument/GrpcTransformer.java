package org.grpcetcd.agent.instrument;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import org.grpcetcd.agent.bootstrap.GrpcHooks;
import org.grpcetcd.agent.log.AgentLog;
import org.grpcetcd.agent.log.LogLevel;

/**
 * Looks at each class name as it loads and hooks only the two gRPC classes the agent needs. A string comparison
 * per class is all the app's start-up pays; ByteBuddy is not even loaded unless a hooked class is one the build did
 * not weave ({@link WovenClasses}).
 * <ul>
 *   <li>{@code NameResolverRegistry} is woven as it loads, on the app's thread: the etcd resolvers must be in
 *       the default registry before any channel looks up a scheme. The weave is prepared on the agent's own
 *       thread as soon as a channel builder loads ({@link PreparedRegistryHooks}).</li>
 *   <li>{@code ServerImpl} loads with the hooks the build wove for its class file ({@link WovenClasses}). Any
 *       other class file loads untouched and is woven by retransformation on the agent's own thread
 *       ({@link DeferredServerHooks}); servers that start before that are found in gRPC's channelz registry.</li>
 * </ul>
 * Added with retransformation on, so the hooks are woven again whenever anyone (this agent or another)
 * retransforms one of these classes.
 */
public final class GrpcTransformer implements ClassFileTransformer {
    private final HeldLog log = new HeldLog();
    private final DeferredServerHooks deferredServerHooks;
    private final WovenClasses wovenClasses = new WovenClasses();
    private final PreparedRegistryHooks preparedRegistryHooks = new PreparedRegistryHooks(wovenClasses);

    GrpcTransformer(Instrumentation instrumentation) {
        this.deferredServerHooks = new DeferredServerHooks(instrumentation, log);
    }

    /** Adds the transformer to {@code instrumentation}: only name compares until gRPC loads. */
    public static GrpcTransformer install(Instrumentation instrumentation) {
        GrpcTransformer transformer = new GrpcTransformer(instrumentation);
        instrumentation.addTransformer(transformer, true);
        return transformer;
    }

    /**
     * The agent has read its settings (or failed to): prints the lines held back until then, which gRPC classes
     * loading before that produced, so that they obey the log level that was set.
     */
    public void settingsRead() {
        log.settingsRead();
    }

    /**
     * The hooks live on the system class path, not the boot class path: appending to the boot class path turns
     * class data sharing off for every class but the JDK's, which costs every app start-up time and prints a JVM
     * warning. A loader that does not delegate to the system loader (isolated plugins) cannot reach them.
     */
    static boolean seesTheAgent(ClassLoader loader) {
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
        if (className == null || !HookedGrpcClasses.concerns(className)) {
            return null;
        }
        String name = className.replace('/', '.');
        try {
            if (className.equals(HookedGrpcClasses.MANAGED_CHANNEL_BUILDER_PATH)) {
                if (classBeingRedefined == null && seesTheAgent(loader)) {
                    preparedRegistryHooks.channelBuilderLoading(loader);
                    GrpcHooks.channelBuilderLoading();
                }
                return null;
            }
            if (!seesTheAgent(loader)) {
                log.log(LogLevel.WARN, "gRPC (" + name + ") is loaded by " + loader
                        + ", which cannot see the agent's classes (its parent chain skips the system class loader);"
                        + " the agent leaves this copy of gRPC alone");
                return null;
            }
            if (classBeingRedefined == null && name.equals(HookedGrpcClasses.SERVER_IMPL)) {
                // the build's weave costs a checksum and a read; any other is left to the agent's thread
                byte[] prewoven = WovenClasses.prewoven(classFile);
                if (prewoven == null) {
                    deferredServerHooks.serverClassLoading(loader);
                }
                return prewoven;
            }
            byte[] woven = classBeingRedefined == null ? preparedRegistryHooks.woven(loader, classFile) : null;
            if (woven == null) {
                woven = wovenClasses.woven(name, loader, classFile);
            }
            if (woven == null) {
                log.log(LogLevel.WARN, "found " + name + " without the methods the agent hooks;"
                        + " this gRPC version is not supported, the app runs without the agent");
            }
            return woven;
        } catch (Throwable e) {
            log.log(LogLevel.ERROR, "could not instrument " + name + " (" + AgentLog.describe(e)
                    + "); the app runs without the agent for it");
            return null;
        }
    }
}
