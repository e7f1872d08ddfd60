package dev.corobridge

import java.io.IOException
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.coroutines.coroutineContext
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.delay

/** A Kotlin service with suspend functions, called from the Java tests through Async.suspending. */
class KotlinService {
    val events: MutableList<String> = CopyOnWriteArrayList()
    var lastThrown: Throwable? = null

    suspend fun immediate(x: Int): Int = x * 2

    suspend fun delayed(x: Int): Int {
        delay(10)
        return x * 3
    }

    suspend fun failsImmediately(): Int = throw IOException("at once").also { lastThrown = it }

    suspend fun failsLater(): Int {
        delay(10)
        throw IOException("later").also { lastThrown = it }
    }

    suspend fun hangs() {
        try {
            events += "kotlin started"
            awaitCancellation()
        } finally {
            events += "kotlin finally"
        }
    }

    suspend fun coroutineName(): String? = coroutineContext[CoroutineName]?.name

    suspend fun threadName(): String {
        delay(1)
        return Thread.currentThread().name
    }

    suspend fun <T> readAfterDelay(local: ThreadLocal<T>): T? {
        delay(5)
        return local.get()
    }
}
