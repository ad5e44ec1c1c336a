package org.grpcetcd.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import java.util.Properties;
import org.grpcetcd.agent.log.LogLevel;
import org.junit.jupiter.api.Test;

class SettingsLoaderTest {
    private static Properties props(String... keyValues) {
        Properties properties = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return properties;
    }

    @Test
    void defaultsWhenNothingIsSet() {
        SettingsLoader loader = SettingsLoader.of(props(), Map.of(), Map.of());
        Settings settings = loader.load();
        assertThat(settings.endpoints()).containsExactly(URI.create("http://127.0.0.1:2379"));
        assertThat(settings.service()).isEmpty();
        assertThat(settings.ttlSeconds()).isEqualTo(10);
        assertThat(settings.loadBalancing()).isEqualTo("round_robin");
        assertThat(settings.drainMillis()).isEqualTo(1000);
        assertThat(settings.deregisterTimeoutMillis()).isEqualTo(2000);
        assertThat(settings.logLevel()).isEqualTo(LogLevel.INFO);
        assertThat(loader.problems()).isEmpty();
    }

    @Test
    void systemPropertyBeatsAgentArgumentBeatsEnvironment() {
        Settings settings = SettingsLoader.of(props("grpc.etcd.service", "from-prop"),
                Map.of("service", "from-arg", "ttl", "7"),
                Map.of("GRPC_ETCD_SERVICE", "from-env", "GRPC_ETCD_TTL", "9", "GRPC_ETCD_DRAIN_MS", "5")).load();
        assertThat(settings.service()).contains("from-prop");
        assertThat(settings.ttlSeconds()).isEqualTo(7);
        assertThat(settings.drainMillis()).isEqualTo(5);
    }

    @Test
    void credentialsAreLookedAtEveryTwoSecondsUnlessSetBetweenHalfASecondAndTenMinutes() {
        assertThat(SettingsLoader.of(props(), Map.of(), Map.of()).load().credentialsCheck())
                .isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(SettingsLoader.of(props("grpc.etcd.credentials-check-ms", "1000"), Map.of(), Map.of()).load()
                .credentialsCheck()).isEqualTo(java.time.Duration.ofSeconds(1));
        SettingsLoader tooOften = SettingsLoader.of(props(), Map.of(), Map.of("GRPC_ETCD_CREDENTIALS_CHECK_MS", "100"));
        assertThat(tooOften.load().credentialsCheck()).isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(tooOften.problems()).singleElement().asString()
                .contains("grpc.etcd.credentials-check-ms", "'100'", "out of range", "500 to 600000");
    }

    @Test
    void endpointsAcceptCommasSemicolonsAndBareHostPorts() {
        Settings settings = SettingsLoader.of(
                props("grpc.etcd.endpoints", "10.0.0.5:2379; https://etcd-2:2379/ ,http://[::1]:2380"),
                Map.of(), Map.of()).load();
        assertThat(settings.endpoints()).containsExactly(URI.create("http://10.0.0.5:2379"),
                URI.create("https://etcd-2:2379"), URI.create("http://[::1]:2380"));
    }

    @Test
    void badValuesAreReportedByNameWithWhatIsAcceptedAndTheDefaultIsUsed() {
        SettingsLoader loader = SettingsLoader.of(props("grpc.etcd.ttl", "abc", "grpc.etcd.load-balancing",
                "random", "grpc.etcd.endpoints", "ftp://x:1"), Map.of(), Map.of("GRPC_ETCD_DRAIN_MS", "-1"));
        Settings settings = loader.load();
        assertThat(settings.ttlSeconds()).isEqualTo(10);
        assertThat(settings.loadBalancing()).isEqualTo("round_robin");
        assertThat(settings.endpoints()).containsExactly(URI.create("http://127.0.0.1:2379"));
        assertThat(settings.drainMillis()).isEqualTo(1000);
        assertThat(loader.problems()).hasSize(4);
        assertThat(loader.problems()).anySatisfy(problem -> assertThat(problem)
                .contains("grpc.etcd.ttl", "'abc'", "2 to 3600", "default 10"));
        assertThat(loader.problems()).anySatisfy(problem -> assertThat(problem)
                .contains("grpc.etcd.load-balancing", "round_robin or pick_first"));
        assertThat(loader.problems()).anySatisfy(problem -> assertThat(problem)
                .contains("grpc.etcd.drain-ms", "environment variable GRPC_ETCD_DRAIN_MS"));
    }

    @Test
    void ttlOutsideItsRangeIsRefused() {
        assertThat(SettingsLoader.of(props("grpc.etcd.ttl", "1"), Map.of(), Map.of()).load().ttlSeconds())
                .isEqualTo(10);
        assertThat(SettingsLoader.of(props("grpc.etcd.ttl", "3600"), Map.of(), Map.of()).load().ttlSeconds())
                .isEqualTo(3600);
    }

    @Test
    void unknownAgentArgumentsAreReported() {
        SettingsLoader loader = SettingsLoader.of(props(), Map.of("servcie", "x"), Map.of());
        loader.load();
        assertThat(loader.problems()).singleElement().asString().contains("'servcie'", "service");
    }

    @Test
    void advertiseAddressDropsIpv6Brackets() {
        assertThat(SettingsLoader.of(props("grpc.etcd.advertise-address", "[fd00::1]"), Map.of(), Map.of()).load()
                .advertiseAddress()).contains("fd00::1");
    }

    @Test
    void environmentVariableNamesFollowTheSettingNames() {
        assertThat(Setting.DEREGISTER_TIMEOUT_MS.environmentVariable()).isEqualTo("GRPC_ETCD_DEREGISTER_TIMEOUT_MS");
        assertThat(Setting.ADVERTISE_ADDRESS.systemProperty()).isEqualTo("grpc.etcd.advertise-address");
    }

    @Test
    void credentialsInAnEndpointAreRefusedAndNeverShown() {
        SettingsLoader loader = SettingsLoader.of(props("grpc.etcd.endpoints",
                "http://alice:s3cret@10.0.0.5:2379,http://10.0.0.6:2379"), Map.of(), Map.of());
        Settings settings = loader.load();
        assertThat(settings.endpoints()).containsExactly(URI.create("http://127.0.0.1:2379"));
        assertThat(loader.problems()).singleElement().asString()
                .contains("grpc.etcd.user", "http://****@10.0.0.5:2379").doesNotContain("s3cret");
        assertThat(SettingsLoader.shown(Setting.PASSWORD, "s3cret")).isEqualTo("****");
    }

    @Test
    void cliOptionsBeatSystemPropertiesAndEnvironmentAndAreNamedAsOptions() {
        SettingsLoader loader = SettingsLoader.of(Map.of("endpoints", "http://10.0.0.7:2379", "metadata.zone", "b"),
                props("grpc.etcd.endpoints", "http://10.0.0.5:2379", "grpc.etcd.metadata.zone", "a"), Map.of(),
                Map.of("GRPC_ETCD_ENDPOINTS", "http://10.0.0.6:2379"));
        Settings settings = loader.load();
        assertThat(settings.endpoints()).containsExactly(URI.create("http://10.0.0.7:2379"));
        assertThat(settings.metadata()).containsExactly(Map.entry("zone", "b"));

        SettingsLoader bad = SettingsLoader.of(Map.of("endpoints", "not-a-url"), props(), Map.of(),
                Map.of("GRPC_ETCD_ENDPOINTS", "http://10.0.0.6:2379"));
        bad.load();
        assertThat(bad.refusals()).singleElement().asString()
                .isEqualTo("grpc.etcd.endpoints (option --endpoints) has a bad value 'not-a-url': 'not-a-url' needs a"
                        + " host and a port; accepted: " + Setting.ENDPOINTS.description());
    }

    @Test
    void refusalsAreTheProblemsWithoutTheAgentsFallback() {
        SettingsLoader loader = SettingsLoader.of(props("grpc.etcd.ttl", "abc", "grpc.etcd.password", "pw",
                "grpc.etcd.metadata.a b", "x", "grpc.etcd.tls.ca-file", "/no/such/ca.pem"), Map.of(), Map.of());
        loader.load();
        assertThat(loader.refusals()).hasSize(4).hasSameSizeAs(loader.problems())
                .noneMatch(refusal -> refusal.contains("Using the default") || refusal.contains("ignored")
                        || refusal.contains("not used") || refusal.contains("https endpoints fail"))
                .anySatisfy(refusal -> assertThat(refusal).contains("grpc.etcd.ttl", "'abc'", "2 to 3600"))
                .anySatisfy(refusal -> assertThat(refusal).contains("grpc.etcd.user"))
                .anySatisfy(refusal -> assertThat(refusal).contains("metadata key 'a b'"))
                .anySatisfy(refusal -> assertThat(refusal).contains("grpc.etcd.tls.ca-file", "/no/such/ca.pem"));
        for (int i = 0; i < loader.refusals().size(); i++) {
            assertThat(loader.problems().get(i)).startsWith(loader.refusals().get(i));
        }
    }

    @Test
    void anEndpointPortOutOfRangeIsRefused() {
        SettingsLoader loader = SettingsLoader.of(props("grpc.etcd.endpoints", "http://127.0.0.1:99999"), Map.of(),
                Map.of());
        loader.load();
        assertThat(loader.refusals()).singleElement().asString().contains("'http://127.0.0.1:99999'",
                "port out of range");
    }
}
