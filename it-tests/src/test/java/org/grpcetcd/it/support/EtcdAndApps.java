package org.grpcetcd.it.support;

import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What most test classes run against: one etcd for the whole class (its tests keep apart by unique service
 * names, and its container starts once instead of once a test), fresh app JVMs for each test, logged under the
 * test's name, and all of them stopped: the apps after each test, etcd's containers after the class.
 *
 * <p>Register it on a static field, so that etcd lives as long as the class: {@code @RegisterExtension static
 * final EtcdAndApps<EtcdServer> fixture = EtcdAndApps.server();}
 *
 * @param <E> the etcd handle the tests get: one etcd (which tests may also stop, kill, wipe and pause), or a
 *     cluster of three
 */
public final class EtcdAndApps<E extends AutoCloseable>
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private final Function<Class<?>, E> start;
    private final Function<E, String> endpoints;
    private E etcd;
    private EtcdCtl etcdctl;
    private Apps apps;

    private EtcdAndApps(Function<Class<?>, E> start, Function<E, String> endpoints) {
        this.start = start;
        this.endpoints = endpoints;
    }

    /** One etcd per class, on 127.0.0.1. */
    public static EtcdAndApps<EtcdServer> server() {
        return new EtcdAndApps<>(testClass -> EtcdServer.started(TestLogs.of(testClass).file("etcd.log")),
                EtcdServer::endpoint);
    }

    /**
     * The same as {@link #server()}, named for the fault tests that stop, kill, wipe or pause it: every etcd of
     * this fixture is a member of a cluster (of one here) and can be.
     */
    public static EtcdAndApps<EtcdServer> singleMember() {
        return server();
    }

    /** A cluster of three members (127.0.0.1, .2, .3) per class; apps and etcdctl get all three endpoints. */
    public static EtcdAndApps<EtcdCluster> threeMembers() {
        return new EtcdAndApps<>(testClass -> EtcdCluster.threeMembers(TestLogs.of(testClass)),
                EtcdCluster::endpoints);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        etcd = start.apply(context.getRequiredTestClass());
        etcdctl = new EtcdCtl(endpoints.apply(etcd));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (etcd != null) {
            etcd.close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        apps = new Apps(TestLogs.of(context), endpoints.apply(etcd));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        apps.close();
    }

    /** The class's etcd. */
    public E etcd() {
        return etcd;
    }

    /** etcdctl on the class's etcd. */
    public EtcdCtl etcdctl() {
        return etcdctl;
    }

    /** The app JVMs of the running test, on the class's etcd. */
    public Apps apps() {
        return apps;
    }
}
