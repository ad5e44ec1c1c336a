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

/** Reads the settings, reports what is wrong with them, and installs the hooks. No thread, no etcd yet. */
final class AgentStarter {
    private AgentStarter() {
    }

    static void start(String arguments, Instrumentation instrumentation) {
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
        instrumentation.addTransformer(new GrpcTransformer(), false);
    }
}
