package org.grpcetcd.it.apps;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * An app that carries its own jetcd (another version than the agent's) and uses it beside a gRPC server: puts
 * {@code <key>} = {@code <name>} through its own client, reads it back, prints {@code OWN-JETCD <value read>}, then
 * serves as {@link EchoServer} does until its stdin closes. The agent's jetcd must neither replace nor disturb it.
 *
 * <p>Arguments: {@code <name> <etcd endpoint> <key>}.
 */
public final class OwnJetcdApp {
    private OwnJetcdApp() {
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        ServerServiceDefinition service = ServerServiceDefinition.builder("echo.Echo")
                .addMethod(Echo.SAY, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext(name);
                    response.onCompleted();
                }))
                .build();
        Server server = NettyBuilders.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(service).build()
                .start();
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
        while (System.in.read() >= 0) {
            // serve until stdin closes
        }
        server.shutdown().awaitTermination(10, TimeUnit.SECONDS);
    }
}
