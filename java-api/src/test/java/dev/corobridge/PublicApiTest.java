package dev.corobridge;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API, as a checked-in dump ({@code java-api/api/corobridge.api}): every change to it
 * shows in review. After a deliberate change, regenerate it with {@code mvn -B -pl
 * kotlin-core,java-api verify -Dtest=PublicApiTest -Dcorobridge.api.update=true}.
 */
class PublicApiTest {
    private static final Path DUMP = Path.of("api", "corobridge.api");

    @Test
    void thePublicApiMatchesTheCheckedInDump() throws Exception {
        String current = dump();
        if (Boolean.getBoolean("corobridge.api.update")) {
            Files.createDirectories(DUMP.getParent());
            Files.writeString(DUMP, current);
        }
        assertTrue(Files.exists(DUMP), "no API dump at " + DUMP.toAbsolutePath());
        String expected = Files.readString(DUMP);
        if (!expected.equals(current)) {
            fail(
                    "the public API changed; if that is deliberate, regenerate "
                            + DUMP
                            + " with -Dcorobridge.api.update=true\n"
                            + difference(expected, current));
        }
    }

    private static String difference(String expected, String current) {
        List<String> was = expected.lines().toList();
        List<String> now = current.lines().toList();
        var lines = new ArrayList<String>();
        was.stream().filter(line -> !now.contains(line)).forEach(line -> lines.add("- " + line));
        now.stream().filter(line -> !was.contains(line)).forEach(line -> lines.add("+ " + line));
        return String.join("\n", lines);
    }

    /** The exported packages of both modules, class by class, member by member. */
    static String dump() throws IOException, URISyntaxException {
        var out = new StringBuilder();
        for (var type : exportedTypes()) {
            out.append(describe(type)).append('\n');
            members(type).forEach(line -> out.append("  ").append(line).append('\n'));
            // What an API type inherits from the engine is API too.
            var engineSupertypes = new ArrayList<Class<?>>(Arrays.asList(type.getInterfaces()));
            if (type.getSuperclass() != null) engineSupertypes.add(type.getSuperclass());
            for (var supertype : engineSupertypes) {
                if (!supertype.getPackageName().equals("dev.corobridge.core")) continue;
                members(supertype)
                        .filter(line -> !line.contains(supertype.getName() + "("))
                        .forEach(line -> out.append("  inherited ").append(line).append('\n'));
            }
        }
        return out.toString();
    }

    private static Stream<String> members(Class<?> type) {
        return Stream.<Member>concat(
                        Stream.concat(
                                Arrays.stream(type.getDeclaredConstructors()),
                                Arrays.stream(type.getDeclaredMethods())),
                        Arrays.stream(type.getDeclaredFields()))
                .filter(PublicApiTest::visible)
                .map(PublicApiTest::describe)
                .sorted();
    }

    private static List<Class<?>> exportedTypes() throws IOException, URISyntaxException {
        var types = new ArrayList<Class<?>>();
        // Read from the module descriptors: a package exported later is in the dump at once.
        for (Class<?> anchor : List.of(Async.class, dev.corobridge.kotlin.InteropKt.class)) {
            for (String exported : exportedPackages(anchor))
                types.addAll(typesIn(anchor, exported));
        }
        return types.stream()
                .filter(type -> Modifier.isPublic(type.getModifiers()))
                .filter(type -> !type.isSynthetic())
                .sorted((a, b) -> a.getName().compareTo(b.getName()))
                .toList();
    }

    /** The packages the module of {@code anchor} exports to everyone. */
    private static List<String> exportedPackages(Class<?> anchor)
            throws IOException, URISyntaxException {
        Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isDirectory(location)) return exportedPackages(location);
        try (var jar = java.nio.file.FileSystems.newFileSystem(location)) {
            return exportedPackages(jar.getPath("/"));
        }
    }

    private static List<String> exportedPackages(Path root) throws IOException {
        try (var in = Files.newInputStream(root.resolve("module-info.class"))) {
            return java.lang.module.ModuleDescriptor.read(in).exports().stream()
                    .filter(export -> !export.isQualified())
                    .map(java.lang.module.ModuleDescriptor.Exports::source)
                    .sorted()
                    .toList();
        }
    }

    private static List<Class<?>> typesIn(Class<?> anchor, String packageName)
            throws IOException, URISyntaxException {
        Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isDirectory(location)) return typesIn(location, packageName);
        try (var jar = java.nio.file.FileSystems.newFileSystem(location)) {
            return typesIn(jar.getPath("/"), packageName);
        }
    }

    private static List<Class<?>> typesIn(Path root, String packageName) throws IOException {
        Path directory = root.resolve(packageName.replace('.', '/'));
        try (var files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".class") && !name.contains("-info"))
                    .map(name -> load(packageName + "." + name.substring(0, name.length() - 6)))
                    .collect(Collectors.toList());
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, PublicApiTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean visible(Member member) {
        int modifiers = member.getModifiers();
        if (member instanceof Executable executable && executable.isSynthetic()) return false;
        if (member instanceof Field field && field.isSynthetic()) return false;
        if (member instanceof java.lang.reflect.Method method && method.isBridge()) return false;
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static String describe(Class<?> type) {
        var line = new StringBuilder(Modifier.toString(type.getModifiers() & ~Modifier.INTERFACE));
        line.append(type.isInterface() ? " interface " : type.isEnum() ? " enum " : " class ");
        line.append(type.getName());
        var parameters = type.getTypeParameters();
        if (parameters.length > 0) {
            line.append(
                    Arrays.stream(parameters)
                            .map(java.lang.reflect.TypeVariable::getName)
                            .collect(Collectors.joining(", ", "<", ">")));
        }
        if (type.getGenericSuperclass() != null && type.getSuperclass() != Object.class) {
            line.append(" extends ").append(type.getGenericSuperclass().getTypeName());
        }
        var interfaces = type.getGenericInterfaces();
        if (interfaces.length > 0) {
            line.append(type.isInterface() ? " extends " : " implements ");
            line.append(
                    Arrays.stream(interfaces)
                            .map(java.lang.reflect.Type::getTypeName)
                            .collect(Collectors.joining(", ")));
        }
        return line.toString().trim();
    }

    private static String describe(Member member) {
        if (member instanceof java.lang.reflect.Method method) return method.toGenericString();
        if (member instanceof java.lang.reflect.Constructor<?> constructor) {
            return constructor.toGenericString();
        }
        return ((Field) member).toGenericString();
    }
}
