package dev.corobridge.core

/**
 * Tells the user's stack frames from those of the JDK, of Kotlin and of corobridge itself, for
 * reports that point at the user's code (task dumps, debug mode). corobridge's frames are told by
 * where their classes were loaded from, not by their package: a user's code, or a test, may share
 * corobridge's package.
 */
internal object CallerFrames {
    /** The innermost frame of the user's code on [thread]'s stack, or null if it has none. */
    fun innermost(thread: Thread): StackTraceElement? {
        val loader = thread.contextClassLoader ?: CallerFrames::class.java.classLoader
        return thread.stackTrace.firstOrNull { !isEngineFrame(it, loader) }
    }

    /**
     * Where the calling thread entered corobridge: the frame of the corobridge method the user's
     * code called (the verb, such as `Async.sleep`), and up to [MAX_USER_FRAMES] of the user's
     * frames from there outward. Null when no user code is on the stack: the engine's own work.
     */
    fun entry(): CallSite? =
        WALKER.walk { frames ->
            var verb: StackWalker.StackFrame? = null
            var user: ArrayList<StackWalker.StackFrame>? = null
            for (frame in frames) {
                if (user == null) {
                    if (ENGINE_CLASS.get(frame.declaringClass)) {
                        if (frame.className.startsWith(PREFIX)) verb = frame
                        continue
                    }
                    user = ArrayList(MAX_USER_FRAMES)
                } else if (user.size == MAX_USER_FRAMES) break
                user.add(frame)
            }
            // Frames are kept as they are and turned into text only for a report: most tasks are
            // awaited and never reported.
            user?.let { CallSite(verb, it) }
        }

    private fun isEngineFrame(frame: StackTraceElement, loader: ClassLoader): Boolean {
        val name = frame.className
        if (PLATFORM_PACKAGES.any { name.startsWith(it) }) return true
        if (!name.startsWith(PREFIX)) return false
        val type =
            try {
                Class.forName(name, false, loader)
            } catch (e: ClassNotFoundException) {
                return false
            } catch (e: LinkageError) {
                return false
            }
        return ENGINE_CLASS.get(type)
    }

    /** Whether a class is the JDK's, Kotlin's or corobridge's: asked once per class. */
    private val ENGINE_CLASS =
        object : ClassValue<Boolean>() {
            override fun computeValue(type: Class<*>): Boolean {
                val name = type.name
                if (PLATFORM_PACKAGES.any { name.startsWith(it) }) return true
                return name.startsWith(PREFIX) && location(type) in ENGINE_LOCATIONS
            }
        }

    private fun location(type: Class<*>): String? =
        type.protectionDomain?.codeSource?.location?.toString()

    private const val PREFIX = "dev.corobridge."
    private const val FACADE = "dev.corobridge.Async"
    private const val MAX_USER_FRAMES = 12
    private val PLATFORM_PACKAGES = listOf("java.", "jdk.", "sun.", "kotlin.", "kotlinx.")
    private val WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)

    /** Where the engine's and the Java facade's classes come from. */
    private val ENGINE_LOCATIONS: Set<String> by lazy {
        val facade =
            try {
                Class.forName(FACADE, false, CallerFrames::class.java.classLoader)
            } catch (e: ClassNotFoundException) {
                null
            }
        setOfNotNull(location(CallerFrames::class.java), facade?.let(::location))
    }
}

/**
 * Where user code called into corobridge: the frame of the corobridge method it called (the verb,
 * `Async.sleep`), if one is on the stack, and the user's frames from the call outward.
 */
internal class CallSite(
    private val verbFrame: StackWalker.StackFrame?,
    private val userFrames: List<StackWalker.StackFrame>,
) {
    /** `Async.sleep`, or null. */
    val verb: String?
        get() = verbFrame?.let { "${it.declaringClass.simpleName}.${it.methodName}" }

    /** The user's frames, innermost first. */
    val frames: List<StackTraceElement>
        get() = userFrames.map { it.toStackTraceElement() }

    /** `Async.sleep at com.example.Main.main(Main.java:12)`. */
    override fun toString(): String {
        val at =
            userFrames[0].let {
                "${it.className}.${it.methodName}(${it.fileName}:${it.lineNumber})"
            }
        val verb = verb
        return if (verb == null) "at $at" else "$verb at $at"
    }
}
