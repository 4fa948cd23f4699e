package dev.palaver.providers.offline;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * A shared library opened with the dynamic loader, and downcall handles to its functions. Libraries are
 * opened in the global arena: they stay mapped for the life of the process, as their C state is process-wide.
 */
// Calling C is what this class is for; the JVM runs with --enable-native-access=ALL-UNNAMED.
@SuppressWarnings("restricted")
final class NativeLibrary {
    private static final Linker LINKER = Linker.nativeLinker();

    private final String name;
    private final String installCommand;
    private final SymbolLookup lookup;

    private NativeLibrary(String name, String installCommand, SymbolLookup lookup) {
        this.name = name;
        this.installCommand = installCommand;
        this.lookup = lookup;
    }

    /** Opens {@code name} (a soname such as {@code libflite.so.1}, or a path) as {@code dlopen} would. */
    static NativeLibrary open(String name, String installCommand) throws EngineUnavailableException {
        try {
            return new NativeLibrary(name, installCommand, SymbolLookup.libraryLookup(name, Arena.global()));
        } catch (IllegalArgumentException e) {
            throw new EngineUnavailableException("native library " + name + " cannot be loaded", installCommand, e);
        }
    }

    String name() {
        return name;
    }

    MethodHandle function(String symbol, FunctionDescriptor descriptor) throws EngineUnavailableException {
        MemorySegment address = lookup.find(symbol).orElseThrow(() -> new EngineUnavailableException(
                "native library " + name + " has no function " + symbol + " (not the expected version)", installCommand));
        return LINKER.downcallHandle(address, descriptor);
    }
}
