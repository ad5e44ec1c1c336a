package org.grpcetcd.agent;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import org.grpcetcd.agent.launcher.AgentClassLoader;

/**
 * The {@code Premain-Class}, {@code Agent-Class} and the jar's {@code Main-Class}: the launcher. It and the bridge
 * ({@code org.grpcetcd.agent.bootstrap}) are all the system class loader ever loads of the agent. Everything else,
 * the agent and the libraries it carries (ByteBuddy, jetcd, gRPC, Netty, protobuf), is loaded by an
 * {@link AgentClassLoader} from inside the jar, where the app cannot see it.
 *
 * <p>premain and agentmain do as little as they can and never throw: whatever fails, the app starts (or, attached,
 * runs on) exactly as it would without the agent.
 */
public final class Agent {
    private Agent() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        enter("start", arguments, instrumentation);
    }

    /** Loaded into a running JVM by {@code java -jar grpc-etcd-agent.jar attach <pid>}. */
    public static void agentmain(String arguments, Instrumentation instrumentation) {
        enter("attach", arguments, instrumentation);
    }

    /** Calls {@code AgentStarter.<method>} in the agent's class loader (one per JVM, premain and attach alike). */
    private static void enter(String method, String arguments, Instrumentation instrumentation) {
        try {
            AgentClassLoader.forJarOf(Agent.class).loadClass("org.grpcetcd.agent.AgentStarter")
                    .getMethod(method, String.class, Instrumentation.class).invoke(null, arguments, instrumentation);
        } catch (InvocationTargetException e) {
            reportFailure(e.getCause());
        } catch (Throwable e) {
            reportFailure(e);
        }
    }

    /** The command line ({@code java -jar grpc-etcd-agent.jar ...}): the CLI, in the agent's own class loader. */
    public static void main(String[] arguments) throws Throwable {
        try {
            AgentClassLoader.forJarOf(Agent.class).loadClass("org.grpcetcd.agent.cli.Cli")
                    .getMethod("main", String[].class).invoke(null, (Object) arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void reportFailure(Throwable e) {
        System.err.println("[grpc-etcd-agent] " + java.time.Instant.now() + " ERROR the agent could not start ("
                + e + "); the app runs without it");
    }
}
