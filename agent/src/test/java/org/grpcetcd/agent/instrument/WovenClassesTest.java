package org.grpcetcd.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reads gRPC's class files without loading the classes, which would keep them from {@link GrpcHooksWovenTest}'s
 * transformer in the same JVM.
 *
 * <p>The weaves the build made ({@code prewoven/}, by {@link PrewovenClassesGenerator}) are what the agent would weave
 * at run time, byte for byte, and a class file the build did not see is woven at run time. The test JVM runs the
 * newest gRPC the project supports, so a new release added to the project without its weave fails here.
 */
class WovenClassesTest {
    private static final String HOOKS = "org/grpcetcd/agent/bootstrap/GrpcHooks";

    private static final ClassLoader GRPC_LOADER = WovenClassesTest.class.getClassLoader();

    @ParameterizedTest
    @ValueSource(strings = {"io/grpc/internal/ServerImpl", "io/grpc/NameResolverRegistry"})
    void theBuildWoveTheClassFileOfTheGrpcThisJvmRunsExactlyAsTheAgentWouldNow(String hooked) throws IOException {
        byte[] classFile = classFileOf(hooked);

        byte[] prewoven = WovenClasses.prewoven(classFile);

        assertThat(prewoven).as("woven by the build for %s", hooked).isNotNull();
        assertThat(prewoven).isEqualTo(new HookWeaver().weave(hooked.replace('/', '.'), GRPC_LOADER, classFile));
        assertThat(constantPoolNames(prewoven)).contains(HOOKS);
        assertThat(constantPoolNames(classFile)).doesNotContain(HOOKS);
    }

    @Test
    void aClassFileAnotherAgentChangedFirstIsWovenNow() throws IOException {
        // the registry as another agent might hand it on: changed, so not among the build's weaves
        byte[] changed = new HookWeaver().weave(HookedGrpcClasses.NAME_RESOLVER_REGISTRY, GRPC_LOADER,
                classFileOf(HookedGrpcClasses.NAME_RESOLVER_REGISTRY_PATH));
        assertThat(WovenClasses.prewoven(changed)).isNull();

        byte[] woven = new WovenClasses().woven(HookedGrpcClasses.NAME_RESOLVER_REGISTRY, GRPC_LOADER, changed);

        assertThat(woven).as("woven by ByteBuddy now").isNotNull();
        assertThat(woven.length).as("a second hook's code added").isGreaterThan(changed.length);
    }

    private static byte[] classFileOf(String internalName) throws IOException {
        try (InputStream in = GRPC_LOADER.getResourceAsStream(internalName + ".class")) {
            return in.readAllBytes();
        }
    }

    /** The class file read as Latin-1: its constant pool's names then appear as they are. */
    private static String constantPoolNames(byte[] classFile) {
        return new String(classFile, StandardCharsets.ISO_8859_1);
    }
}
