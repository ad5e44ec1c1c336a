package org.grpcetcd.it.apps;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.grpc.Server;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * An echo server that also uses Mockito's inline mock maker, which brings its own ByteBuddy and attaches its own
 * agent to retransform what it mocks: here the class of the running gRPC server itself, the very class the
 * grpc-etcd-agent hooks. Prints {@code READY <name> port=<port>}, then {@code MOCKED port=<stubbed port>}; on
 * {@code stop} shuts the real server down and prints {@code STOPPED}.
 */
public final class MockitoInlineApp {
    private MockitoInlineApp() {
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        Server server = NettyBuilders.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(EchoServices.echo(name))
                .build()
                .start();
        System.out.println("READY " + name + " port=" + server.getPort());
        System.out.flush();

        Server mocked = mock(server.getClass());
        when(mocked.getPort()).thenReturn(4242);
        System.out.println("MOCKED port=" + mocked.getPort() + " real port=" + server.getPort());
        System.out.flush();

        StdinStop.await();
        server.shutdown();
        server.awaitTermination(10, TimeUnit.SECONDS);
        System.out.println("STOPPED");
        System.out.flush();
    }
}
