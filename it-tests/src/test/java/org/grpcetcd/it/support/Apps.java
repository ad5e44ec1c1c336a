package org.grpcetcd.it.support;

import java.util.ArrayList;
import java.util.List;

/**
 * The app JVMs of one test: launches them with the agent (logs under the test's name) and kills whatever is
 * still running on {@link #close()}.
 */
public final class Apps implements AutoCloseable {
    public static final String SERVER_MAIN = "org.grpcetcd.it.apps.EchoServer";
    public static final String CLIENT_MAIN = "org.grpcetcd.it.apps.EchoClient";

    private final TestLogs logs;
    private final String etcdEndpoint;
    private final List<AppProcess> started = new ArrayList<>();

    /** {@code etcdEndpoint} becomes every app's {@code grpc.etcd.endpoints} unless a spec removes it. */
    public Apps(TestLogs logs, String etcdEndpoint) {
        this.logs = logs;
        this.etcdEndpoint = etcdEndpoint;
    }

    /** An echo server named {@code name} (its process is named so too); add arguments for host and port. */
    public AppSpec server(String name) {
        return new AppSpec(this, name, SERVER_MAIN).args(name).endpoints(etcdEndpoint);
    }

    /** An echo client on {@code target}, with the client's arguments after it. */
    public AppSpec client(String processName, String target, String... clientArgs) {
        return new AppSpec(this, processName, CLIENT_MAIN).args(target).args(clientArgs).endpoints(etcdEndpoint);
    }

    /** Any other app: {@code mainClass} from the test class path, with the agent and the etcd endpoints set. */
    public AppSpec app(String processName, String mainClass) {
        return new AppSpec(this, processName, mainClass).endpoints(etcdEndpoint);
    }

    TestLogs logs() {
        return logs;
    }

    synchronized AppProcess register(AppProcess process) {
        started.add(process);
        return process;
    }

    @Override
    public synchronized void close() {
        for (AppProcess process : started) {
            process.close();
        }
        started.clear();
    }
}
