package org.grpcetcd.it.support.containers;

import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Volume;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The Docker engine as the tests use it: etcd containers on the host's network, each labelled with the JVM that
 * made it. This JVM removes its own containers when it exits; leftovers of a JVM that is gone (killed, say) are
 * removed the first time a JVM here talks to the engine. Containers of other running JVMs are left alone.
 */
public final class EtcdContainers {
    private static final String OWNER_LABEL = "org.grpcetcd.it.owner";
    private static final String OWNER = owner(ProcessHandle.current()).orElseThrow();
    private static final Set<String> MINE = ConcurrentHashMap.newKeySet();
    private static DockerClient docker;
    private static String image;

    private EtcdContainers() {
    }

    /** The engine's client; the first call fails the test, in one line, when no engine answers. */
    public static synchronized DockerClient docker() {
        if (docker == null) {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                fail("no Docker engine answers (DOCKER_HOST=" + System.getenv("DOCKER_HOST") + "): run the tests "
                        + "with scripts/run-tests.sh, which installs docker.io and starts dockerd for the run, "
                        + "or start a Docker engine and set DOCKER_HOST");
            }
            docker = DockerClientFactory.instance().client();
            removeLeftovers(docker);
            Runtime.getRuntime().addShutdownHook(new Thread(EtcdContainers::removeMine, "remove-etcd-containers"));
        }
        return docker;
    }

    /** The etcd image (see {@link EtcdImage}), resolved or built on first use. */
    public static synchronized String image() {
        if (image == null) {
            image = EtcdImage.resolve(docker());
        }
        return image;
    }

    /**
     * Creates and starts a container running {@code /usr/local/bin/etcd} with {@code arguments}, host network,
     * the {@code files} of this machine copied in at the same paths, and {@code logDir} mounted at its own path so
     * that etcd writes its log straight there: through the container's output, a busy engine that reads it late
     * would block etcd's writes and so etcd itself. (The mount is set on the create command: Testcontainers' own
     * mounts first try to pull an image to check that mounts work.) Returns once the container runs;
     * whether etcd is healthy is for the caller to check (a member of a new cluster is not, alone).
     */
    public static GenericContainer<?> start(List<String> arguments, List<Path> files, Path logDir) {
        String[] command = new String[arguments.size() + 1];
        command[0] = EtcdImage.ETCD;
        for (int i = 0; i < arguments.size(); i++) {
            command[i + 1] = arguments.get(i);
        }
        docker();
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image()))
                .withNetworkMode("host")
                .withLabel(OWNER_LABEL, OWNER)
                .withCommand(command)
                .waitingFor(new AbstractWaitStrategy() {
                    @Override
                    protected void waitUntilReady() {
                        // the fixture polls etcd's /health itself, also after docker start, stop and unpause
                    }
                });
        files.forEach(file -> container.withCopyFileToContainer(MountableFile.forHostPath(file), file.toString()));
        container.withCreateContainerCmdModifier(create -> create.getHostConfig()
                .withBinds(new Bind(logDir.toString(), new Volume(logDir.toString()))));
        container.start();
        MINE.add(container.getContainerId());
        return container;
    }

    /** Docker's view of the container now; empty once it is removed. */
    public static Optional<InspectContainerResponse.ContainerState> state(String id) {
        try {
            return Optional.of(docker().inspectContainerCmd(id).exec().getState());
        } catch (NotFoundException gone) {
            return Optional.empty();
        }
    }

    /** Removes the container, running or not. */
    public static void remove(String id) {
        try {
            docker().removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException gone) {
            // already removed
        }
        MINE.remove(id);
    }

    private static void removeMine() {
        for (String id : List.copyOf(MINE)) {
            try {
                remove(id);
            } catch (RuntimeException e) {
                System.err.println("could not remove etcd container " + id + ": " + e);
            }
        }
    }

    private static void removeLeftovers(DockerClient docker) {
        List<Container> labelled = docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of(OWNER_LABEL)).exec();
        for (Container container : labelled) {
            String owner = container.getLabels().get(OWNER_LABEL);
            if (!ownerAlive(owner)) {
                docker.removeContainerCmd(container.getId()).withForce(true).withRemoveVolumes(true).exec();
            }
        }
    }

    /** {@code <pid>@<start time in ms>}: a pid alone could name a newer process after the old one died. */
    private static Optional<String> owner(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli)
                .map(started -> process.pid() + "@" + started);
    }

    private static boolean ownerAlive(String owner) {
        try {
            long pid = Long.parseLong(owner.substring(0, owner.indexOf('@')));
            return ProcessHandle.of(pid).flatMap(EtcdContainers::owner).map(owner::equals).orElse(false);
        } catch (RuntimeException malformed) {
            return false;
        }
    }
}
