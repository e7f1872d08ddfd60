package dev.corobridge.core

import java.io.BufferedReader
import java.io.ByteArrayInputStream
import java.io.ByteArrayOutputStream
import java.io.IOException
import java.io.InputStreamReader
import java.nio.charset.Charset
import java.nio.charset.MalformedInputException
import java.nio.charset.StandardCharsets.ISO_8859_1
import java.nio.charset.StandardCharsets.US_ASCII
import java.nio.charset.StandardCharsets.UTF_16LE
import java.nio.charset.StandardCharsets.UTF_8
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.random.Random
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** [LineSource] must split and decode exactly as the JDK's reader does, however input arrives. */
internal class LineSourceTest {
    @Test
    fun randomInputsSplitAndFailAsTheReaderDoes() {
        val random = Random(20261203)
        var malformed = 0
        for (charset in listOf(UTF_8, ISO_8859_1, UTF_8)) {
            repeat(10_000) {
                val input = randomInput(random, valid = random.nextInt(3) > 0)
                val expected = outcome { readerLines(input, charset) }
                val actual = outcome { batchedLines(input, charset, random) }
                if (expected is Class<*>) malformed++
                assertEquals(expected, actual) { "in $charset, for ${input.contentToString()}" }
            }
        }
        assertTrue(malformed > 1_000) { "malformed inputs tried: $malformed" }
    }

    @Test
    fun arrivingInputGivesTheLinesEachReadCompletesAndReplacesMalformedBytes() {
        val random = Random(7)
        repeat(5_000) {
            val input = randomInput(random, valid = random.nextBoolean())
            val expected = readerLines(input, UTF_8, report = false)
            val source =
                LineSource.of(
                    ShortReads(input, random),
                    UTF_8,
                    reportMalformed = false,
                    readSize = 64,
                )
            val lines = ArrayList<String>()
            while (true) lines.addAll(source.arrived() ?: break)
            assertEquals(expected, lines) { "for ${input.contentToString()}" }
            assertNull(source.arrived())
        }
    }

    @Test
    fun aLineLongerThanTheBufferComesWhole() {
        val longLine = "é".repeat(300_000) + "x".repeat(400_001)
        val input = "first\r$longLine\r\nlast".toByteArray(UTF_8)
        for (charset in listOf(UTF_8, UTF_16LE)) {
            val encoded = String(input, UTF_8).toByteArray(charset)
            assertEquals(
                listOf("first", longLine, "last"),
                batchedLines(encoded, charset, Random(1)),
            )
        }
    }

    @Test
    fun aBatchEndsAtItsLineCountOrItsTextBudget() {
        val input = "0123456789\n".repeat(100_000).toByteArray(UTF_8)
        LineSource.of(ByteArrayInputStream(input), UTF_8, reportMalformed = true, readSize = 256)
            .use { lines ->
                assertEquals(7, lines.next(7).size)
                assertEquals(LineSource.CHARS_PER_BATCH / 10 + 1, lines.next(1_000_000).size)
            }
    }

    @Test
    fun closingTheSourceClosesItsInput() {
        for (charset in listOf(UTF_8, UTF_16LE)) {
            val closed = AtomicBoolean()
            val input =
                object : ByteArrayInputStream(ByteArray(0)) {
                    override fun close() = closed.set(true)
                }
            LineSource.of(input, charset, reportMalformed = true, readSize = 256).close()
            assertTrue(closed.get(), charset.name())
        }
    }

    @Test
    fun otherCharsetsReportMalformedInputToo() {
        val source =
            LineSource.of(ByteArrayInputStream(byteArrayOf(-1)), US_ASCII, true, readSize = 8)
        assertThrows(MalformedInputException::class.java) { source.next(10) }
    }

    @Test
    fun aReadSizeBelowOneIsRefused() {
        val refused =
            assertThrows(IllegalArgumentException::class.java) {
                LineSource.of(ByteArrayInputStream(ByteArray(0)), UTF_8, true, readSize = 0)
            }
        assertEquals("readSize must be >= 1, was 0", refused.message)
    }

    private fun randomInput(random: Random, valid: Boolean): ByteArray {
        val text = ByteArrayOutputStream()
        repeat(random.nextInt(40)) {
            text.writeBytes(PIECES[random.nextInt(if (valid) PIECES.size - 4 else PIECES.size)])
        }
        return text.toByteArray()
    }

    private fun outcome(lines: () -> List<String>): Any =
        try {
            lines()
        } catch (failure: IOException) {
            failure.javaClass
        }

    private fun readerLines(
        input: ByteArray,
        charset: Charset,
        report: Boolean = true,
    ): List<String> {
        val decoder = charset.newDecoder()
        if (!report)
            decoder
                .replaceWith("\uFFFD")
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)
        val reader = BufferedReader(InputStreamReader(ByteArrayInputStream(input), decoder))
        return generateSequence { reader.readLine() }.toList()
    }

    /**
     * Batches of 1 to 4 lines, from an input giving 1 to 16 bytes a read into a buffer that grows.
     */
    private fun batchedLines(input: ByteArray, charset: Charset, random: Random): List<String> {
        val lines = ArrayList<String>()
        LineSource.of(
                ShortReads(input, random),
                charset,
                reportMalformed = true,
                readSize = 1 + random.nextInt(64),
            )
            .use { source ->
                while (true) lines.addAll(source.next(1 + random.nextInt(4)).ifEmpty { break })
            }
        return lines
    }

    private class ShortReads(bytes: ByteArray, private val random: Random) :
        ByteArrayInputStream(bytes) {
        @Synchronized
        override fun read(into: ByteArray, offset: Int, length: Int): Int {
            val most = if (count > 100_000) length else 1 + random.nextInt(16)
            return super.read(into, offset, minOf(length, most))
        }
    }

    private companion object {
        /** Pieces of input that meet at every boundary a split or a decode can get wrong. */
        val PIECES: List<ByteArray> =
            listOf(
                    "a",
                    "bc",
                    "\n",
                    "\r",
                    "\r\n",
                    "é",
                    "€",
                    "\uD83D\uDE00",
                    "\uFFFD",
                    "a plain line",
                )
                .map { it.toByteArray(UTF_8) } +
                listOf(
                    byteArrayOf(-1),
                    byteArrayOf(0xC3.toByte()),
                    byteArrayOf(0xE2.toByte(), 0x82.toByte()),
                    byteArrayOf(0xED.toByte(), 0xA0.toByte(), 0x80.toByte()),
                )
    }
}
