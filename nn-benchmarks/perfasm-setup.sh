#!/usr/bin/env bash
# Sets up JMH's perfasm profiler on a Debian machine with OpenJDK 17 (run as root): perf, and a disassembler for
# HotSpot's -XX:+PrintAssembly. Debian's libhsdis0-fcml exports only the old entry point, decode_instructions; JDK 17
# calls decode_instructions_virtual, so a small shim forwards one to the other. On a VM without hardware counters,
# sample cpu-clock:
#   java -jar nn-benchmarks/target/benchmarks.jar 'BackwardProductBenchmark.transposedAInPlace$' -p shape=784x64x128 \
#     -f 1 -wi 4 -i 4 -jvmArgsAppend "--add-modules=jdk.incubator.vector -Dbench.roundTripMillis=0" \
#     -prof 'perfasm:events=cpu-clock'
set -euo pipefail
apt-get install -y -q linux-perf libhsdis0-fcml gcc >/dev/null
jdk_lib="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib"
fcml="$(dpkg -L libhsdis0-fcml | grep 'libhsdis\.so\.0$')"
work="$(mktemp -d)"
cat > "$work/shim.c" <<C
#include <dlfcn.h>
#include <stdint.h>
typedef void *(*event_cb)(void *, const char *, void *);
typedef int (*printf_cb)(void *, const char *, ...);
typedef void *(*decode_fn)(void *, void *, event_cb, void *, printf_cb, void *, const char *);
/* HotSpot passes the code's own address as both start_va and buffer, so the old entry point can decode in place. */
void *decode_instructions_virtual(uintptr_t start_va, uintptr_t end_va, unsigned char *buffer, uintptr_t length,
        event_cb events, void *event_stream, printf_cb print, void *print_stream, const char *options, int newline) {
    static decode_fn decode;
    if (!decode) {
        void *fcml = dlopen("$fcml", RTLD_NOW);
        decode = fcml ? (decode_fn) dlsym(fcml, "decode_instructions") : 0;
        if (!decode) return 0;
    }
    return decode((void *) start_va, (void *) end_va, events, event_stream, print, print_stream, options);
}
C
rm -f "$jdk_lib/hsdis-amd64.so"   # the package may have linked its own library there
gcc -shared -fPIC -O2 -o "$jdk_lib/hsdis-amd64.so" "$work/shim.c" -ldl
rm -rf "$work"
java -XX:+UnlockDiagnosticVMOptions -XX:+PrintAssembly -version 2>&1 | grep -q -m1 'mov ' \
    && echo "perfasm ready: $jdk_lib/hsdis-amd64.so" || { echo "PrintAssembly still prints no instructions" >&2; exit 1; }
