package dev.nncore.docs;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;

/**
 * Runs compiled examples in a JVM of their own, whose working directory holds the example files, in the order given.
 * Prints one line per example on standard output: {@code OK class} or {@code FAIL class line message}, where
 * {@code line} is the generated source line that failed (0 if unknown). The examples' own printing is discarded.
 */
public final class DocRunner {

    private DocRunner() {
    }

    public static void main(String[] args) {
        PrintStream report = System.out;
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(nowhere);
        System.setErr(nowhere);
        for (String className : args) {
            try {
                Class.forName(className).getMethod("run").invoke(null);
                report.println("OK " + className);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                int line = 0;
                for (StackTraceElement frame : cause.getStackTrace()) {
                    if (frame.getClassName().startsWith(className)) {
                        line = frame.getLineNumber();
                        break;
                    }
                }
                report.println("FAIL " + className + " " + line + " "
                        + String.valueOf(cause).replace("\\", "\\\\").replace("\n", "\\n"));
            } catch (ReflectiveOperationException | LinkageError e) {
                report.println("FAIL " + className + " 0 " + String.valueOf(e).replace("\n", "\\n"));
            }
        }
        report.flush();
    }
}
