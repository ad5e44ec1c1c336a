package org.grpcetcd.it.support.containers;

import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.grpcetcd.it.support.Binaries;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The etcd image the tests run: {@code -Dit.etcd.image=<image>} if given (any image with {@code
 * /usr/local/bin/etcd}, such as {@code gcr.io/etcd-development/etcd:v3.5.17}), otherwise one built here from the
 * machine's own etcd binary: {@code FROM scratch} with etcd, etcdctl and the C library files they load, so no
 * registry is needed. It is built once per engine and reused while its tag (the etcd version) matches.
 */
final class EtcdImage {
    static final String PROPERTY = "it.etcd.image";
    static final String ETCD = "/usr/local/bin/etcd";
    private static final Pattern VERSION = Pattern.compile("etcd Version: (\\S+)");
    private static final Pattern LDD_PATH = Pattern.compile("(/\\S+) \\(0x");

    private EtcdImage() {
    }

    static String resolve(DockerClient docker) {
        String configured = System.getProperty(PROPERTY, "").trim();
        if (!configured.isEmpty()) {
            return configured;
        }
        Path etcd = real(Binaries.etcd());
        Path etcdctl = real(Binaries.etcdctl());
        String tag = "grpc-etcd-agent-it/etcd:" + version(etcd) + "-local";
        try {
            docker.inspectImageCmd(tag).exec();
            return tag;
        } catch (NotFoundException absent) {
            return build(tag, etcd, etcdctl);
        }
    }

    private static String build(String tag, Path etcd, Path etcdctl) {
        StringBuilder dockerfile = new StringBuilder("FROM scratch\nCOPY etcd etcdctl /usr/local/bin/\n");
        ImageFromDockerfile image = new ImageFromDockerfile(tag, false)
                .withFileFromPath("etcd", etcd).withFileFromPath("etcdctl", etcdctl);
        Set<String> libraries = new LinkedHashSet<>(sharedLibraries(etcd));
        libraries.addAll(sharedLibraries(etcdctl));
        int index = 0;
        for (String library : libraries) {
            String name = "lib" + index++;
            image.withFileFromPath(name, real(Paths.get(library)));
            dockerfile.append("COPY ").append(name).append(' ').append(library).append('\n');
        }
        image.withFileFromString("Dockerfile", dockerfile.toString());
        try {
            return image.get(5, TimeUnit.MINUTES);
        } catch (Exception e) {
            return fail("could not build the etcd image " + tag + " from " + etcd + ": " + e, e);
        }
    }

    /** {@code etcd --version}'s version, such as 3.4.23. */
    private static String version(Path etcd) {
        String out = run(etcd.toString(), "--version");
        Matcher version = VERSION.matcher(out);
        return version.find() ? version.group(1) : fail(etcd + " --version printed no version: " + out);
    }

    /** The files {@code ldd} says the executable loads (none for a static binary). */
    private static Set<String> sharedLibraries(Path executable) {
        Set<String> libraries = new LinkedHashSet<>();
        Matcher path = LDD_PATH.matcher(run("ldd", executable.toString()));
        while (path.find()) {
            libraries.add(path.group(1));
        }
        return libraries;
    }

    private static Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
