package dev.corobridge.testing

import java.nio.file.Path

/**
 * The command line of a new JVM for a test's own program: this JVM's `java`, the running tests'
 * classpath (surefire's, apart from its launcher jar), [jvmOptions], then [mainClass] and [args].
 */
object ChildJvm {
    @JvmStatic
    fun command(mainClass: String, jvmOptions: List<String>, args: List<String>): List<String> =
        listOf(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            classpath(),
        ) + jvmOptions + mainClass + args

    private fun classpath(): String =
        System.getProperty("surefire.test.class.path") ?: System.getProperty("java.class.path")
}
