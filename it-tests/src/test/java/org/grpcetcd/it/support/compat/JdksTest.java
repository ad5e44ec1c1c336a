package org.grpcetcd.it.support.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the matrix finds its JDKs, on fake JDK folders (a bin/java and a release file each). */
class JdksTest {
    @TempDir
    Path dir;

    private Path jdk(String name, String version) throws IOException {
        Path home = dir.resolve(name);
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("bin/java"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(home.resolve("bin/java"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"" + version + "\"\n");
        return home;
    }

    @Test
    void theVariableWinsThenTheJvmFolderThenThisJvm() throws IOException {
        Path folder = dir.resolve("jvm");
        Files.createDirectories(folder);
        Path elsewhere = jdk("elsewhere-25", "25.0.1");
        Path this17 = jdk("this-17", "17.0.9");
        Files.move(jdk("temurin-25-jdk-amd64", "25.0.3"), folder.resolve("temurin-25-jdk-amd64"));
        Files.move(jdk("java-21-openjdk-amd64", "21.0.2"), folder.resolve("java-21-openjdk-amd64"));

        assertThat(Jdks.find(25, "JAVA25_HOME", elsewhere.toString(), folder, this17)).contains(elsewhere);
        assertThat(Jdks.find(25, "JAVA25_HOME", null, folder, this17)).contains(folder.resolve("temurin-25-jdk-amd64"));
        assertThat(Jdks.find(17, "JAVA17_HOME", "", folder, this17)).contains(this17);
        assertThat(Jdks.find(11, "JAVA11_HOME", null, folder, this17)).isEmpty();
        assertThat(Jdks.find(17, "JAVA17_HOME", null, dir.resolve("no-such-folder"), this17)).contains(this17);
    }

    @Test
    void aVariablePointingAtTheWrongJdkIsNamedNotPassedOver() throws IOException {
        Path jdk21 = jdk("jdk-21", "21.0.2");
        assertThatThrownBy(() -> Jdks.find(25, "JAVA25_HOME", jdk21.toString(), dir, jdk21))
                .hasMessage("JAVA25_HOME=" + jdk21 + " is not a JDK 25 (it is Java 21); point JAVA25_HOME at a JDK 25"
                        + " or unset it");
        assertThatThrownBy(() -> Jdks.find(25, "JAVA25_HOME", "/nowhere", dir, jdk21))
                .hasMessageContaining("JAVA25_HOME=/nowhere is not a JDK 25 (no bin/java with a release file there)");
    }

    @Test
    void oldStyleVersionsReadAsTheirFeature() throws IOException {
        assertThat(Jdks.featureOf(jdk("jdk8", "1.8.0_412"))).contains(8);
        assertThat(Jdks.featureOf(jdk("jdk17", "17"))).contains(17);
    }

    @Test
    void thisMachinesJdksAreFound() {
        for (Jdks jdk : Jdks.values()) {
            assertThat(Path.of(jdk.java())).as("the java of %s", jdk).isExecutable();
        }
    }
}
