package dev.nncore.math;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The rule that keeps the Vector API kernel from allocating: every Vector API call sits where C2 compiles it in a
 * compilation of bounded size. C2 expands the API's intrinsics last, after inlining; in a large compilation (Dense's
 * forward with the whole product dispatch inlined) it can run out of node budget first and leave plain calls to the
 * API's Java fallbacks, which allocate every vector: a run-dependent failure of {@code BatchSplitTest} on CI. A method
 * of more than {@value #FREQ_INLINE_SIZE} bytes of bytecode (HotSpot's {@code FreqInlineSize}) is never inlined, so it
 * is the root of its own compilation; the kernel's public methods are small and are inlined into their callers. So no
 * small method that a public one reaches through small methods only may call {@code FloatVector}.
 */
class VectorKernelShapeTest {

    /** HotSpot's -XX:FreqInlineSize on x86-64 and AArch64: a hot method with more bytecode is not inlined. */
    private static final int FREQ_INLINE_SIZE = 325;

    private static final Pattern METHOD = Pattern.compile("^  (.*?)(\\w+)\\((.*)\\);$");
    private static final Pattern INSTRUCTION = Pattern.compile("^\\s+(\\d+): (\\w+)");
    private static final Pattern DESCRIPTOR = Pattern.compile("^\\s+descriptor: (\\S+)");
    private static final Pattern VECTOR_CALL = Pattern.compile("Method jdk/incubator/vector/(FloatVector|IntVector|VectorMask)\\.");
    private static final Pattern OWN_CALL = Pattern.compile("// Method (\\w+:\\S+)");

    @Test
    void noVectorCallIsInlinedIntoTheKernelsCallers() throws URISyntaxException {
        Set<String> exposed = checkRule("VectorKernel.class", true, "tile5x4Packed:");
        assertThat(exposed).as("reached from a public method through small methods only")
                .anyMatch(name -> name.startsWith("affinePacked:")).anyMatch(name -> name.startsWith("addBias:"));
    }

    /** The same rule for the softmax, whose entry ({@code apply}, package-private) the kernel's public method calls. */
    @Test
    void noVectorCallOfTheSoftmaxIsInlinedIntoItsCallers() throws URISyntaxException {
        Set<String> exposed = checkRule("VectorSoftmax.class", false, "group:");
        assertThat(exposed).as("reached from the entry through small methods only").anyMatch(name -> name.startsWith("apply:"));
    }

    /**
     * The other half of the rule: no vector crosses a call between the kernels' own methods. A method that takes or
     * returns a vector must be inlined, or C2 boxes each vector it passes (an allocation per vector, every call); above
     * 35 bytes of bytecode ({@code -XX:MaxInlineSize}) C2 inlines only where the call's profile says it is hot, and a
     * JVM whose compiler threads are starved on a loaded machine may compile without that profile.
     */
    @Test
    void noOwnMethodTakesOrReturnsAVector() throws URISyntaxException {
        for (String classFile : new String[] {"VectorKernel.class", "VectorSoftmax.class"}) {
            Map<String, Method> methods = methods(disassemble(classFile), false);
            assertThat(methods).as("%s's methods", classFile).isNotEmpty();
            assertThat(methods.keySet().stream().filter(name -> name.matches("[^:]+:\\(.*jdk/incubator/vector/.*")).sorted())
                    .as("methods of %s whose descriptor has a Vector API type", classFile).isEmpty();
        }
    }

    /**
     * Checks the rule on one class: its method named {@code root} calls the Vector API and is too large to inline, and
     * no small method reachable from an entry (a public method, or with {@code publicOnly} false any method that is not
     * private) through small methods only calls it.
     *
     * @return those reachable small methods, for the caller to check that the entries it expects are among them
     */
    private static Set<String> checkRule(String classFileName, boolean publicOnly, String root) throws URISyntaxException {
        Map<String, Method> methods = methods(disassemble(classFileName), publicOnly);
        Method big = methods.values().stream().filter(m -> m.name.startsWith(root)).findFirst().orElseThrow();
        assertThat(big.vector).as("%s calls the Vector API", big.name).isTrue();
        assertThat(big.size).as("%s's bytecode", big.name).isGreaterThan(FREQ_INLINE_SIZE);
        Set<String> exposed = new HashSet<>();
        methods.values().stream().filter(m -> m.isPublic && m.size <= FREQ_INLINE_SIZE).forEach(m -> expose(m, methods, exposed));
        assertThat(exposed.stream().filter(name -> methods.get(name).vector).sorted())
                .as("small methods of %s that call the Vector API and can be inlined into its callers", classFileName).isEmpty();
        return exposed;
    }

    private static void expose(Method method, Map<String, Method> methods, Set<String> exposed) {
        if (!exposed.add(method.name)) {
            return;
        }
        for (String callee : method.calls) {
            Method m = methods.get(callee);
            if (m != null && m.size <= FREQ_INLINE_SIZE) {
                expose(m, methods, exposed);
            }
        }
    }

    private static String disassemble(String classFileName) throws URISyntaxException {
        Path classFile = Path.of(MatrixOps.class.getResource(classFileName).toURI());
        ToolProvider javap = ToolProvider.findFirst("javap").orElseThrow();
        StringWriter out = new StringWriter();
        int status = javap.run(new PrintWriter(out), new PrintWriter(out), "-c", "-p", "-s", classFile.toString());
        assertThat(status).as("javap: %s", out).isZero();
        return out.toString();
    }

    /**
     * Methods by name and descriptor ({@code addBias:([F[FI)V}, as javap names a call), from {@code javap -c -p -s}. A
     * method's size is its last instruction's offset plus one (a return, one byte). Entries: the public methods, or
     * with {@code publicOnly} false every method that is not private.
     */
    private static Map<String, Method> methods(String listing, boolean publicOnly) {
        Map<String, Method> methods = new HashMap<>();
        Method current = null;
        String name = null;
        boolean isPublic = false;
        for (String line : listing.split("\n")) {
            Matcher header = METHOD.matcher(line);
            if (header.matches()) {
                name = header.group(2);
                isPublic = publicOnly ? header.group(1).contains("public") : !header.group(1).contains("private");
                current = null;
                continue;
            }
            Matcher descriptor = DESCRIPTOR.matcher(line);
            if (descriptor.find() && name != null) {
                current = new Method(name + ":" + descriptor.group(1), isPublic);
                methods.put(current.name, current);
                name = null;
                continue;
            }
            if (current == null) {
                continue;
            }
            Matcher instruction = INSTRUCTION.matcher(line);
            if (instruction.find()) {
                current.size = Integer.parseInt(instruction.group(1)) + 1;
            }
            current.vector |= VECTOR_CALL.matcher(line).find();
            Matcher call = OWN_CALL.matcher(line);
            if (call.find()) {
                current.calls.add(call.group(1));
            }
        }
        return methods;
    }

    private static final class Method {
        final String name;
        final boolean isPublic;
        final Set<String> calls = new HashSet<>();
        boolean vector;
        int size;

        Method(String name, boolean isPublic) {
            this.name = name;
            this.isPublic = isPublic;
        }
    }
}
