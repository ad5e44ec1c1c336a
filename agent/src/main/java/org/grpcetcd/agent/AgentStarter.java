package org.grpcetcd.agent;

import java.lang.instrument.Instrumentation;
import org.grpcetcd.agent.bootstrap.GrpcHooks;
import org.grpcetcd.agent.bootstrap.ResolverBackends;
import org.grpcetcd.agent.config.Settings;
import org.grpcetcd.agent.config.SettingsLoader;
import org.grpcetcd.agent.instrument.GrpcTransformer;
import org.grpcetcd.agent.instrument.HelperInjector;
import org.grpcetcd.agent.instrument.ResolverInstaller;
import org.grpcetcd.agent.log.AgentLog;

/**
 * Starts the agent without standing in the app's start-up. premain only installs the class transformer and
 * starts one thread, which waits until gRPC first calls a hook (a server started, the default name resolver
 * registry asked for), or {@link #IDLE_START_MILLIS} at most, before it reads the settings, reports what is wrong
 * with them and installs the agent. Measured on 2 CPUs, reading the settings and building the agent in premain, or
 * on a thread at launch, delayed the app's first server by 20-30 ms; its classes load from the agent's jar,
 * uncached, while the app's own start-up needs both CPUs.
 */
public final class AgentStarter implements Runnable {
    /** So the agent's "active" line and any problem with the settings show up in an app that has not used gRPC yet. */
    private static final long IDLE_START_MILLIS = 2_000;

    private final String arguments;
    private final Instrumentation instrumentation;
    private final GrpcTransformer transformer;

    private AgentStarter(String arguments, Instrumentation instrumentation, GrpcTransformer transformer) {
        this.arguments = arguments;
        this.instrumentation = instrumentation;
        this.transformer = transformer;
    }

    /** Called by the launcher, {@code org.grpcetcd.agent.Agent}, through the agent's class loader. */
    public static void start(String arguments, Instrumentation instrumentation) {
        GrpcTransformer transformer = GrpcTransformer.install(instrumentation);
        Thread thread = new Thread(new AgentStarter(arguments, instrumentation, transformer), "grpc-etcd-agent-start");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        try {
            GrpcHooks.awaitFirstUse(IDLE_START_MILLIS);
            SettingsLoader loader = SettingsLoader.fromJvm(arguments);
            Settings settings = loader.load();
            AgentLog.setThreshold(settings.logLevel());
            for (String problem : loader.problems()) {
                AgentLog.error(problem);
            }
            AgentLog.info("grpc-etcd-agent " + AgentVersion.current() + " active: " + settings.summary());

            HelperInjector helpers = new HelperInjector(instrumentation);
            AgentRuntime runtime = new AgentRuntime(settings, helpers,
                    new ResolverInstaller(helpers, AgentRuntime.SCHEMES));
            runtime.prepare();
            ResolverBackends.install(runtime);
            GrpcHooks.install(runtime);
        } catch (Throwable e) {
            AgentLog.error("the agent could not start (" + e + "); the app runs without it");
        } finally {
            transformer.settingsRead();
            GrpcHooks.startEnded();
        }
    }
}
