package dev.corobridge.examples

import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.onCompletion

/**
 * A Kotlin service as a Kotlin team writes it: `suspend` functions and a `Flow`, with no Java
 * wrapper. [KotlinFromJava] calls it from Java through corobridge.
 */
class WeatherService {
    private val temperatures = mapOf("Oslo" to 4, "Lisbon" to 19, "Nairobi" to 24)

    /** Looks a temperature up, as a network call would: suspends, then answers. */
    suspend fun temperature(city: String): Int {
        delay(100)
        return temperatures[city] ?: throw NoSuchElementException("no station in $city")
    }

    /** Tomorrow and the days after, one reading at a time. */
    fun forecast(city: String): Flow<String> =
        flow {
                for (day in listOf("Mon", "Tue", "Wed", "Thu", "Fri")) {
                    delay(20)
                    emit("$city $day: ${temperature(city) + day.length}°C")
                }
            }
            .onCompletion { cause ->
                println("  (forecast stream closed${if (cause != null) ": cancelled" else ""})")
            }
}
