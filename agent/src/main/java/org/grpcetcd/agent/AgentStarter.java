package org.grpcetcd.agent;

import java.lang.instrument.Instrumentation;
import org.grpcetcd.agent.attach.AttachReport;
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
 * starts one thread, which waits until gRPC is first used (a channel builder loads, a server started, the default
 * name resolver registry asked for), or {@link #IDLE_START_MILLIS} at most, before it reads the settings, reports
 * what is wrong with them and installs the agent. Measured on 2 CPUs, reading the settings and building the agent
 * in premain, or on a thread at launch, delayed the app's first server by 20-30 ms; its classes load from the
 * agent's jar, uncached, while the app's own start-up needs both CPUs. Starting when a channel builder loads, a few
 * hundred classes before the default registry that waits for the agent, took that wait (~65 ms) off the app's
 * thread.
 *
 * <p>Attached to a running JVM ({@link #attach}), it starts at once and then catches up with the gRPC already
 * loaded ({@link AttachCatchUp}), reporting to the attach command what it found.
 */
public final class AgentStarter implements Runnable {
    /** So the agent's "active" line and any problem with the settings show up in an app that has not used gRPC yet. */
    private static final long IDLE_START_MILLIS = 2_000;

    private final String arguments;
    private final Instrumentation instrumentation;
    private final GrpcTransformer transformer;
    /** Only when attached: what the attach command is told. */
    private final AttachReport report;

    private AgentStarter(String arguments, Instrumentation instrumentation, GrpcTransformer transformer,
            AttachReport report) {
        this.arguments = arguments;
        this.instrumentation = instrumentation;
        this.transformer = transformer;
        this.report = report;
    }

    /**
     * From premain, through the launcher ({@code org.grpcetcd.agent.Agent}) and the agent's class loader: gRPC has
     * not loaded yet.
     */
    public static void start(String arguments, Instrumentation instrumentation) {
        if (AttachReport.claim("-javaagent")) {
            launch(arguments, instrumentation, null);
        } else {
            reportAlreadyThere();
        }
    }

    /**
     * From agentmain: gRPC may be loaded, in several class loaders, and serving. The JVM calls agentmain again on
     * every attach of the jar; the second time changes nothing.
     */
    public static void attach(String arguments, Instrumentation instrumentation) {
        if (!AttachReport.claim("attached")) {
            reportAlreadyThere();
            return;
        }
        try {
            launch(arguments, instrumentation, new AttachReport());
        } catch (Throwable e) {
            AgentLog.error("the agent could not start (" + e + "); the app runs without it");
            // the attach command is waiting for a report: without one it could only point at the app's stderr
            new AttachReport().failed("the agent could not start (" + e + "); the app runs without it").publish();
        }
    }

    private static void reportAlreadyThere() {
        AgentLog.warn("the agent is already in this JVM (" + System.getProperty(AttachReport.LOADED)
                + "); loading it again changes nothing");
    }

    private static void launch(String arguments, Instrumentation instrumentation, AttachReport report) {
        GrpcTransformer transformer = GrpcTransformer.install(instrumentation);
        Thread thread = new Thread(new AgentStarter(arguments, instrumentation, transformer, report),
                "grpc-etcd-agent-start");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        AgentRuntime runtime = null;
        try {
            if (report == null) {
                GrpcHooks.awaitFirstUse(IDLE_START_MILLIS);
            }
            runtime = install();
        } catch (Throwable e) {
            AgentLog.error("the agent could not start (" + e + "); the app runs without it");
            if (report != null) {
                report.failed("the agent could not start (" + e + "); the app runs without it");
            }
        } finally {
            transformer.settingsRead();
            GrpcHooks.startEnded();
        }
        if (report != null) {
            catchUp(runtime);
        }
    }

    private AgentRuntime install() {
        SettingsLoader loader = SettingsLoader.fromJvm(arguments);
        Settings settings = loader.load();
        AgentLog.setThreshold(settings.logLevel());
        for (String problem : loader.problems()) {
            AgentLog.error(problem);
        }
        String active = "grpc-etcd-agent " + AgentVersion.current() + " active: " + settings.summary();
        AgentLog.info(active);
        if (report != null) {
            loader.problems().forEach(report::line);
            report.line(active);
        }

        HelperInjector helpers = new HelperInjector(instrumentation);
        AgentRuntime runtime = new AgentRuntime(settings, helpers,
                new ResolverInstaller(helpers, AgentRuntime.SCHEMES));
        runtime.prepare();
        ResolverBackends.install(runtime);
        GrpcHooks.install(runtime);
        return runtime;
    }

    /** Attached: hooks the gRPC already running, then tells the attach command what happened. */
    private void catchUp(AgentRuntime runtime) {
        try {
            if (runtime != null) {
                new AttachCatchUp(instrumentation, runtime).run(report);
            }
        } catch (Throwable e) {
            String failure = "could not hook the gRPC already running (" + AgentLog.describe(e) + "); servers"
                    + " started from now on register, the running ones are not in etcd";
            AgentLog.error(failure);
            report.failed(failure);
        } finally {
            report.publish();
        }
    }
}
