package dev.corobridge.core

import java.io.File
import java.lang.reflect.Member
import java.lang.reflect.Modifier
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * Kotlin `internal` is public in bytecode, only with a mangled name: Java source could call
 * `task.settle$corobridge_kotlin_core(null)` and complete a task behind its coroutine's back. Every
 * such member of the engine must be synthetic (`@JvmSynthetic`), which javac refuses to call.
 */
class SealedSurfaceTest {
    @Test
    fun noInternalMemberOfTheEngineIsCallableFromJavaSource() {
        val callable =
            engineClasses()
                .filter { Modifier.isPublic(it.modifiers) && reachesJava(it) }
                .flatMap { type ->
                    val members: List<Member> =
                        type.declaredMethods.toList() + type.declaredFields.toList()
                    members
                        .filter { !it.isSynthetic && '$' in it.name }
                        .filter {
                            Modifier.isPublic(it.modifiers) || Modifier.isProtected(it.modifiers)
                        }
                        .map { "${type.name}.${it.name}" }
                }
                .sorted()
        assertEquals(
            emptyList<String>(),
            callable,
            "mark these @JvmSynthetic (or make them private)",
        )
    }

    @Test
    fun theEngineCanOnlyBeConnectedByTheFacade() {
        val engine = Engine::class.java
        assertEquals(
            emptyList<String>(),
            engine.constructors.filter { !it.isSynthetic }.map { it.toString() },
            "Engine has a public constructor",
        )
    }

    /**
     * The engine types java-api touches: marked [InternalCorobridgeApi] (runtime retention for this
     * check), with their nested types. Kotlin-internal classes are sealed by the module descriptor,
     * which exports the engine package to the facade only.
     */
    private fun reachesJava(type: Class<*>): Boolean {
        var outer: Class<*>? = type
        while (outer != null) {
            if (outer.isAnnotationPresent(InternalCorobridgeApi::class.java)) return true
            outer = outer.enclosingClass
        }
        return false
    }

    @Test
    fun taskFutureIsCheckedAsATypeJavaReaches() {
        assertTrue(reachesJava(TaskFuture::class.java))
    }

    private fun engineClasses(): List<Class<*>> {
        val root = File(Engine::class.java.protectionDomain.codeSource.location.toURI())
        val packageDir = File(root, "dev/corobridge/core")
        return packageDir
            .listFiles { file -> file.name.endsWith(".class") }!!
            .map { Class.forName("dev.corobridge.core." + it.name.removeSuffix(".class")) }
    }
}
