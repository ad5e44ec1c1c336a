package org.grpcetcd.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.NameResolverRegistry;
import io.grpc.Server;
import io.grpc.inprocess.InProcessServerBuilder;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.grpcetcd.agent.bootstrap.GrpcEvents;
import org.grpcetcd.agent.bootstrap.GrpcHooks;
import org.junit.jupiter.api.Test;

/**
 * The hooks woven into this test JVM's own gRPC (the newest supported; the integration tests run every version
 * in its own JVM): a server that starts before the hooks are in is found in channelz, later ones by the hook,
 * each reported once; shutdown and the default registry are reported on the app's thread.
 */
class GrpcHooksWovenTest {
    private final List<Object> started = new CopyOnWriteArrayList<>();
    private final List<Object> stopping = new CopyOnWriteArrayList<>();
    private final List<Object> registries = new CopyOnWriteArrayList<>();

    @Test
    void serversAreReportedOnceWhetherTheyStartedBeforeOrAfterTheHooksWereWovenIn() throws Exception {
        Instrumentation instrumentation = ByteBuddyAgent.install();
        GrpcTransformer.install(instrumentation).settingsRead();
        GrpcHooks.install(new Recorder());

        Server early = InProcessServerBuilder.forName("early").build().start(); // ServerImpl loads here
        Server neverStarted = InProcessServerBuilder.forName("never-started").build();
        awaitHooksThread();
        assertThat(started).as("servers reported once the hooks thread is done").containsExactly(early);

        Server late = InProcessServerBuilder.forName("late").build().start();
        assertThat(started).as("reported by the woven start() before it returned").containsExactly(early, late);
        late.shutdown();
        assertThat(stopping).as("reported by the woven shutdown()").containsExactly(late);

        assertThat(new LoadedGrpc(instrumentation).instrument(new LoadedGrpc(instrumentation).hookedClasses()))
                .as("started servers listed again after a second retransformation").containsExactly(early);
        early.shutdownNow(); // which calls shutdown() too: the agent takes the second report as a no-op
        assertThat(stopping).as("reported by the woven shutdownNow()").startsWith(late).contains(early);

        NameResolverRegistry registry = NameResolverRegistry.getDefaultRegistry();
        assertThat(registries).as("the default registry, reported by the woven getDefaultRegistry()")
                .contains(registry);
        assertThat(started).doesNotContain(neverStarted);
        early.awaitTermination(5, TimeUnit.SECONDS);
    }

    private static void awaitHooksThread() throws InterruptedException {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals("grpc-etcd-agent-hooks")) {
                thread.join(30_000);
            }
        }
    }

    private final class Recorder implements GrpcEvents {
        @Override
        public void serverStarted(Object server) {
            started.add(server);
        }

        @Override
        public void serverStopping(Object server) {
            stopping.add(server);
        }

        @Override
        public void defaultRegistry(Object registry) {
            registries.add(registry);
        }
    }
}
