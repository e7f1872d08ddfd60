package dev.corobridge.core

import java.io.Closeable
import java.io.InputStream
import java.io.InputStreamReader
import java.lang.invoke.MethodHandles
import java.lang.invoke.VarHandle
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.nio.charset.Charset
import java.nio.charset.CodingErrorAction
import java.nio.charset.StandardCharsets

private const val LF = '\n'.code
private const val CR = '\r'.code

/**
 * The lines of a byte stream, split as `BufferedReader.readLine` has them: at `\n`, `\r\n` or `\r`.
 * Files read it a batch at a time ([next]), process output as it comes ([arrived]). The one place
 * where corobridge splits lines: UTF-8 on its bytes, other charsets on their decoded chars.
 */
@InternalCorobridgeApi
public sealed class LineSource(private val input: Closeable) : Closeable {
    private var ended = false
    private var lineStart = 0
    /** Where the search for the line's end goes on: the units before it hold none. */
    private var searched = 0
    private var filled = 0
    /** The last line ended at a `\r`: a `\n` next ends nothing more. */
    private var afterReturn = false

    /**
     * Up to [max] lines, fewer once they hold [CHARS_PER_BATCH] chars; none only at the end. Reads
     * (and blocks) for as much input as that takes.
     */
    public fun next(max: Int): List<String> {
        val lines = ArrayList<String>(minOf(max, 1024))
        var chars = 0L
        while (lines.size < max && chars < CHARS_PER_BATCH) {
            val line = takeLine() ?: if (readMore()) continue else break
            lines.add(line)
            chars += line.length
        }
        return lines
    }

    /**
     * The lines completed by one read of the input, which returns what has come without waiting for
     * more (perhaps no line); null once the input has ended and its lines are taken.
     */
    public fun arrived(): List<String>? {
        if (!readMore()) return null
        val lines = ArrayList<String>()
        while (true) lines.add(takeLine() ?: break)
        return lines
    }

    override fun close() {
        input.close()
    }

    private fun readMore(): Boolean {
        if (ended) return false
        if (lineStart > 0) {
            moveToFront(lineStart, filled)
            filled -= lineStart
            searched -= lineStart
            lineStart = 0
        }
        if (filled == capacity()) {
            if (filled > Int.MAX_VALUE / 2) {
                throw java.io.IOException("a line is longer than a string can hold")
            }
            grow(filled * 2)
        }
        val read = readInto(filled)
        if (read < 0) ended = true else filled += read
        return true
    }

    /** The next complete line held, the unterminated rest once the input ended, or null. */
    private fun takeLine(): String? {
        if (afterReturn && lineStart < filled) {
            afterReturn = false
            if (unitAt(lineStart) == LF) searched = ++lineStart
        }
        val end = lineEnd(searched, filled)
        if (end == filled) {
            searched = end
            if (!ended || lineStart == filled) return null
            return text(lineStart, filled).also { lineStart = filled }
        }
        val line = text(lineStart, end)
        afterReturn = unitAt(end) == CR
        lineStart = end + 1
        searched = lineStart
        return line
    }

    // The buffer of bytes or chars, in units: index 0 is the first unit of the line under way.
    protected abstract fun capacity(): Int

    protected abstract fun grow(capacity: Int)

    protected abstract fun moveToFront(from: Int, to: Int)

    /** Reads into the buffer from [offset] on: the units read, or -1 at the end. */
    protected abstract fun readInto(offset: Int): Int

    protected abstract fun unitAt(index: Int): Int

    /** The index of the first `\n` or `\r` in units `[from, to)`, or [to]. */
    protected abstract fun lineEnd(from: Int, to: Int): Int

    protected abstract fun text(from: Int, to: Int): String

    public companion object {
        /**
         * A batch ends early at this many chars, so a batch holds about as much text whatever the
         * lines' length: log lines of 70 chars come some 7,500 to a batch, and long lines in small
         * steps. (Batches of 4,096 lines streamed a 1 GiB file about a fifth slower.)
         */
        public const val CHARS_PER_BATCH: Int = 1 shl 19

        /**
         * The lines of [input] in [charset], read [readSize] bytes or chars at a time (more for a
         * longer line); malformed input fails the read with a `MalformedInputException` if
         * [reportMalformed], else becomes U+FFFD. Closing the source closes the input.
         */
        @JvmStatic
        public fun of(
            input: InputStream,
            charset: Charset,
            reportMalformed: Boolean,
            readSize: Int,
        ): LineSource {
            require(readSize >= 1) { "readSize must be >= 1, was $readSize" }
            return if (charset == StandardCharsets.UTF_8)
                Utf8Lines(input, reportMalformed, readSize)
            else DecodedLines(input, charset, reportMalformed, readSize)
        }
    }
}

/**
 * UTF-8 split on its bytes, eight at a time, before decoding: no byte of a multi-byte sequence is a
 * `\n` or `\r`, so each line decodes alone, and the JDK decodes a whole line fastest. That is what
 * streams a large file faster than a reader, which decodes every char and then looks at each.
 */
private class Utf8Lines(
    private val input: InputStream,
    private val reportMalformed: Boolean,
    readSize: Int,
) : LineSource(input) {
    private var buffer = ByteArray(readSize)

    override fun capacity(): Int = buffer.size

    override fun grow(capacity: Int) {
        buffer = buffer.copyOf(capacity)
    }

    override fun moveToFront(from: Int, to: Int) {
        buffer.copyInto(buffer, 0, from, to)
    }

    override fun readInto(offset: Int): Int = input.read(buffer, offset, buffer.size - offset)

    override fun unitAt(index: Int): Int = buffer[index].toInt()

    /**
     * A word's bytes equal to `c` are the zero bytes of `word xor c`, and the lowest byte flagged
     * by `(x - ONES) and x.inv() and HIGH_BITS` is the first zero byte of `x`.
     */
    override fun lineEnd(from: Int, to: Int): Int {
        val bytes = buffer
        var i = from
        while (i <= to - Long.SIZE_BYTES) {
            val word = WORDS.get(bytes, i) as Long
            val feeds = word xor LINE_FEEDS
            val returns = word xor RETURNS
            val ends =
                ((feeds - ONES) and feeds.inv() or ((returns - ONES) and returns.inv())) and
                    HIGH_BITS
            if (ends != 0L) return i + (ends.countTrailingZeroBits() ushr 3)
            i += Long.SIZE_BYTES
        }
        while (i < to) {
            val unit = bytes[i].toInt()
            if (unit == LF || unit == CR) return i
            i++
        }
        return to
    }

    /**
     * Malformed input becomes U+FFFD in the JDK's fast decoding, so a line holding one is decoded
     * again, by a decoder that reports it, when malformed input must fail.
     */
    override fun text(from: Int, to: Int): String {
        val line = String(buffer, from, to - from, StandardCharsets.UTF_8)
        if (!reportMalformed || line.indexOf('\uFFFD') < 0) return line
        return StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(buffer, from, to - from))
            .toString()
    }

    private companion object {
        val WORDS: VarHandle =
            MethodHandles.byteArrayViewVarHandle(LongArray::class.java, ByteOrder.LITTLE_ENDIAN)
        const val ONES = 0x0101010101010101L
        const val HIGH_BITS = -0x7f7f7f7f7f7f7f80L // 0x8080808080808080
        const val LINE_FEEDS = 0x0A0A0A0A0A0A0A0AL
        const val RETURNS = 0x0D0D0D0D0D0D0D0DL
    }
}

/** Any other charset, split on the chars the JDK's decoder gives. */
private class DecodedLines(
    input: InputStream,
    charset: Charset,
    reportMalformed: Boolean,
    readSize: Int,
) : LineSource(input) {
    private val action =
        if (reportMalformed) CodingErrorAction.REPORT else CodingErrorAction.REPLACE
    private val reader =
        InputStreamReader(
            input,
            charset.newDecoder().onMalformedInput(action).onUnmappableCharacter(action),
        )
    private var buffer = CharArray(readSize)

    override fun capacity(): Int = buffer.size

    override fun grow(capacity: Int) {
        buffer = buffer.copyOf(capacity)
    }

    override fun moveToFront(from: Int, to: Int) {
        buffer.copyInto(buffer, 0, from, to)
    }

    override fun readInto(offset: Int): Int = reader.read(buffer, offset, buffer.size - offset)

    override fun unitAt(index: Int): Int = buffer[index].code

    override fun lineEnd(from: Int, to: Int): Int {
        var i = from
        while (i < to && buffer[i] != '\n' && buffer[i] != '\r') i++
        return i
    }

    override fun text(from: Int, to: Int): String = String(buffer, from, to - from)
}
