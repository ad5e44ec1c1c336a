package org.grpcetcd.agent.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.Map;
import org.grpcetcd.agent.bootstrap.Endpoint;
import org.junit.jupiter.api.Test;

class EndpointValuesTest {
    @Test
    void readsGoNamingJson() {
        Endpoint endpoint = EndpointValues.parse("{\"Op\":0,\"Addr\":\"127.0.0.1:50051\",\"Metadata\":null}");
        assertThat(endpoint.address()).isEqualTo(new InetSocketAddress("127.0.0.1", 50051));
        assertThat(endpoint.metadata()).isEmpty();
    }

    @Test
    void fieldNamesMatchCaseInsensitivelyAsInGo() {
        Endpoint endpoint = EndpointValues.parse("{\"addr\":\"127.0.0.1:1\",\"METADATA\":{\"zone\":\"a\",\"w\":2}}");
        assertThat(endpoint.address().getPort()).isEqualTo(1);
        assertThat(endpoint.metadata()).isEqualTo(Map.of("zone", "a", "w", "2"));
    }

    @Test
    void readsPlainHostPortAndBracketedIpv6() {
        assertThat(EndpointValues.parse(" 127.0.0.1:9000 ").address().getPort()).isEqualTo(9000);
        assertThat(EndpointValues.parse("[::1]:9001").address().getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void refusesWhatIsNoEndpoint() {
        assertThatThrownBy(() -> EndpointValues.parse("not-an-address")).hasMessageContaining("host:port");
        assertThatThrownBy(() -> EndpointValues.parse("127.0.0.1:99999")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> EndpointValues.parse("::1:80")).hasMessageContaining("brackets");
        assertThatThrownBy(() -> EndpointValues.parse("{\"Op\":0}")).hasMessageContaining("Addr");
        assertThatThrownBy(() -> EndpointValues.parse("{\"Op\":1,\"Addr\":\"127.0.0.1:1\"}"))
                .hasMessageContaining("delete");
        assertThatThrownBy(() -> EndpointValues.parse("{broken")).isInstanceOf(IllegalArgumentException.class);
    }
}
