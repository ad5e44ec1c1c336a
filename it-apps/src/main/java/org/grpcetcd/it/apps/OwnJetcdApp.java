package org.grpcetcd.it.apps;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.grpc.Server;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * An app that carries its own jetcd (another version than the agent's) and uses it beside a gRPC server: puts
 * {@code <key>} = {@code <name>} through its own client, reads it back, prints {@code OWN-JETCD <value read>}, then
 * serves as {@link EchoServer} does until {@code stop} or the end of its stdin. The agent's jetcd must neither replace nor disturb it.
 *
 * <p>Arguments: {@code <name> <etcd endpoint> <key>}.
 */
public final class OwnJetcdApp {
    private OwnJetcdApp() {
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        Server server = NettyBuilders.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(EchoServices.echo(name)).build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
        System.out.println("READY " + name + " port=" + server.getPort());
        try (Client etcd = Client.builder().endpoints(args[1]).build()) {
            ByteSequence key = ByteSequence.from(args[2], StandardCharsets.UTF_8);
            etcd.getKVClient().put(key, ByteSequence.from(name, StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
            String read = etcd.getKVClient().get(key).get(30, TimeUnit.SECONDS).getKvs().get(0).getValue()
                    .toString(StandardCharsets.UTF_8);
            System.out.println("OWN-JETCD " + read + " via " + Client.class.getClassLoader().getClass().getSimpleName());
        }
        System.out.flush();
        StdinStop.await();
        server.shutdown().awaitTermination(10, TimeUnit.SECONDS);
    }
}
