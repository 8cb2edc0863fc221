package dev.nncore.keras;

import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/**
 * Run in a JVM of its own by {@link MemoryModelTest}: every {@link KerasFuzzTest} test, outside JUnit, with the
 * system properties it was started with ({@code -Dnncore.fuzz.defaultLimits=true}, {@code -Dnncore.fuzz.variants=N}).
 * Exits with status 1 and the failure on the first test that fails.
 */
final class FuzzProbe {

    private FuzzProbe() {
    }

    public static void main(String[] args) throws Exception {
        int run = 0;
        for (Method method : KerasFuzzTest.class.getDeclaredMethods()) {
            if (method.isAnnotationPresent(Test.class)) {
                method.setAccessible(true);
                try {
                    method.invoke(new KerasFuzzTest());
                } catch (java.lang.reflect.InvocationTargetException e) {
                    System.out.println(method.getName() + ": " + e.getCause());
                    System.exit(1);
                }
                run++;
            }
        }
        System.out.println(run + " fuzz tests passed");
    }
}
