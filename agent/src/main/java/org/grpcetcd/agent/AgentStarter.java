package org.grpcetcd.agent;

import java.lang.instrument.Instrumentation;
import java.util.concurrent.CountDownLatch;
import org.grpcetcd.agent.bootstrap.GrpcHooks;
import org.grpcetcd.agent.bootstrap.ResolverBackends;
import org.grpcetcd.agent.config.Settings;
import org.grpcetcd.agent.config.SettingsLoader;
import org.grpcetcd.agent.instrument.GrpcTransformer;
import org.grpcetcd.agent.instrument.HelperInjector;
import org.grpcetcd.agent.instrument.ResolverInstaller;
import org.grpcetcd.agent.log.AgentLog;

/**
 * Starts the agent in two steps, so the app's {@code main()} starts as early as it would without it. premain only
 * installs the class transformer and starts one short-lived thread; that thread reads the settings, reports what
 * is wrong with them and installs the hooks (about 25 classes loaded from the agent's jar, which took some 20 ms
 * of the app's start-up when premain did it). The transformer waits for the thread only if gRPC loads first.
 */
final class AgentStarter implements Runnable {
    private final String arguments;
    private final Instrumentation instrumentation;
    private final CountDownLatch started = new CountDownLatch(1);

    private AgentStarter(String arguments, Instrumentation instrumentation) {
        this.arguments = arguments;
        this.instrumentation = instrumentation;
    }

    static void start(String arguments, Instrumentation instrumentation) {
        AgentStarter starter = new AgentStarter(arguments, instrumentation);
        instrumentation.addTransformer(new GrpcTransformer(starter.started), false);
        Thread thread = new Thread(starter, "grpc-etcd-agent-start");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        try {
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
            GrpcHooks.install(runtime);
            ResolverBackends.install(runtime);
            started.countDown();
            // work gRPC's first server or channel would otherwise do on the app's thread
            GrpcTransformer.warmUp();
            runtime.prepare();
        } catch (Throwable e) {
            Agent.reportFailure(e);
        } finally {
            started.countDown();
        }
    }
}
