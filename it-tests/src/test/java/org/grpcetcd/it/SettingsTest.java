package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.EchoOutput;
import org.grpcetcd.it.support.EtcdAndApps;
import org.grpcetcd.it.support.EtcdEntry;
import org.grpcetcd.it.support.EtcdServer;
import org.grpcetcd.it.support.FreePorts;
import org.grpcetcd.it.support.ItEnvironment;
import org.grpcetcd.it.support.UniqueNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Settings come from system properties, agent arguments and environment variables, in that order of precedence;
 * a bad value is reported once and replaced by its default, and the app starts anyway.
 */
class SettingsTest {
    private static final Duration REGISTERED_WITHIN = Duration.ofSeconds(10);

    @RegisterExtension
    static final EtcdAndApps<EtcdServer> fixture = EtcdAndApps.server();

    @Test
    void badTtlIsReportedOnceAndTheDefaultTenIsUsed() {
        String service = UniqueNames.service("badttl");
        AppProcess server = fixture.apps().server("A").service(service).setting("ttl", "abc").start();
        EtcdEntry entry = awaitRegistered(server, service);

        List<String> errors = errorLines(server);
        assertThat(errors).as("ERROR lines on stderr").hasSize(1);
        assertThat(errors.get(0)).contains("grpc.etcd.ttl", "'abc'", "2 to 3600");
        assertThat(fixture.etcdctl().leaseTtl(entry.lease()).granted()).as("granted TTL (the default)").isEqualTo(10);
    }

    @Test
    void serviceFromEnvironmentVariableOnly() {
        String service = UniqueNames.service("envsvc");
        AppProcess server = fixture.apps().server("A").env("GRPC_ETCD_SERVICE", service).start();
        awaitRegistered(server, service);
        assertThat(errorLines(server)).isEmpty();
    }

    @Test
    void serviceAndTtlFromAgentArguments() {
        String service = UniqueNames.service("agentarg");
        AppProcess server = fixture.apps().server("A").agentArguments("service=" + service + ",ttl=4").start();
        EtcdEntry entry = awaitRegistered(server, service);
        assertThat(fixture.etcdctl().leaseTtl(entry.lease()).granted()).as("granted TTL from the agent argument")
                .isEqualTo(4);
        assertThat(errorLines(server)).isEmpty();
    }

    @Test
    void systemPropertyWinsOverEnvironmentVariable() {
        String fromProperty = UniqueNames.service("prop");
        String fromEnv = UniqueNames.service("env");
        AppProcess server = fixture.apps().server("A").service(fromProperty).env("GRPC_ETCD_SERVICE", fromEnv).start();
        awaitRegistered(server, fromProperty);
        assertThat(fixture.etcdctl().entries(fromEnv + "/")).as("keys under the environment's service name").isEmpty();
    }

    @Test
    void precedenceIsSystemPropertyThenAgentArgumentThenEnvironment() {
        String service = UniqueNames.service("prec");
        // ttl in all three places: the system property wins
        AppProcess all = fixture.apps().server("all3").service(service).ttl(6).agentArguments("ttl=4")
                .env("GRPC_ETCD_TTL", "5").start();
        // ttl as agent argument and environment variable: the agent argument wins
        AppProcess two = fixture.apps().server("arg+env").service(service).agentArguments("ttl=4")
                .env("GRPC_ETCD_TTL", "5").start();
        // endpoints only from the environment (no system property): used
        AppProcess envOnly = fixture.apps().server("env-endpoints").service(service).endpoints(null)
                .env("GRPC_ETCD_ENDPOINTS", fixture.etcd().endpoint()).env("GRPC_ETCD_TTL", "5").start();

        assertThat(fixture.etcdctl().leaseTtl(awaitRegistered(all, service).lease()).granted())
                .as("TTL with property 6, agent argument 4, environment 5").isEqualTo(6);
        assertThat(fixture.etcdctl().leaseTtl(awaitRegistered(two, service).lease()).granted())
                .as("TTL with agent argument 4, environment 5").isEqualTo(4);
        assertThat(fixture.etcdctl().leaseTtl(awaitRegistered(envOnly, service).lease()).granted())
                .as("TTL with environment 5 only").isEqualTo(5);
    }

    @Test
    void deadEndpointFirstInTheListStillRegisters() {
        String service = UniqueNames.service("deadfirst");
        String dead = "http://127.0.0.1:" + FreePorts.next();
        AppProcess server = fixture.apps().server("A").service(service)
                .endpoints(dead + ";" + fixture.etcd().endpoint()).start();
        awaitRegistered(server, service);
        assertThat(errorLines(server)).isEmpty();
    }

    @Test
    void unknownLogLevelIsReportedAndTheAppStillStarts() {
        String service = UniqueNames.service("loglevel");
        AppProcess server = fixture.apps().server("A").service(service).setting("log-level", "chatty").start();
        awaitRegistered(server, service);
        List<String> errors = errorLines(server);
        assertThat(errors).as("ERROR lines on stderr").hasSize(1);
        assertThat(errors.get(0)).contains("grpc.etcd.log-level", "'chatty'");
        // the default level (info) is used instead
        server.awaitErrLine(Pattern.compile("INFO registered " + Pattern.quote(service + "/")), REGISTERED_WITHIN);
    }

    @Test
    void anAppThatNeverUsesGrpcStillHearsOfItsBadSettings() {
        // the agent reads its settings when gRPC is first used, or 2 s after launch when it is not
        AppProcess idle = fixture.apps().app("idle", "org.grpcetcd.it.apps.IdleApp").setting("ttl", "-5").start();
        idle.awaitLine(Pattern.compile("^READY$"), ItEnvironment.JVM_START);
        long readyAt = System.nanoTime();
        idle.awaitErrLine(Pattern.compile(" INFO grpc-etcd-agent .* active: "), REGISTERED_WITHIN);
        long activeAfterMs = (System.nanoTime() - readyAt) / 1_000_000;
        System.out.println("SettingsTest: an app without gRPC printed the agent's active line " + activeAfterMs
                + " ms after its READY");

        List<String> errors = errorLines(idle);
        assertThat(errors).as("ERROR lines on stderr").hasSize(1);
        assertThat(errors.get(0)).contains("grpc.etcd.ttl", "'-5'");
        idle.send("stop");
        assertThat(idle.awaitExit(ItEnvironment.JVM_START)).as("exit code").isZero();
    }

    /** Waits for READY and for the server's key under {@code service}, and returns the key. */
    private static EtcdEntry awaitRegistered(AppProcess server, String service) {
        int port = EchoOutput.awaitReady(server);
        return fixture.etcdctl().awaitEntry(service + "/127.0.0.1:" + port, REGISTERED_WITHIN);
    }

    private static List<String> errorLines(AppProcess app) {
        return app.errLines().stream().filter(line -> line.contains(" ERROR ")).collect(Collectors.toList());
    }
}
