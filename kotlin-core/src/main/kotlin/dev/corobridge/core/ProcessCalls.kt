package dev.corobridge.core

import java.io.File
import java.io.IOException
import java.io.InputStream
import java.nio.charset.Charset
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicReference
import java.util.function.Function
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.InternalCoroutinesApi
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.async
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.future.await
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext

/**
 * The engine side of `dev.corobridge.io`'s subprocesses: child processes whose waits are tasks.
 * Starting one (a fork and exec) and reading or writing its pipes block, so they run on the IO
 * threads, never on a loop.
 *
 * Ending a process ends what it started too: the process and its descendants (as found while it
 * runs) get SIGTERM, and whatever is left after the grace period SIGKILL; the ending is over once
 * every one of them has exited (the JDK reaps its own child; orphaned descendants are reaped by
 * init). Cancelling [run], or a wait for a process's exit, ends the process that way.
 */
@InternalCorobridgeApi
public object ProcessCalls {
    private val starter = TaskStarter { DefaultTasks.newTask<Any?>() }

    @JvmSynthetic internal fun starter(): TaskStarter = starter

    /**
     * A started task: starts [command], writes [input] (if any) to its stdin and closes it, reads
     * its stdout and stderr to their ends, and waits for it to exit; its value is [result] of what
     * the process left. Cancelling the task ends the process (see [ProcessCalls]); the task ends
     * once it and its descendants have exited.
     */
    @OptIn(InternalCoroutinesApi::class)
    @JvmStatic
    public fun <R> run(
        command: ProcessBuilder,
        input: ByteArray?,
        charset: Charset,
        graceNanos: Long,
        result: Function<ProcessOutput, R>,
    ): TaskFuture<R> =
        starter.start(
            starter.currentContext() + Dispatchers.IO,
            null,
            takesAwaitersCancellation = true,
        ) {
            val child = ChildProcess.start(command, charset, graceNanos)
            // Ended the moment this task is cancelled: its pipes then reach their ends, and the
            // reads below return.
            val endsOnCancel =
                invokeOnCompletion(onCancelling = true, invokeImmediately = true) { cause ->
                    if (cause != null) child.end(forcibly = false)
                }
            try {
                coroutineScope {
                    val stderr = async { child.process.errorStream.readAllBytes() }
                    if (input == null) child.feed(null) else launch { child.feed(input) }
                    // Read here, on this task's own IO thread: a cancellation ends the process
                    // (above), and the read then reaches the end of the pipe.
                    val stdout = child.process.inputStream.readAllBytes()
                    val exitCode = child.process.onExit().await().exitValue()
                    result.apply(ProcessOutput(exitCode, stdout, stderr.await()))
                }
            } finally {
                endsOnCancel.dispose()
                withContext(NonCancellable) { child.close().await() }
            }
        }

    /**
     * A started task whose value is [handle] of [command]'s process, started on the IO threads. A
     * process that nobody receives (the task was cancelled meanwhile) is ended and closed.
     */
    @JvmStatic
    public fun <R> start(
        command: ProcessBuilder,
        charset: Charset,
        graceNanos: Long,
        handle: Function<ChildProcess, R>,
    ): TaskFuture<R> {
        val started = AtomicReference<ChildProcess?>()
        return Coordination.waiting({ _ -> started.get()?.close() }) {
            try {
                withContext(Dispatchers.IO) {
                    started.set(ChildProcess.start(command, charset, graceNanos))
                }
                handle.apply(started.get()!!)
            } catch (e: Throwable) {
                started.get()?.let { child ->
                    withContext(NonCancellable) { child.close().await() }
                }
                throw e
            }
        }
    }
}

/** What a finished process left: its exit code and everything it wrote. */
@InternalCorobridgeApi
public class ProcessOutput
internal constructor(
    @get:JvmName("exitCode") public val exitCode: Int,
    @get:JvmName("stdout") public val stdout: ByteArray,
    @get:JvmName("stderr") public val stderr: ByteArray,
)

/**
 * A running child process: its output as flows of lines, writes to its input, and its end as tasks.
 * Its stdout and stderr are each read once, by a reader on the IO threads that stays a few batches
 * of lines ahead of whoever collects them: a process whose output nobody reads blocks on its full
 * pipe, as it would writing to a slow terminal.
 */
@InternalCorobridgeApi
public class ChildProcess
private constructor(
    @get:JvmName("process") public val process: Process,
    private val charset: Charset,
    private val graceNanos: Long,
) {
    /** The descendants found each time the process was signalled: they outlive it as orphans. */
    private val descendants: MutableSet<ProcessHandle> = ConcurrentHashMap.newKeySet()
    private val killLater = AtomicBoolean()
    private val gone: CompletableFuture<Unit> by lazy { whenAllExited() }
    private val closing = AtomicReference<CompletableFuture<Void?>?>()
    private val writes = SemaphoreCore(1)
    private val stdout = LineReader(process.inputStream, charset)
    private val stderr = LineReader(process.errorStream, charset)

    /** The lines the process writes to stdout; read once (a second flow goes on where one left). */
    public fun outputLines(): Flow<String> = stdout.lines()

    /** The lines the process writes to stderr; read once. */
    public fun errorLines(): Flow<String> = stderr.lines()

    /**
     * A started task writing [bytes] to the process's stdin, after the writes started before it. A
     * write to a full pipe waits until the process reads; it cannot be interrupted, and ends at the
     * latest when the process does.
     */
    public fun write(bytes: ByteArray): TaskFuture<Void?> = onInput {
        it.write(bytes)
        it.flush()
    }

    /** A started task closing the process's stdin (its end of input), after the writes before. */
    public fun closeInput(): TaskFuture<Void?> = onInput { it.close() }

    private fun onInput(step: (java.io.OutputStream) -> Unit): TaskFuture<Void?> {
        val starter = ProcessCalls.starter()
        // Takes its place in line in the caller's turn, so that writes go in the order they came.
        return starter.start(
            starter.currentContext(),
            null,
            startsInPlace = true,
            takesAwaitersCancellation = true,
        ) {
            writes.acquire()
            try {
                withContext(Dispatchers.IO) { step(process.outputStream) }
                null
            } finally {
                writes.release()
            }
        }
    }

    /**
     * A started task whose value is the process's exit code, once it has exited. Cancelling it ends
     * the process (and waits for that): nothing is left running unwatched.
     */
    public fun exitCode(): TaskFuture<Int> {
        val starter = ProcessCalls.starter()
        return starter.start(starter.currentContext(), null, takesAwaitersCancellation = true) {
            try {
                process.onExit().await().exitValue()
            } catch (e: CancellationException) {
                withContext(NonCancellable) { end(forcibly = false).copy().await() }
                throw e
            }
        }
    }

    /**
     * Signals the process and its descendants now (SIGKILL if [forcibly], else SIGTERM and SIGKILL
     * after the grace period) and returns a started task whose value is the exit code, once all of
     * them have exited.
     */
    public fun terminate(forcibly: Boolean): TaskFuture<Int> {
        val ended = end(forcibly)
        val starter = ProcessCalls.starter()
        return starter.start(starter.currentContext(), null) {
            ended.copy().await()
            process.exitValue()
        }
    }

    /**
     * Ends the process if it still runs, waits for it and its descendants to exit and for its
     * output readers to stop, and closes its pipes. Idempotent: every call returns one future.
     */
    public fun close(): CompletableFuture<Void?> {
        closing.get()?.let {
            return it
        }
        val closed = CompletableFuture<Void?>()
        if (!closing.compareAndSet(null, closed)) return closing.get()!!
        val ended = if (process.isAlive) end(forcibly = false) else gone
        ended
            .thenCompose {
                closeQuietly(process.outputStream)
                CompletableFuture.allOf(stdout.stop(), stderr.stop())
            }
            .whenComplete { _, failure ->
                closeQuietly(process.inputStream)
                closeQuietly(process.errorStream)
                if (failure == null) closed.complete(null)
                else closed.completeExceptionally(failure)
            }
        return closed
    }

    /**
     * Signals the process and the descendants it has now (found through it only while it runs), and
     * returns a future that completes once all of them have exited.
     */
    @JvmSynthetic
    internal fun end(forcibly: Boolean): CompletableFuture<Unit> {
        signal(forcibly)
        if (!forcibly && killLater.compareAndSet(false, true)) {
            CompletableFuture.delayedExecutor(graceNanos, TimeUnit.NANOSECONDS).execute {
                if (!gone.isDone) signal(forcibly = true)
            }
        }
        return gone
    }

    private fun signal(forcibly: Boolean) {
        if (process.isAlive) process.descendants().forEach { descendants.add(it) }
        for (handle in descendants) if (forcibly) handle.destroyForcibly() else handle.destroy()
        if (forcibly) process.destroyForcibly() else process.destroy()
    }

    private fun whenAllExited(): CompletableFuture<Unit> {
        val all = CompletableFuture<Unit>()
        process.onExit().whenComplete { _, _ -> pollDescendants(all, 1) }
        return all
    }

    /** Orphans are not ours to wait for (the JDK would poll each every 300 ms): polled here. */
    private fun pollDescendants(all: CompletableFuture<Unit>, delayMillis: Long) {
        if (descendants.none { it.isAlive }) {
            all.complete(Unit)
            return
        }
        CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS).execute {
            pollDescendants(all, minOf(delayMillis * 2, 50))
        }
    }

    /**
     * Writes [input] to stdin and closes it; a process that exits without reading it all is fine.
     */
    @JvmSynthetic
    internal fun feed(input: ByteArray?) {
        try {
            process.outputStream.use { if (input != null) it.write(input) }
        } catch (e: IOException) {
            if (!isBrokenPipe(e)) throw e
        }
    }

    internal companion object {
        private val EXEC_ERROR = Regex("error(?:=|: )(\\d+)")

        private fun isBrokenPipe(e: IOException): Boolean =
            e.message.let { it != null && ("Broken pipe" in it || "Stream closed" in it) }

        private fun closeQuietly(stream: java.io.Closeable) {
            try {
                stream.close()
            } catch (_: IOException) {
                // the process is gone: nothing is left to flush or read
            }
        }

        /** Starts [command] on the calling thread, with errors that say what to do. */
        @JvmSynthetic
        internal fun start(
            command: ProcessBuilder,
            charset: Charset,
            graceNanos: Long,
        ): ChildProcess {
            val program = command.command().first()
            command.directory()?.let { directory ->
                if (!directory.isDirectory)
                    throw IOException(
                        "cannot run '$program' in $directory: that directory does not exist; " +
                            "give the process a working directory that does"
                    )
            }
            val process =
                try {
                    command.start()
                } catch (e: IOException) {
                    throw explained(program, e)
                }
            return ChildProcess(process, charset, graceNanos)
        }

        private fun explained(program: String, e: IOException): IOException {
            val message = e.message ?: return e
            val path =
                if (File.separatorChar in program) "" else " on the PATH (${System.getenv("PATH")})"
            // JDK 17: "error=2, No such file...", JDK 25: "Exec failed, error: 2 (No such...)".
            return when (EXEC_ERROR.find(message)?.groupValues?.get(1)) {
                "2" ->
                    IOException(
                        "cannot run '$program': no such program$path; give its full path, or " +
                            "install it",
                        e,
                    )
                "13" ->
                    IOException(
                        "cannot run '$program': permission denied; make it executable " +
                            "(chmod +x), or run it through its interpreter",
                        e,
                    )
                else -> e
            }
        }
    }
}

/**
 * Reads a stream's lines once, on the IO threads, into a buffer of a few batches: each batch holds
 * the lines that had come by the time the reader got to them, so a process writing a line now and
 * then has each line delivered at once, and one writing fast has many delivered per hop.
 */
private class LineReader(private val stream: InputStream, private val charset: Charset) {
    private val batches = Channel<List<String>>(BUFFERED_BATCHES)
    @Volatile private var failure: Throwable? = null
    private val stopped = CompletableFuture<Void?>()
    private val reader =
        READERS.launch(start = CoroutineStart.LAZY) {
                try {
                    readAll()
                } catch (e: CancellationException) {
                    throw e
                } catch (e: Throwable) {
                    failure = e
                }
            }
            .apply {
                invokeOnCompletion {
                    batches.close()
                    stopped.complete(null)
                }
            }

    fun lines(): Flow<String> =
        BatchedFlow(
            flow {
                reader.start()
                for (batch in batches) emit(batch)
                failure?.let { throw it }
            }
        )

    /**
     * Stops reading: a reader waiting for room in the buffer stops at once, one waiting for input
     * when its pipe ends (the process is gone by then). Completes when it has stopped.
     */
    fun stop(): CompletableFuture<Void?> {
        reader.cancel()
        return stopped
    }

    private suspend fun readAll() {
        // Not closed here: the process's streams are the JDK's to close when it has exited.
        val lines =
            LineSource.of(stream, charset, reportMalformed = false, readSize = PIPE_CAPACITY)
        while (true) {
            val arrived = lines.arrived() ?: break
            if (arrived.isNotEmpty()) batches.send(arrived)
        }
    }

    private companion object {
        const val BUFFERED_BATCHES = 4
        /** What a pipe holds on Linux: a read returns at most this much. */
        const val PIPE_CAPACITY = 1 shl 16
        val READERS = CoroutineScope(Dispatchers.IO + SupervisorJob())
    }
}
