package org.grpcetcd.agent.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdvertisedAddressTest {
    private static InetAddress ip(String text) throws UnknownHostException {
        return InetAddress.getByName(text);
    }

    @Test
    void aSpecificBindIsAdvertisedAsBound() {
        assertThat(new AdvertisedAddress(Optional.empty()).of(new InetSocketAddress("127.0.0.1", 50051)))
                .isEqualTo("127.0.0.1:50051");
    }

    @Test
    void theConfiguredAddressWins() {
        assertThat(new AdvertisedAddress(Optional.of("orders-1.internal")).of(new InetSocketAddress(8443)))
                .isEqualTo("orders-1.internal:8443");
    }

    @Test
    void aWildcardBindIsNeverAdvertisedAsTheWildcard() {
        String advertised = new AdvertisedAddress(Optional.empty()).of(new InetSocketAddress(7000));
        assertThat(advertised).endsWith(":7000").doesNotStartWith("0.0.0.0").doesNotStartWith("[::]");
    }

    @Test
    void routableHostPrefersIpv4AndSkipsLoopbackAndLinkLocal() throws UnknownHostException {
        assertThat(AdvertisedAddress.routableHost(List.of(ip("127.0.0.1"), ip("fe80::1"), ip("fd00::5"),
                ip("10.1.2.3")))).isEqualTo("10.1.2.3");
        assertThat(AdvertisedAddress.routableHost(List.of(ip("127.0.0.1"), ip("fd00::5")))).isEqualTo("fd00:0:0:0:0:0:0:5");
        assertThat(AdvertisedAddress.routableHost(List.of(ip("127.0.0.1")))).isEqualTo("127.0.0.1");
    }

    @Test
    void ipv6HostsGetBracketsAsInGo() {
        assertThat(AdvertisedAddress.join("::1", 80)).isEqualTo("[::1]:80");
        assertThat(AdvertisedAddress.join("fe80::1%eth0", 80)).isEqualTo("[fe80::1]:80");
        assertThat(AdvertisedAddress.join("host", 80)).isEqualTo("host:80");
    }
}
