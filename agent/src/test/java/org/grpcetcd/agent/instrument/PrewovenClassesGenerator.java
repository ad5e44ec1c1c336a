package org.grpcetcd.agent.instrument;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Part of the agent's build (maven-antrun, before the jar is packed): weaves the hooks into the class files of each
 * gRPC release the build downloaded, with the same {@link HookWeaver} the agent runs, and writes each result to
 * {@code <classes>/prewoven/<CRC-32>-<length>} of the class file it came from, after that class file, where
 * {@link WovenClasses} finds it at run time. A release whose class cannot be woven fails the build: the list in
 * agent/pom.xml is of supported releases.
 *
 * <p>Arguments: the folder of the downloaded gRPC jars (grpc-api and grpc-core of each release), the classes folder.
 */
public final class PrewovenClassesGenerator {
    private PrewovenClassesGenerator() {
    }

    public static void main(String[] args) throws IOException {
        Path releases = Path.of(args[0]);
        Path out = Path.of(args[1]).resolve(WovenClasses.PREWOVEN);
        Files.createDirectories(out);
        try (Stream<Path> stale = Files.list(out)) { // from an earlier build without a clean
            for (Path file : (Iterable<Path>) stale::iterator) {
                Files.delete(file);
            }
        }
        List<Path> jars;
        try (Stream<Path> listed = Files.list(releases)) {
            jars = listed.filter(p -> p.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
        }
        TreeSet<String> written = new TreeSet<>();
        int woven = 0;
        for (Path jar : jars) {
            for (String className : List.of(HookedGrpcClasses.SERVER_IMPL, HookedGrpcClasses.NAME_RESOLVER_REGISTRY)) {
                byte[] classFile = read(jar, className);
                if (classFile == null) {
                    continue; // grpc-api holds the registry, grpc-core the server
                }
                byte[] result;
                try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
                    result = new HookWeaver().weave(className, loader, classFile);
                }
                if (result == null) {
                    throw new IllegalStateException(jar + ": " + className + " lacks the method its hook goes into");
                }
                String name = WovenClasses.nameOf(classFile);
                byte[] stored = concat(classFile, result);
                Path file = out.resolve(name);
                if (written.contains(name) && !Arrays.equals(Files.readAllBytes(file), stored)) {
                    throw new IllegalStateException(jar + ": " + className + " has the same CRC-32 and length as"
                            + " another class file; WovenClasses needs another name for it");
                }
                Files.write(file, stored);
                written.add(name);
                woven++;
            }
        }
        if (woven == 0) {
            throw new IllegalStateException("no gRPC class to weave in " + releases);
        }
        System.out.println("[prewoven] " + woven + " class files from " + jars.size() + " gRPC jars, "
                + written.size() + " distinct, in " + out);
    }

    /** The class file the weave came from, then the weave: {@link WovenClasses} checks the first against the JVM's. */
    private static byte[] concat(byte[] classFile, byte[] woven) {
        byte[] both = Arrays.copyOf(classFile, classFile.length + woven.length);
        System.arraycopy(woven, 0, both, classFile.length, woven.length);
        return both;
    }

    private static byte[] read(Path jar, String className) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(className.replace('.', '/') + ".class");
            if (entry == null) {
                return null;
            }
            try (InputStream in = zip.getInputStream(entry)) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(jar.toString(), e);
        }
    }
}
