package org.grpcetcd.agent.naming;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class KeyLayoutTest {
    @Test
    void etcdLayoutIsByteForByteWhatGoWrites() {
        assertThat(KeyLayout.ETCD.key("orders", "127.0.0.1:50051")).isEqualTo("orders/127.0.0.1:50051");
        assertThat(KeyLayout.ETCD.value("127.0.0.1:50051", Map.of()))
                .isEqualTo("{\"Op\":0,\"Addr\":\"127.0.0.1:50051\",\"Metadata\":null}");
    }

    @Test
    void configuredMetadataBecomesTheMetadataObject() {
        Map<String, String> metadata = new TreeMap<>(Map.of("zone", "eu-1", "version", "2\"b"));
        assertThat(KeyLayout.ETCD.value("h:1", metadata))
                .isEqualTo("{\"Op\":0,\"Addr\":\"h:1\",\"Metadata\":{\"version\":\"2\\\"b\",\"zone\":\"eu-1\"}}");
    }

    @Test
    void grpcEtcdLayoutIsTheArticlesPlainAddressUnderSlashGrpcEtcd() {
        assertThat(KeyLayout.GRPC_ETCD.key("orders", "10.0.0.1:80")).isEqualTo("/grpcEtcd/orders/10.0.0.1:80");
        assertThat(KeyLayout.GRPC_ETCD.value("10.0.0.1:80", Map.of("zone", "a"))).isEqualTo("10.0.0.1:80");
    }

    @Test
    void everyServicesPrefixLiesUnderItsLayoutsRoot() {
        assertThat(KeyLayout.ETCD.root()).isEmpty();
        assertThat(KeyLayout.GRPC_ETCD.root()).isEqualTo("/grpcEtcd/");
        assertThat(KeyLayout.GRPC_ETCD.prefix("orders")).isEqualTo("/grpcEtcd/orders/");
        assertThat(KeyLayout.ETCD.prefix("orders")).isEqualTo("orders/");
    }

    @Test
    void schemesMapToLayoutsInAnyCase() {
        assertThat(KeyLayout.forScheme("etcd")).isEqualTo(KeyLayout.ETCD);
        assertThat(KeyLayout.forScheme("grpcEtcd")).isEqualTo(KeyLayout.GRPC_ETCD);
        assertThat(KeyLayout.forScheme("dns")).isNull();
    }
}
