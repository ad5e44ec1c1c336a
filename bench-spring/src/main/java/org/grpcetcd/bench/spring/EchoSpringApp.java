package org.grpcetcd.bench.spring;

import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/**
 * A Spring Boot gRPC server with no etcd code: one echo service, served by the spring-grpc starter on a free port.
 * Prints {@code MAIN at=<instant>} first thing and {@code READY ports=<port> at=<instant>} once the gRPC server
 * has started (the lines the bench's start-up section reads); exits on {@code stop} or at the end of stdin.
 */
@SpringBootApplication
public class EchoSpringApp {
    private static final MethodDescriptor<String, String> SAY = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("echo.Echo", "Say"))
            .setRequestMarshaller(new Utf8())
            .setResponseMarshaller(new Utf8())
            .build();

    public static void main(String[] args) throws IOException {
        System.out.println("MAIN at=" + Instant.now());
        var context = SpringApplication.run(EchoSpringApp.class, args);
        while (true) {
            int c = System.in.read();
            if (c < 0 || c == 's') { // "stop", or stdin closed
                break;
            }
        }
        System.exit(SpringApplication.exit(context));
    }

    @Bean
    BindableService echo() {
        return () -> ServerServiceDefinition.builder("echo.Echo")
                .addMethod(SAY, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext("spring");
                    response.onCompleted();
                }))
                .build();
    }

    @EventListener
    public void started(GrpcServerStartedEvent event) {
        System.out.println("READY ports=" + event.getPort() + " at=" + Instant.now());
        System.out.flush();
    }

    private static final class Utf8 implements MethodDescriptor.Marshaller<String> {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
