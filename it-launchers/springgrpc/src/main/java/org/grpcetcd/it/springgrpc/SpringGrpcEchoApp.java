package org.grpcetcd.it.springgrpc;

import io.grpc.BindableService;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.util.concurrent.TimeUnit;
import org.grpcetcd.it.apps.Echo;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.grpc.client.GrpcChannelFactory;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/**
 * A spring-grpc app with no etcd code, server or client by its properties. With {@code echo.name}, spring-grpc
 * serves {@code echo.Echo/Say} (answering that name) from a {@link BindableService} bean and this prints
 * {@code READY <name> port=<port>} once its server started. With {@code echo.calls}, it makes that many calls on
 * spring-grpc's channel {@code echo} (target: {@code spring.grpc.client.channels.echo.address}), printing
 * {@code REPLY <server>} or {@code ERROR <status>} for each, then {@code CLIENT-DONE}, and exits.
 */
@SpringBootApplication
public class SpringGrpcEchoApp {
    public static void main(String[] args) {
        SpringApplication.run(SpringGrpcEchoApp.class, args);
    }

    @Bean
    @ConditionalOnProperty("echo.name")
    BindableService echoService(@Value("${echo.name}") String name) {
        return () -> ServerServiceDefinition.builder("echo.Echo")
                .addMethod(Echo.SAY, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext(name);
                    response.onCompleted();
                }))
                .build();
    }

    @Bean
    @ConditionalOnProperty("echo.name")
    ApplicationListener<GrpcServerStartedEvent> readyLine(@Value("${echo.name}") String name) {
        return event -> {
            System.out.println("READY " + name + " port=" + event.getPort());
            System.out.flush();
        };
    }

    @Bean
    @ConditionalOnProperty("echo.calls")
    CommandLineRunner echoClient(GrpcChannelFactory channels, @Value("${echo.calls}") int calls) {
        return args -> {
            ManagedChannel channel = channels.createChannel("echo");
            for (int i = 0; i < calls; i++) {
                CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS).withWaitForReady();
                try {
                    System.out.println("REPLY " + ClientCalls.blockingUnaryCall(channel, Echo.SAY, options, "hi"));
                } catch (StatusRuntimeException e) {
                    System.out.println("ERROR " + e.getStatus().getCode() + " " + e.getStatus().getDescription());
                }
                System.out.flush();
                Thread.sleep(20);
            }
            System.out.println("CLIENT-DONE");
            System.out.flush();
        };
    }
}
