package dev.corobridge.core

import java.util.concurrent.Callable
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater
import java.util.concurrent.locks.LockSupport
import kotlin.coroutines.ContinuationInterceptor
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CompletableJob
import kotlinx.coroutines.DisposableHandle
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancelChildren

/**
 * The task of a Java body run in direct style: the body runs on its own thread, and each `await()`
 * in it gives up the turn until the awaited future settles. Exactly one side holds the turn at any
 * moment.
 *
 * On an event loop the turn is the loop's run permit ([LoopDispatcher.permitHolder]), and the body
 * thread that gives it up keeps it for a while: it registers for the awaited future itself and then
 * runs the loop's ready tasks on its own thread until one of them resumes a body (possibly itself)
 * or none is left, when the loop's thread takes over. A hand-off from one body to the next is then
 * one thread switch, not two through the loop's thread, and a body whose future is already settled
 * by then switches no thread at all.
 *
 * On a parallel dispatcher there is no permit: the driver's part is a few steps run on the
 * dispatcher ([run]), with a completion callback on the awaited future in between, and bodies run
 * in parallel.
 *
 * A suspended body costs its thread, this object and one callback registration, and nothing per
 * await beyond that registration.
 *
 * Cancellation reaches the body once, as a `CancellationException` from the await it is parked in
 * (or its next one); later awaits run non-cancellably so that `finally` blocks can still await
 * their cleanup.
 */
internal open class JavaBody<T>(parentContext: CoroutineContext, future: TaskFuture<T>) :
    TaskCoroutine<T>(parentContext, future, takesAwaitersCancellation = true), Runnable {
    /** The task this body computes. */
    val task: TaskFuture<T>
        get() = future

    /** When this task was created, relative to the others: the order asyncio.run's sweep takes. */
    private val created = CREATED.incrementAndGet()

    /**
     * Started in place ([launchInPlace]): a block of the task awaiting it, not a task of its own.
     */
    private var isBlock = false

    /**
     * Started as a block ([launchInPlace]), in place or not (not on a parallel dispatcher): a body
     * that returned gives its value even if cancelled meanwhile, so what it took is not lost.
     */
    @Volatile private var partOfItsCaller = false

    /**
     * Where tasks the body launches belong: a job of their own under the loop's main task, as in
     * asyncio, where a task's end neither waits for the tasks it created nor cancels them (nor does
     * its failure). Only a cancellation of this task reaches them too: structure, DESIGN semantic
     * 4. Tasks launched once that cancellation was delivered (cleanup in `catch`/`finally`) get a
     *    fresh job, so that they are not cancelled at birth.
     */
    val launchContext: CoroutineContext
        get() = launches ?: newLaunchContext()

    /**
     * Where a sleep the body starts belongs: the body's own job, which costs nothing per sleep
     * (sleeps are awaited where they are started; one left unawaited delays the body's end); once
     * the body is cancelled, [launchContext], so that cleanup can still sleep.
     */
    val sleepContext: CoroutineContext
        get() = if (isCancelled) launchContext else context

    @Volatile private var launches: CoroutineContext? = null
    @Volatile private var launched: CompletableJob? = null

    private lateinit var body: Callable<T>
    private var runsIfItsDeadlinePassed = false
    private var cancelChildrenAfterBody = false
    @Volatile private var step = START
    private var bodyThreadStarted = false

    /** The loop whose run permit this body takes turns with; null on a parallel dispatcher. */
    var loop: LoopDispatcher? = null
        private set

    @Volatile private var turn = DRIVER
    private var bodyThread: Thread? = null

    // Written by the body before it yields, read by the driver after.
    private var awaited: CompletableFuture<*>? = null
    private var awaitedCancellable = true
    private var finished = false
    protected var value: T? = null
    protected var failure: Throwable? = null
    private var exitActions: MutableSet<Runnable>? = null

    /** The registration the driver is waiting on; whoever clears it resumes the body. */
    @Volatile @JvmField internal var waiter: Waiter? = null
    @Volatile private var cancellationDelivered = false
    /** A cancellation requested of the body alone, or again after the first was delivered. */
    @Volatile private var requested: CancellationException? = null
    @Volatile private var cancellation: CancellationException? = null // for the body to throw

    /**
     * The thread running the body, for debug mode's watchdog; read without synchronizing, so it may
     * be a moment late.
     */
    fun thread(): Thread? = bodyThread

    /** What the body awaits, for task dumps; read without synchronizing, like [thread]. */
    fun awaitedNow(): CompletableFuture<*>? = awaited

    /** The job of the tasks this body launched last, for task dumps; null if it launched none. */
    fun launchedJob(): Job? = launched

    /** The body has received its cancellation (body thread only). */
    var cancellationReceived: Boolean = false
        private set

    /**
     * Starts [body] on this task's dispatcher. A task cancelled before its first turn never runs
     * its body, unless [runsIfItsDeadlinePassed] and what cancelled it was its own deadline (like
     * asyncio's `timeout(0)`, whose block runs to its first await). With [cancelChildrenAfterBody]
     * (asyncio.run's main task) the tasks still running when the body returns are cancelled.
     */
    fun launch(
        body: Callable<T>,
        runsIfItsDeadlinePassed: Boolean = false,
        cancelChildrenAfterBody: Boolean = false,
    ) {
        prepare(body, runsIfItsDeadlinePassed, cancelChildrenAfterBody)
        dispatchStep(START)
    }

    /**
     * Starts a block that asyncio runs inside the awaiting task (`async with timeout(...)`, a task
     * group): called from a Java body on this loop, [body] runs now, in that body's turn, and this
     * returns once it first gives up the turn; its end resumes the task awaiting it in the same
     * turn. Called from elsewhere, it starts like [launch].
     */
    fun launchInPlace(body: Callable<T>, runsIfItsDeadlinePassed: Boolean = false) {
        prepare(body, runsIfItsDeadlinePassed, cancelChildrenAfterBody = false)
        partOfItsCaller = true
        val creator = current()
        val loop = loop
        if (creator == null || loop == null || creator.loop !== loop) return dispatchStep(START)
        endsInCallersTurn = true
        isBlock = true
        startedBy = creator
        // A cancellation the creator has yet to get is due at the block's first await: asyncio
        // delivers it at the task's next await, inside the block.
        creator.requested?.let {
            creator.requested = null
            requested = it
        }
        creator.turn = DRIVER
        step = START
        startBody() // hands the turn back to the creator when the body first yields, or at once
        creator.waitForTurn()
    }

    private fun prepare(
        body: Callable<T>,
        runsIfItsDeadlinePassed: Boolean,
        cancelChildrenAfterBody: Boolean,
    ) {
        val environment =
            context[TaskEnvironment] ?: error("a Java body needs a TaskEnvironment in its context")
        this.body = body
        this.runsIfItsDeadlinePassed = runsIfItsDeadlinePassed
        this.cancelChildrenAfterBody = cancelChildrenAfterBody
        // Exclusive environments exist only on loops (Engine.runLoop).
        if (environment.exclusive) loop = context[ContinuationInterceptor] as? LoopDispatcher
    }

    /** The body that started this block in place, until the block first gives up the turn. */
    private var startedBy: JavaBody<*>? = null
    protected var endsInCallersTurn: Boolean = false

    /** The block started in place gave up the turn for the first time: its creator goes on. */
    private fun handBackToCreator(): Boolean {
        val creator = startedBy ?: return false
        startedBy = null
        creator.handBodyTheTurn()
        return true
    }

    /** Parks the calling body's thread (this body's) until it has the turn again. */
    private fun waitForTurn() = parkUntilTurn()

    /**
     * A driver step, on the task's dispatcher; and the body thread's entry point, which is the only
     * call made while [bodyThreadStarted] is set at [START]. A lambda there would cost every
     * suspended body one more object and one more stack frame.
     */
    override fun run() {
        when (step) {
            START -> if (bodyThreadStarted) runBody() else startBody()
            BODY_YIELDED -> if (settleYield()) handBodyTheTurn()
            RESUME_BODY -> resumeBody()
        }
    }

    private fun startBody() {
        if (isCancelled && !(runsIfItsDeadlinePassed && cancelledByOwnDeadline())) {
            resumeWith(Result.failure(getCancellationException()))
            handBackToCreator()
            return
        }
        val loop = loop
        val holder = loop?.permitHolder
        try {
            turn = BODY
            bodyThreadStarted = true // before the start: the new thread reads it
            loop?.permitHolder = this // the new thread runs at once
            context[TaskEnvironment]!!.threads.start(this)
        } catch (e: Throwable) { // no thread for the body: the task fails, nothing is left behind
            if (loop != null && holder != null) loop.permitHolder = holder
            resumeWith(Result.failure(e))
            handBackToCreator()
        }
    }

    /**
     * The body gave up the turn: it finished, or it awaits a future. Returns true if it can resume
     * at once (a settled future, a pending cancellation); else registers for the future and returns
     * false.
     */
    private fun settleYield(): Boolean {
        if (finished) {
            finishBody()
            return false
        }
        val target = awaited!! // kept until the body resumes: see cancellationDue
        val cancellable = awaitedCancellable
        if (cancellable && target.outcomeComesFirst())
            return awaitOperation(target as TaskFuture<*>)
        if (cancellable && cancellationDue(target)) {
            deliverCancellation()
            abandon(target)
            return true
        }
        if (target.isSettled()) return true
        val onYield = ((target as? TaskFuture<*>)?.coroutine as? SleepCoroutine)?.isPendingYield
        val registration = Waiter(this, target, cancellable, onYield == true)
        waiter = registration
        registration.register(target)
        // A cancellation that came before `waiter` was set saw nothing to interrupt.
        if (
            !cancellable ||
                !cancellationPending() ||
                !WAITER.compareAndSet(this, registration, null)
        )
            return false
        registration.dispose()
        deliverCancellation()
        return true
    }

    /**
     * [settleYield] for a primitive's operation: asyncio runs it inside the awaiting task, where a
     * pending cancellation cancels what the wait awaits, if it waits at all. An operation that is
     * done (a permit taken at once) keeps its outcome and the cancellation stays due at the next
     * await; one still waiting is cancelled, and the body sees how it ended (given up, or done just
     * before), so that nothing it took is lost.
     */
    private fun awaitOperation(target: TaskFuture<*>): Boolean {
        if (target.isSettled) {
            settleWithOperation(target)
            return true
        }
        val registration = Waiter(this, target, true, false)
        waiter = registration
        registration.register(target)
        // A cancellation that came before `waiter` was set saw nothing to interrupt.
        if (cancellationPending()) interruptAwait()
        return false
    }

    /**
     * The body's pending cancellation, once the operation it awaited has ended: if the operation
     * took it (ended cancelled), that is the body's too; if it failed otherwise (its deadline came
     * first) it took nothing, and the cancellation is thrown now (asyncio's cancel count lets it
     * through an expired timeout); if it succeeded, its value comes first and the cancellation is
     * due at the next await.
     */
    private fun settleWithOperation(target: TaskFuture<*>) {
        if (!cancellationPending()) return
        if (target.isCancelled) takeCancellation()
        else if (target.isCompletedExceptionally) {
            target.markRetrieved()
            deliverCancellation()
        }
    }

    /**
     * An operation, or a block that could not start in place (no loop): what it took must reach the
     * body, so a cancellation goes to it rather than past it (see [awaitOperation]).
     */
    private fun CompletableFuture<*>?.outcomeComesFirst(): Boolean {
        if (this !is TaskFuture<*>) return false
        if (isOperation) return true
        val body = coroutine as? JavaBody<*> ?: return false
        return body.partOfItsCaller && !body.isBlock
    }

    /** Called by the registration when the awaited future settled, on any thread. */
    internal fun targetSettled(registration: Waiter) {
        if (!WAITER.compareAndSet(this, registration, null)) return
        val loop = loop
        if (loop != null && loop.resumesInTurn === registration.target) {
            // The turn that settled it is this body's own (asyncio's bare `yield`, or the end of
            // a block that asyncio runs inside the awaiting task).
            loop.resumesInTurn = null
            step = RESUME_BODY
            resumeBody()
        } else {
            dispatchStep(RESUME_BODY)
        }
    }

    private fun newLaunchContext(): CoroutineContext {
        val job = SupervisorJob(context[TaskEnvironment]?.root)
        launched = job
        // Set before the check: a cancellation that came meanwhile sees the job or is seen here.
        if (isCancelled && !cancellationDelivered) job.cancel(getCancellationException())
        return (context + job).also { launches = it }
    }

    override fun onCancelling(cause: Throwable?) {
        if (cause == null) return
        val launchedSoFar = launched // delivering the cancellation starts a fresh job
        // First what the body awaits: a task cancelled before gets this as a request of its own.
        interruptAwait()
        // A cancellation, not the body's own failure or its own CancellationException. (The end
        // of Async.run reaches every task itself, in the order asyncio's would.)
        if (cause is CancellationException && !finished && loop?.sweeping != true)
            launchedSoFar?.cancel(cause)
    }

    /**
     * Cancellation requested again after the first was delivered (asyncio: each `cancel()` of a
     * task still running is a request of its own; two before the first is delivered are one). The
     * body gets another `CancellationException` at its next cancellable await.
     */
    override fun cancelAgain() {
        if (finished) return
        markCancelledAgain()
        if (!cancellationDelivered) return // the first, still pending, stands for this one
        requestCancellation(getCancellationException())
    }

    /**
     * Cancels the body, not the task: it gets [cause] at its next cancellable await, and the task
     * ends as its body does (a task group cancelling its body when a child failed).
     */
    fun requestCancellation(cause: CancellationException) {
        if (finished || (isCancelled && !cancellationDelivered)) return
        requested = cause
        interruptAwait()
    }

    /**
     * True when this block was cancelled and ends without having taken it (see resumeWithOutcome).
     */
    protected open fun leavesCancellationToItsTask(): Boolean =
        isCancelled && !cancellationDelivered

    /** Forgets a cancellation requested of the body and not delivered yet. */
    protected fun dropRequestedCancellation() {
        requested = null
    }

    private fun cancellationPending(): Boolean =
        (isCancelled && !cancellationDelivered) || requested != null

    /**
     * A pending cancellation is thrown at an await that has settled, except when it settled a task
     * group with failures: asyncio throws it into the group's exit, where the failures win, and the
     * body gets it at its next await.
     */
    private fun cancellationDue(settled: CompletableFuture<*>?): Boolean {
        if (settled === forwardedTo) {
            forwardedTo = null
            // A group ending with failures re-cancels the task that it took a cancellation from.
            if (isFailedGroup(settled)) requested = requested ?: ownCancellation()
        }
        if (inheritFromBlock(settled)) return false
        // Asked again when the body resumes from that block: the block's outcome still comes first.
        if (settled != null && settled === inheritedAt) {
            inheritedAt = null
            return false
        }
        return cancellationPending() && !isFailedGroup(settled)
    }

    /**
     * A block is part of the task awaiting it: a cancellation it did not get to deliver is the
     * task's, due at its next await (the block's outcome comes first); true if there was one. A
     * timeout that expired uncontested takes one cancellation with it (asyncio's `uncancel()`).
     */
    fun inheritFromBlock(settled: CompletableFuture<*>?): Boolean {
        val block = (settled as? TaskFuture<*>)?.coroutine as? JavaBody<*> ?: return false
        if (!block.isBlock) return false
        val left = block.requested ?: return false
        block.requested = null
        if (block.cancelledByOwnDeadline() && block.timesOutOnItsDeadline) return false
        requested = requested ?: left
        inheritedAt = settled
        return true
    }

    /** The block whose undelivered cancellation this body took last. */
    private var inheritedAt: CompletableFuture<*>? = null

    private fun isFailedGroup(settled: CompletableFuture<*>?): Boolean =
        settled is TaskFuture<*> && settled.coroutine is GroupBody<*> && settled.endedWithFailure

    private fun ownCancellation(): CancellationException =
        if (isCancelled) getCancellationException()
        else CancellationException("Task '${future.name()}' was cancelled")

    /** What this body's cancellation was passed on to, until the body resumes from it. */
    private var forwardedTo: CompletableFuture<*>? = null

    /** Delivers a pending cancellation to the await the body is parked in, if it can take one. */
    private fun interruptAwait() {
        val registration = waiter ?: return
        // Awaiting a yield: its turn, queued already, resumes the body with the cancellation.
        if (registration.onYield) return
        if (!registration.cancellable || !cancellationPending()) return
        val target = registration.target
        if (((target as? TaskFuture<*>)?.coroutine)?.takesAwaitersCancellation == true) {
            // An operation is part of this task: it is asked to stop, and the cancellation stays
            // pending until the body sees how it ended (settleWithOperation).
            if (target.outcomeComesFirst()) {
                if (!target.isDone) target.cancelWork()
                return
            }
            // asyncio cancels what the task awaits and waits for it: the body sees its outcome.
            takeCancellation()
            forwardedTo = target
            if ((target.coroutine as? JavaBody<*>)?.partOfItsCaller == true) target.cancelWork()
            else target.cancel(false)
            return
        }
        if (WAITER.compareAndSet(this, registration, null)) {
            registration.dispose()
            deliverCancellation()
            abandon(target)
            dispatchStep(RESUME_BODY)
        }
    }

    /**
     * A sleep the body stopped awaiting because the cancellation came first is cancelled, as
     * asyncio cancels the future a task awaited: left running, it would delay the end of a body
     * that then ends normally (a task group ended by `cancel()`).
     */
    private fun abandon(target: CompletableFuture<*>) {
        if ((target as? TaskFuture<*>)?.coroutine is SleepCoroutine && !target.isSettled())
            target.cancel(false)
    }

    private fun deliverCancellation() {
        val cause = requested ?: getCancellationException()
        takeCancellation()
        cancellation = cause
    }

    /** The pending cancellation is on its way to the body, thrown at it or by what it awaits. */
    private fun takeCancellation() {
        if (isCancelled) cancellationDelivered = true
        requested = null
        // Cleanup work goes to a fresh job; this one ends once the tasks in it have.
        launched?.complete()
        launches = null
        launched = null
    }

    /**
     * The body's next turn after its await settled. A cancellation that came while this turn was
     * queued is delivered now, at that await, as asyncio's next step throws it.
     */
    private fun resumeBody() {
        // An operation's outcome comes first: what it took must reach the body (awaitOperation).
        val awaited = awaited
        if (awaited.outcomeComesFirst()) {
            if (awaitedCancellable) settleWithOperation(awaited as TaskFuture<*>)
        } else if (awaitedCancellable && cancellationDue(awaited)) deliverCancellation()
        handBodyTheTurn()
    }

    /**
     * Gives the turn (on a loop: its permit) to the body and wakes it. The turn first, then the
     * permit: a body thread running the loop that sees the permit come back then sees its turn too
     * ([yieldTurn]), and a parked one waits for both ([parkUntilTurn]).
     */
    private fun handBodyTheTurn() {
        turn = BODY
        loop?.permitHolder = this
        LockSupport.unpark(bodyThread)
    }

    private fun finishBody() {
        // What the body left open (a stream it stopped iterating) is stopped before the task waits
        // for its children: the producer is one of them and would otherwise keep it alive.
        exitActions?.forEach(Runnable::run)
        if (bodyEnded()) complete()
    }

    /** The body has returned or thrown; true to complete the task now. */
    protected open fun bodyEnded(): Boolean = true

    /** Completes the task with the body's outcome ([value] or [failure]). */
    protected fun complete() {
        launched?.complete() // ends once the tasks in it have
        val loop = loop
        if (!cancelChildrenAfterBody) return resumeWithOutcome()
        if (loop == null) {
            cancelChildren()
            return resumeWithOutcome()
        }
        // asyncio.run's end: the main task's done-callback stops the loop, the iteration it ran in
        // still finishes, and then the tasks still running are cancelled.
        val stop = Runnable {
            sweep(loop)
            // The outcome is the caller's. The job stays open until the leftovers' cleanup is
            // done, even when the body failed: cleanup may launch tasks, which must not be
            // cancelled at birth.
            failure?.let(future::settleExceptionally)
            @Suppress("UNCHECKED_CAST") resumeWith(Result.success(value as T))
        }
        loop.dispatch(context, Runnable { loop.atIterationEnd(stop) })
    }

    /**
     * asyncio.run's cancellation of every task still running, in the order they were created
     * (asyncio's is a set's, unspecified): a task already cleaning up after a cancellation gets
     * another. Then whatever else is left under the main task (sleeps, gathers) is cancelled.
     */
    private fun sweep(loop: LoopDispatcher) {
        val tasks =
            runningTasks(this)
                .mapNotNull { it.coroutine as? JavaBody<*> }
                .filter { it !== this && !it.isBlock }
                .sortedBy { it.created }
        loop.sweeping = true
        try {
            for (task in tasks) task.future.cancel(false)
        } finally {
            loop.sweeping = false
        }
        cancelChildren()
    }

    private fun resumeWithOutcome() {
        // A block that ends before its cancellation reached it leaves that cancellation to its
        // task (see inheritFromBlock).
        if (isBlock && requested == null && leavesCancellationToItsTask())
            requested = getCancellationException()
        if (endsInCallersTurn) loop?.resumesInTurn = future
        // A block whose body returned is done with that value even if cancelled meanwhile (an
        // expired timeout whose body went on: asyncio's __aexit__ raises nothing then).
        @Suppress("UNCHECKED_CAST")
        if (partOfItsCaller && failure == null) future.settle(value as T)
        val failure = failure
        @Suppress("UNCHECKED_CAST")
        resumeWith(if (failure != null) Result.failure(failure) else Result.success(value as T))
    }

    private fun dispatchStep(next: Int) {
        step = next
        // On a loop, straight into its queue: no context look-up for the dispatcher per step.
        val loop = loop
        if (loop != null) loop.dispatch(context, this) else dispatchOrRun(this)
    }

    // --- the body thread

    // Invariant: inline, so that the body's stack starts in [run] (HotPathShapeTest).
    @Suppress("NOTHING_TO_INLINE")
    private inline fun runBody() {
        val thread = Thread.currentThread()
        bodyThread = thread
        RUNNING[thread] = this
        val carried = context[CarriedContext]
        // A carrier that throws fails the task: the body does not run, or its result is replaced.
        val previous = carried?.install(::carrierFailed)
        if (failure == null) {
            try {
                val body = body
                if (body is StatementCallable) body.statement.run() else value = body.call()
            } catch (e: Throwable) {
                failure = failureOfCleanup(e) ?: e
            }
        }
        previous?.let { carried.restore(it, ::carrierFailed) }
        finished = true
        try {
            yieldTurn()
        } finally {
            RUNNING.remove(thread)
            // A pooled thread runs other bodies later: this one must no longer match it (current),
            // nor be kept from the collector by the hint.
            bodyThread = null
            forgetRecent(this)
        }
    }

    private fun carrierFailed(e: Throwable) {
        val failure = failure
        if (failure == null) this.failure = e else if (failure !== e) failure.addSuppressed(e)
    }

    /**
     * A body that ends with a cancellation carrying a real failure as suppressed, as
     * try-with-resources leaves it when closing fails during cancellation, failed in its cleanup:
     * the task fails with that failure, as asyncio's `async with` raises what `__aexit__` raised.
     */
    private fun failureOfCleanup(e: Throwable): Throwable? =
        (e as? CancellationException)?.suppressed?.firstOrNull {
            it !is CancellationException && it !is AwaitedAt
        }

    /**
     * Called on the body thread by `await()`: waits for [target] to settle while the loop runs
     * others.
     */
    fun await(target: CompletableFuture<*>, cancellable: Boolean = true) {
        awaited = target
        awaitedCancellable = cancellable
        // The body's thread-local values stay in place while this thread runs the loop: tasks with
        // carried context install their own around each step, and restore these after.
        yieldTurn()
        val delivered = cancellation
        if (delivered != null) {
            cancellation = null
            cancellationReceived = true
            throw delivered
        }
    }

    /**
     * Gives up the turn and returns when the body may go on (never, once it [finished]). On a loop
     * this thread does the driver's part and then runs the loop while it holds the permit. Inline,
     * like [parkUntilTurn]: no frame of its own on a suspended body's stack.
     */
    // Invariant: inline into [await], no frame of its own (HotPathShapeTest).
    @Suppress("NOTHING_TO_INLINE")
    private inline fun yieldTurn() {
        turn = DRIVER
        val loop = loop
        if (loop == null) {
            dispatchStep(BODY_YIELDED)
        } else if (settleYield()) {
            turn = BODY
            return
        } else if (!handBackToCreator()) {
            // The permit first, then the turn: both may go to another body and come back
            // between the two reads (turn before permit), and read the other way round, this
            // thread would go on running the loop while its own body ran again: two holders.
            while (loop.permitHolder === this && turn != BODY) {
                if (!loop.runNext()) {
                    loop.returnPermit()
                    break
                }
            }
        }
        if (!finished) parkUntilTurn()
    }

    /**
     * Registers [action] to run once the body has returned or thrown, before the task waits for its
     * children; it runs as the driver's part, outside the body. Called on the body thread, like
     * [removeOnExit].
     */
    fun onExit(action: Runnable) {
        (exitActions ?: LinkedHashSet<Runnable>().also { exitActions = it }).add(action)
    }

    fun removeOnExit(action: Runnable) {
        exitActions?.remove(action)
    }

    /**
     * Parks until the body has the turn, and on a loop the permit with it: a hand-off gives the
     * turn first and the permit after ([handBodyTheTurn]; [yieldTurn]'s loop relies on that order),
     * and a thread woken early (spuriously, or by an unpark left over from an earlier hand-off)
     * that ran its body on the turn alone could yield before the permit was its own; the permit
     * would then go to a body parked for good, and the loop would stop.
     *
     * The check after a wake-up is a bytecode of its own: a body that parks before any body has
     * resumed must not resume into code the JIT compiled with that branch seen one way only, or
     * every parked body deoptimizes on its way out (measured: 65k deoptimizations for 100k bodies
     * woken together when the two checks were one). Inline: each frame between the body's await and
     * its park is stack that every suspended body keeps.
     */
    // Invariants: inline (HotPathShapeTest); the re-check after a wake-up stays a bytecode of its
    // own (measured with -Xlog:deoptimization; no test can see it, ADR 0009).
    @Suppress("NOTHING_TO_INLINE")
    private inline fun parkUntilTurn() {
        if (hasTurnAndPermit()) return
        var interrupted = false
        do {
            LockSupport.park(this)
            // An interrupt must not turn this wait into a spin; it is restored for the code that
            // follows.
            if (Thread.interrupted()) interrupted = true
        } while (!hasTurnAndPermit())
        if (interrupted) Thread.currentThread().interrupt()
    }

    /** Inline: each of [parkUntilTurn]'s two checks keeps a branch profile of its own. */
    @Suppress("NOTHING_TO_INLINE")
    private inline fun hasTurnAndPermit(): Boolean {
        if (turn != BODY) return false
        val loop = loop ?: return true
        return loop.permitHolder === this
    }

    /**
     * One await's completion callback. Identity matters: a callback that fires after its await was
     * given up (cancellation) must not resume a later one.
     */
    internal class Waiter(
        private val body: JavaBody<*>,
        val target: CompletableFuture<*>,
        val cancellable: Boolean,
        val onYield: Boolean,
    ) : (Throwable?) -> Unit {
        @Volatile private var handle: DisposableHandle? = null
        @Volatile private var disposed = false

        fun register(target: CompletableFuture<*>) {
            val registered = target.onSettled(this)
            handle = registered
            // A cancellation on another thread may have disposed of this before `handle` was set.
            if (disposed) registered.dispose()
        }

        fun dispose() {
            disposed = true
            handle?.dispose()
        }

        override fun invoke(cause: Throwable?) = body.targetSettled(this)
    }

    companion object {
        private const val DRIVER = 0
        private const val BODY = 1

        // Driver steps.
        private const val START = 0
        private const val BODY_YIELDED = 1
        private const val RESUME_BODY = 2

        private val CREATED = java.util.concurrent.atomic.AtomicLong()

        private val WAITER =
            AtomicReferenceFieldUpdater.newUpdater(
                JavaBody::class.java,
                Waiter::class.java,
                "waiter",
            )
        // Not a ThreadLocal: that would give every body's virtual thread a map of its own, about
        // 140 bytes per suspended task; an entry here is about 40.
        private val RUNNING = ConcurrentHashMap<Thread, JavaBody<*>>()

        /**
         * The body [current] found last, on whichever thread: a body awaits many times in a row,
         * and a field read is cheaper than the map (a fifth of a queue hand-off's time). A plain
         * field: a stale or torn-over value only costs the map look-up, as [bodyOf] checks it.
         */
        private var recent: JavaBody<*>? = null

        private fun forgetRecent(body: JavaBody<*>) {
            if (recent === body) recent = null
        }

        /** The Java body running on this thread, or null outside task bodies. */
        fun current(): JavaBody<*>? = bodyOf(Thread.currentThread())?.takeIf { it.turn == BODY }

        // A body's thread is set and cleared only by that thread, so a match is never stale.
        @PublishedApi
        internal fun bodyOf(thread: Thread): JavaBody<*>? {
            val recent = recent
            if (recent != null && recent.bodyThread === thread) return recent
            return RUNNING[thread]?.also { this.recent = it }
        }

        /**
         * For a body thread: the loop it runs while holding the permit between two turns of its
         * body, else null ([current] is null meanwhile). For any other thread: [otherwise].
         */
        inline fun loopRunHere(otherwise: () -> LoopDispatcher?): LoopDispatcher? {
            val body = bodyOf(Thread.currentThread()) ?: return otherwise()
            return if (body.turn == BODY) null else body.loop
        }
    }
}
