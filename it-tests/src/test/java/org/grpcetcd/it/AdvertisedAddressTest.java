package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.EchoOutput;
import org.grpcetcd.it.support.EtcdAndApps;
import org.grpcetcd.it.support.EtcdEntry;
import org.grpcetcd.it.support.EtcdServer;
import org.grpcetcd.it.support.UniqueNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A server bound to the wildcard address is advertised under a dialable address: the configured
 * {@code advertise-address}, or else this host's first non-loopback IPv4 address.
 *
 * <p>These tests only read etcd: they never connect to the advertised non-loopback address.
 */
class AdvertisedAddressTest {
    private static final Duration REGISTERED_WITHIN = Duration.ofSeconds(10);

    @RegisterExtension
    static final EtcdAndApps<EtcdServer> fixture = EtcdAndApps.server();

    @Test
    void configuredAdvertiseAddressReplacesTheWildcard() {
        String service = UniqueNames.service("adv");
        AppProcess server = fixture.apps().server("A").args("0.0.0.0").service(service)
                .setting("advertise-address", "127.0.0.1").start();
        String hostPort = "127.0.0.1:" + EchoOutput.awaitReady(server);
        EtcdEntry entry = fixture.etcdctl().awaitEntry(service + "/" + hostPort, REGISTERED_WITHIN);
        assertThat(entry.value()).isEqualTo("{\"Op\":0,\"Addr\":\"" + hostPort + "\",\"Metadata\":null}");
        assertThat(fixture.etcdctl().entries(service + "/")).as("keys under %s/", service).hasSize(1);
    }

    /**
     * The expected host is one of the non-loopback, non-link-local IPv4 addresses of this machine's interfaces
     * that are up. A machine with none (only loopback) gets 127.0.0.1 instead, which the test then accepts; the
     * machines these tests run on have one (a container's eth0, for example).
     */
    @Test
    void wildcardBindIsAdvertisedAsANonLoopbackAddressOfThisHost() throws SocketException {
        Set<String> ownIpv4 = nonLoopbackIpv4Addresses();
        String service = UniqueNames.service("wild");
        AppProcess server = fixture.apps().server("A").args("0.0.0.0").service(service).start();
        int port = EchoOutput.awaitReady(server);
        EtcdEntry entry = fixture.etcdctl().awaitEntry(service + "/", REGISTERED_WITHIN, port);

        String hostPort = entry.hostPort();
        String host = hostPort.substring(0, hostPort.lastIndexOf(':'));
        assertThat(hostPort).endsWith(":" + port);
        assertThat(entry.value()).isEqualTo("{\"Op\":0,\"Addr\":\"" + hostPort + "\",\"Metadata\":null}");
        assertThat(host).isNotEqualTo("0.0.0.0");
        if (ownIpv4.isEmpty()) {
            System.out.println("AdvertisedAddressTest: this machine has no non-loopback IPv4 address; "
                    + "accepting 127.0.0.1");
            assertThat(host).isEqualTo("127.0.0.1");
        } else {
            assertThat(host).as("advertised host; this machine's non-loopback IPv4 addresses: %s", ownIpv4)
                    .doesNotStartWith("127.")
                    .isIn(ownIpv4);
        }
    }

    private static Set<String> nonLoopbackIpv4Addresses() throws SocketException {
        Set<String> addresses = new TreeSet<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()
                        && !address.isLinkLocalAddress() && !address.isAnyLocalAddress()) {
                    addresses.add(address.getHostAddress());
                }
            }
        }
        return addresses;
    }
}
