package org.grpcetcd.agent.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class EtcdBytesTest {
    private static String decoded(String base64) {
        return new String(Base64.getDecoder().decode(base64), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @Test
    void prefixRangeEndIsThePrefixWithItsLastByteIncremented() {
        assertThat(decoded(EtcdBytes.prefixRangeEnd("orders/"))).isEqualTo("orders0");
    }

    @Test
    void roundTripsUtf8() {
        assertThat(EtcdBytes.decode(EtcdBytes.encode("svc/é:1"))).isEqualTo("svc/é:1");
        assertThat(EtcdBytes.decode(null)).isEmpty();
    }
}
