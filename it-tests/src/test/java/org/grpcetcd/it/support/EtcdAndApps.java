package org.grpcetcd.it.support;

import java.util.function.Function;
import org.grpcetcd.it.support.faults.EtcdCluster;
import org.grpcetcd.it.support.faults.EtcdMember;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What most test classes run against: one etcd for the whole class (its tests keep apart by unique service
 * names, and etcd starts once instead of once a test), fresh app JVMs for each test, logged under the test's
 * name, and all of them stopped: the apps after each test, etcd after the class.
 *
 * <p>Register it on a static field, so that etcd lives as long as the class: {@code @RegisterExtension static
 * final EtcdAndApps<EtcdServer> fixture = EtcdAndApps.server();}
 *
 * @param <E> the etcd handle the tests get: a plain server, or the member of a one-member cluster that fault
 *     tests stop, kill and restart
 */
public final class EtcdAndApps<E>
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private final Function<Class<?>, Started<E>> start;
    private Started<E> started;
    private EtcdCtl etcdctl;
    private Apps apps;

    private EtcdAndApps(Function<Class<?>, Started<E>> start) {
        this.start = start;
    }

    /** One etcd server per class. */
    public static EtcdAndApps<EtcdServer> server() {
        return new EtcdAndApps<>(testClass -> {
            EtcdServer etcd = EtcdServer.started(TestLogs.of(testClass).file("etcd.log"));
            return new Started<>(etcd, etcd.endpoint(), etcd);
        });
    }

    /** One single-member cluster per class, whose member a test may stop, kill or restart on the same ports. */
    public static EtcdAndApps<EtcdMember> singleMember() {
        return new EtcdAndApps<>(testClass -> {
            EtcdCluster cluster = EtcdCluster.single(TestLogs.of(testClass));
            return new Started<>(cluster.only(), cluster.only().endpoint(), cluster);
        });
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        started = start.apply(context.getRequiredTestClass());
        etcdctl = new EtcdCtl(started.endpoint);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (started != null) {
            started.closer.close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        apps = new Apps(TestLogs.of(context), started.endpoint);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        apps.close();
    }

    /** The class's etcd. */
    public E etcd() {
        return started.etcd;
    }

    /** etcdctl on the class's etcd. */
    public EtcdCtl etcdctl() {
        return etcdctl;
    }

    /** The app JVMs of the running test, on the class's etcd. */
    public Apps apps() {
        return apps;
    }

    /** A started etcd: the handle for the tests, its endpoint, and what stops it and removes its data. */
    private static final class Started<E> {
        final E etcd;
        final String endpoint;
        final AutoCloseable closer;

        Started(E etcd, String endpoint, AutoCloseable closer) {
            this.etcd = etcd;
            this.endpoint = endpoint;
            this.closer = closer;
        }
    }
}
