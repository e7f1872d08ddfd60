package dev.corobridge.core

import java.sql.Connection
import java.sql.ResultSet
import java.sql.SQLException
import java.sql.Statement
import java.util.concurrent.Callable
import java.util.concurrent.CancellationException
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.ThreadPoolExecutor
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import javax.sql.DataSource
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.InternalCoroutinesApi
import kotlinx.coroutines.Job
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.FlowCollector
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.withContext

/**
 * The engine side of `dev.corobridge.io`'s `Database`: JDBC calls as tasks. JDBC blocks, so every
 * call runs on threads of its own, never holding a loop's run permit; at most [limit] calls (or
 * transactions) hold a connection at once, and the rest wait in order (FIFO), as a pool of [limit]
 * connections would have them, without exhausting it.
 *
 * A cancelled call runs what it registered with its [CancelHook] (`Statement.cancel()`), so that
 * the driver's call returns; the task settles only once it has, and the connection has been closed
 * (back to the pool).
 */
@InternalCorobridgeApi
public class JdbcCalls(private val dataSource: DataSource, private val limit: Int) {
    private val permits = SemaphoreCore(limit)
    /**
     * [limit] threads of their own, as a pool of that many connections wants (measured: a third
     * faster than `Dispatchers.IO.limitedParallelism(limit)` on point queries); idle ones end.
     */
    private val threads: CoroutineDispatcher =
        ThreadPoolExecutor(limit, limit, 30, TimeUnit.SECONDS, LinkedBlockingQueue()) { work ->
                Thread(work, "corobridge-jdbc-" + THREAD_NUMBERS.incrementAndGet()).apply {
                    isDaemon = true
                }
            }
            .apply { allowCoreThreadTimeOut(true) }
            .asCoroutineDispatcher()

    /**
     * A started task: waits for a place, takes a connection, runs [work] on it off the loop, and
     * closes the connection, however the work ends.
     */
    public fun <T> withConnection(work: ConnectionWork<T>): TaskFuture<T> =
        starter
            // Starts on the connection threads, where it waits for a place: a finished statement
            // hands its place to the next one there, and settles its task there, without a round
            // trip through the loop.
            .start(starter.currentContext() + threads, null, takesAwaitersCancellation = true) {
                permits.acquire()
                try {
                    dataSource.connection.use { connection -> runCancellable(connection, work) }
                } finally {
                    permits.release()
                }
            }
            .also { it.isOperation = true }

    /**
     * A started task: [body] runs as a Java body inside a transaction pinned to one connection,
     * which it reaches through the [JdbcTransaction] it is given. Commits when the body returns;
     * rolls back when it fails or is cancelled; closes the connection after either.
     */
    public fun <T> transaction(body: JdbcBody<T>): TaskFuture<T> =
        Coordination.waiting {
            withoutAutoCommit { connection ->
                val transaction = JdbcTransaction(this@JdbcCalls, connection)
                committing(connection) {
                    try {
                        transaction.run(body)
                    } finally {
                        transaction.close()
                    }
                }
            }
        }

    /**
     * A query's rows as a cold flow: each collection waits for a place, takes a connection, runs
     * [query] on it (which returns an open result set), and reads [batch] rows at a time through
     * [reader], on the connection threads, emitting them to the collector from its own context. The
     * connection is held only while the flow is collected: it goes back when the rows end, the
     * reader fails, or the collector stops early or is cancelled.
     *
     * The query runs with auto-commit off (PostgreSQL streams a fetch size's rows at a time only
     * then), committed when the rows end and rolled back otherwise; auto-commit is restored before
     * the connection goes back.
     */
    public fun <R> rows(
        batch: Int,
        query: ConnectionWork<ResultSet>,
        reader: RowReader<R>,
    ): Flow<R> {
        require(batch >= 1) { "batch must be >= 1, was $batch" }
        return BatchedFlow(
            flow {
                withoutAutoCommit { connection -> streamRows(connection, batch, query, reader) }
            }
        )
    }

    private suspend fun <R> FlowCollector<List<R>>.streamRows(
        connection: Connection,
        batch: Int,
        query: ConnectionWork<ResultSet>,
        reader: RowReader<R>,
    ) {
        // Kept outside the hop, so that a cancellation as it returns cannot lose the open rows.
        var opened: ResultSet? = null
        committing(connection) {
            try {
                onConnectionThread { opened = runCancellable(connection, query) }
                val rows = opened!!
                emitBatches(batch) {
                    onConnectionThread {
                        runCancellable(connection) { _, cancels ->
                            rows.statement?.let { cancels.onCancel(it) }
                            val read = ArrayList<R>(minOf(batch, 1024))
                            while (read.size < batch && rows.next()) read.add(reader.read(rows))
                            read
                        }
                    }
                }
            } finally {
                opened?.let { rows -> finish(connection) { closeWithStatement(rows) } }
            }
        }
    }

    /**
     * Runs [work] and commits; rolls back when either fails or is cancelled (a failed rollback is
     * suppressed in the failure).
     */
    private suspend inline fun <T> committing(connection: Connection, work: () -> T): T {
        try {
            val result = work()
            finish(connection) { it.commit() }
            return result
        } catch (e: Throwable) {
            try {
                finish(connection) { it.rollback() }
            } catch (rollback: Throwable) {
                e.addSuppressed(rollback)
            }
            throw e
        }
    }

    private fun closeWithStatement(rows: ResultSet) {
        val statement = rows.statement
        try {
            rows.close()
        } finally {
            statement?.close()
        }
    }

    /**
     * Waits for a place, takes a connection with auto-commit off for [work], and gives it back with
     * auto-commit restored (a pool need not reset it), however the work ends.
     */
    private suspend inline fun <T> withoutAutoCommit(work: (Connection) -> T): T {
        permits.acquire()
        try {
            val connection = onConnectionThread { openWithoutAutoCommit() }
            try {
                return work(connection)
            } finally {
                finish(connection) {
                    try {
                        it.autoCommit = true
                    } finally {
                        it.close()
                    }
                }
            }
        } finally {
            permits.release()
        }
    }

    private fun openWithoutAutoCommit(): Connection {
        val connection = dataSource.connection
        try {
            connection.autoCommit = false
        } catch (e: SQLException) {
            connection.close()
            throw e
        }
        return connection
    }

    /** Runs a step of a transaction's end even if its task was cancelled: it must happen. */
    private suspend fun finish(connection: Connection, step: (Connection) -> Unit) {
        withContext(NonCancellable + threads) { step(connection) }
    }

    @JvmSynthetic
    internal suspend fun <T> onConnectionThread(block: suspend () -> T): T =
        withContext(threads) { block() }

    internal companion object {
        private val THREAD_NUMBERS = AtomicInteger()
        private val starter = TaskStarter { DefaultTasks.newTask<Any?>() }

        @JvmSynthetic internal fun starter(): TaskStarter = starter

        /**
         * Runs [work] on [connection] in the calling (connection) thread; a cancellation of the
         * calling coroutine meanwhile runs what the work registered, and the work's failure then
         * reads as that cancellation.
         */
        @OptIn(InternalCoroutinesApi::class)
        @JvmSynthetic
        internal suspend fun <T> runCancellable(
            connection: Connection,
            work: ConnectionWork<T>,
        ): T {
            val job = currentCoroutineContext()[Job]
            val hook = CancelHook()
            val handle =
                job?.invokeOnCompletion(onCancelling = true, invokeImmediately = true) {
                    hook.cancel()
                }
            try {
                if (job != null && job.isCancelled) throw job.getCancellationException()
                return work.run(connection, hook)
            } catch (e: Throwable) {
                if (hook.wasCancelled() && e !is CancellationException) {
                    throw CancellationException("the statement was cancelled with its task").apply {
                        initCause(e)
                    }
                }
                throw e
            } finally {
                handle?.dispose()
                hook.finish()
            }
        }
    }
}

/** Reads the current row of a result set (a Java row mapper). */
@InternalCorobridgeApi
public fun interface RowReader<R> {
    @Throws(SQLException::class) public fun read(row: ResultSet): R
}

/** A Java body run inside a transaction (or a savepoint of one): may await, may throw. */
@InternalCorobridgeApi
public fun interface JdbcBody<T> {
    @Throws(Exception::class) public fun run(transaction: JdbcTransaction): T
}

/** JDBC work on a connection: registers with [CancelHook] how to stop its statement. */
@InternalCorobridgeApi
public fun interface ConnectionWork<T> {
    @Throws(Exception::class) public fun run(connection: Connection, cancels: CancelHook): T
}

/**
 * Where blocking work registers how to stop it from another thread (`Statement.cancel()`): run
 * once, when the work's task is cancelled, and never after the work has finished.
 */
@InternalCorobridgeApi
public class CancelHook internal constructor() {
    private var action: Runnable? = null
    private var cancelled = false
    private var finished = false

    /** [action] runs if the task is cancelled while the work goes on; at once if it was already. */
    public fun onCancel(action: Runnable) {
        val now =
            synchronized(this) {
                this.action = action
                cancelled && !finished
            }
        if (now) runCatching { action.run() }
    }

    /** Cancels [statement] if the task is cancelled while the work goes on. */
    public fun onCancel(statement: Statement) {
        onCancel(Runnable { statement.cancel() })
    }

    @JvmSynthetic
    internal fun cancel() {
        val action =
            synchronized(this) {
                if (cancelled || finished) return
                cancelled = true
                action
            }
        runCatching { action?.run() } // a driver that cannot cancel: the call just runs out
    }

    @JvmSynthetic internal fun wasCancelled(): Boolean = synchronized(this) { cancelled }

    @JvmSynthetic
    internal fun finish() {
        synchronized(this) { finished = true }
    }
}

/**
 * One transaction's connection, used by one statement at a time (a JDBC connection is not for
 * concurrent use): a body may start several and await them together; they run in order. Savepoints
 * make nested transactions.
 */
@InternalCorobridgeApi
public class JdbcTransaction
internal constructor(private val calls: JdbcCalls, private val connection: Connection) {
    private val oneAtATime = SemaphoreCore(1)
    @Volatile private var open = true

    /** A started task running [work] on this transaction's connection, after the ones before. */
    public fun <T> call(work: ConnectionWork<T>): TaskFuture<T> {
        check(open) {
            "the transaction has ended: run statements on it only inside its body, before it returns"
        }
        return Coordination.waiting {
            check(open) { "the transaction ended before this statement could run" }
            oneAtATime.acquire()
            try {
                calls.onConnectionThread { JdbcCalls.runCancellable(connection, work) }
            } finally {
                oneAtATime.release()
            }
        }
    }

    /**
     * A started task: [body] inside a savepoint of this transaction, released when it returns,
     * rolled back to when it fails or is cancelled (the outer transaction goes on).
     */
    public fun <T> nested(body: JdbcBody<T>): TaskFuture<T> {
        check(open) { "the transaction has ended: nest only inside its body" }
        return Coordination.waiting {
            oneAtATime.acquire()
            val savepoint =
                try {
                    calls.onConnectionThread { connection.setSavepoint() }
                } finally {
                    oneAtATime.release()
                }
            try {
                val result = run(body)
                step { it.releaseSavepoint(savepoint) }
                result
            } catch (e: Throwable) {
                try {
                    step { it.rollback(savepoint) }
                } catch (rollback: Throwable) {
                    e.addSuppressed(rollback)
                }
                throw e
            }
        }
    }

    private suspend fun step(work: (Connection) -> Unit) {
        withContext(NonCancellable) {
            oneAtATime.acquire()
            try {
                calls.onConnectionThread { work(connection) }
            } finally {
                oneAtATime.release()
            }
        }
    }

    /** Runs [body] as a Java body, a child of the calling task, and returns its outcome. */
    @JvmSynthetic
    internal suspend fun <T> run(body: JdbcBody<T>): T {
        val task =
            JdbcCalls.starter()
                .startBody(currentCoroutineContext(), null, Callable { body.run(this) })
        awaitOrCancel(task)
        return task.outcome()
    }

    @JvmSynthetic
    internal fun close() {
        open = false
    }
}
