package org.grpcetcd.agent.etcd;

import java.lang.reflect.Field;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.grpcetcd.agent.log.AgentLog;
import org.grpcetcd.agent.shaded.io.etcd.jetcd.ByteSequence;
import org.grpcetcd.agent.shaded.io.etcd.jetcd.Client;
import org.grpcetcd.agent.shaded.io.etcd.jetcd.ClientBuilder;
import org.grpcetcd.agent.shaded.io.grpc.CallOptions;
import org.grpcetcd.agent.shaded.io.grpc.Channel;
import org.grpcetcd.agent.shaded.io.grpc.ClientCall;
import org.grpcetcd.agent.shaded.io.grpc.ClientInterceptor;
import org.grpcetcd.agent.shaded.io.grpc.ManagedChannel;
import org.grpcetcd.agent.shaded.io.grpc.MethodDescriptor;
import org.grpcetcd.agent.shaded.io.vertx.core.Vertx;
import org.grpcetcd.agent.shaded.io.vertx.core.VertxOptions;
import org.grpcetcd.agent.shaded.io.vertx.core.file.FileSystemOptions;

/**
 * One jetcd client: one gRPC channel to the etcd endpoints (round robin over them, as etcd's own Go client does),
 * TLS, user and password or certificate auth, and the settings that make a hung member noticed.
 */
final class EtcdConnection {
    /**
     * HTTP/2 keepalive pings: a member that stops answering (paused, hung, behind a dropped route) while its TCP
     * connection stays open is given up after {@code PING_INTERVAL + PING_TIMEOUT} without a byte from it, and the
     * streams on it (watches) move to another member. etcd accepts pings every 5 s or more
     * ({@code --grpc-keepalive-min-time}).
     */
    static final Duration PING_INTERVAL = Duration.ofSeconds(10);
    static final Duration PING_TIMEOUT = Duration.ofSeconds(5);
    /** A request's deadline: one sent to a hung member fails after this, and the next one goes to another member. */
    static final Duration CALL_DEADLINE = Duration.ofSeconds(5);
    /**
     * The deadline until the connection has answered once: its first calls also wait for the agent to load jetcd's
     * gRPC, Netty and protobuf (2,500 classes; seconds on a loaded machine) and for the first HTTP/2 handshake.
     */
    static final Duration FIRST_ANSWER_DEADLINE = Duration.ofSeconds(15);
    private static final String WATCH_METHOD = "etcdserverpb.Watch/Watch";

    private final long openedAt = System.nanoTime();
    private final Client client;
    private volatile boolean answered;

    private EtcdConnection(EtcdAccess access, ExecutorService executor) {
        this.client = build(access, executor);
    }

    static EtcdConnection open(EtcdAccess access, ExecutorService executor) {
        return new EtcdConnection(access, executor);
    }

    Client jetcd() {
        return client;
    }

    /** How long to wait for a call's answer on this connection, as it stands now. */
    Duration deadline() {
        return answered ? CALL_DEADLINE : FIRST_ANSWER_DEADLINE;
    }

    /** etcd answered a call on this connection: from now on calls get {@link #CALL_DEADLINE}. */
    void answered() {
        answered = true;
    }

    boolean olderThan(Duration age) {
        return System.nanoTime() - openedAt > age.toNanos();
    }

    /**
     * Lets gRPC connect at the next call instead of when its reconnect backoff says (1 s, 1.6 s, 2.6 s, ... up to
     * 2 minutes after a lost connection): the agent retries on its own schedule, and a lease of a few seconds
     * would expire while gRPC waits out its backoff after etcd came back. jetcd does not expose its channel; it is
     * read from the jetcd copy the agent carries, whose version is fixed at build time (and checked by the fault
     * tests that restart etcd). {@code false} when there was no channel to reset, or it could not be reached.
     */
    boolean connectNow() {
        try {
            Field managerField = client.getClass().getDeclaredField("connectionManager");
            managerField.setAccessible(true);
            Object manager = managerField.get(client);
            Field channelField = manager.getClass().getDeclaredField("managedChannel");
            channelField.setAccessible(true);
            ManagedChannel channel = (ManagedChannel) channelField.get(manager);
            if (channel != null) {
                channel.resetConnectBackoff();
                return true;
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            AgentLog.debug("could not reset the etcd channel's reconnect backoff: " + e);
        }
        return false;
    }

    void close() {
        client.close();
    }

    private Client build(EtcdAccess access, ExecutorService executor) {
        CarriedLibraryLogs.routeToAgentLog();
        ClientBuilder builder = Client.builder()
                .endpoints(access.endpoints())
                .executorService(executor)
                .vertx(smallVertx())
                .keepaliveTime(PING_INTERVAL)
                .keepaliveTimeout(PING_TIMEOUT)
                // pings only while a stream (a watch) is open: etcd counts pings on an idle connection as abuse
                .keepaliveWithoutCalls(false)
                .connectTimeout(Duration.ofSeconds(2))
                // fail at once when no member can be reached (jetcd's default waits for one, up to the deadline)
                .waitForReady(false)
                // the agent retries on its own schedule (re-registration, watch recovery); jetcd resends once, so
                // that an expired auth token is renewed and a request on a connection just lost goes elsewhere
                .retryMaxAttempts(1)
                .retryDelay(10)
                .retryMaxDelay(100)
                .retryChronoUnit(ChronoUnit.MILLIS)
                .interceptor(new CallDeadlines(this));
        if (access.endpoints().stream().anyMatch(endpoint -> "https".equals(endpoint.getScheme()))) {
            builder.sslContext(TlsContexts.create(access.tls()));
            // certificates are checked against the first endpoint's host name (jetcd's channel has one authority)
            builder.authority(hostOf(access.endpoints().get(0)));
        }
        access.user().ifPresent(user -> builder.user(bytes(user)).password(bytes(access.password())));
        return builder.build();
    }

    /**
     * One event loop and one worker thread: the agent sends a few small requests a second at most. Given to jetcd,
     * it also carries the gRPC channel, instead of gRPC's own Netty threads and executors.
     */
    private static Vertx smallVertx() {
        return Vertx.vertx(new VertxOptions()
                .setUseDaemonThread(true)
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1)
                // no file cache (Vert.x would make a vertx-cache folder in java.io.tmpdir), no class path lookups
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
    }

    private static String hostOf(URI endpoint) {
        return endpoint.getHost();
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    /** Every call but a watch gets a deadline; jetcd sets none, and a hung member would hold it for ever. */
    private static final class CallDeadlines implements ClientInterceptor {
        private final EtcdConnection connection;

        CallDeadlines(EtcdConnection connection) {
            this.connection = connection;
        }

        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
            if (options.getDeadline() == null && !WATCH_METHOD.equals(method.getFullMethodName())) {
                options = options.withDeadlineAfter(connection.deadline().toMillis(), TimeUnit.MILLISECONDS);
            }
            return next.newCall(method, options);
        }
    }
}
