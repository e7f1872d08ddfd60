package dev.corobridge.differential;

import dev.corobridge.differential.Program.Cancel;
import dev.corobridge.differential.Program.Gather;
import dev.corobridge.differential.Program.Group;
import dev.corobridge.differential.Program.Held;
import dev.corobridge.differential.Program.Hold;
import dev.corobridge.differential.Program.Log;
import dev.corobridge.differential.Program.QueueKind;
import dev.corobridge.differential.Program.Raise;
import dev.corobridge.differential.Program.Setup;
import dev.corobridge.differential.Program.Sleep;
import dev.corobridge.differential.Program.Spawn;
import dev.corobridge.differential.Program.Statement;
import dev.corobridge.differential.Program.Sync;
import dev.corobridge.differential.Program.SyncOp;
import dev.corobridge.differential.Program.Try;
import dev.corobridge.testing.Reports;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Programs on which {@link DifferentialTest} found corobridge and asyncio to differ, shrunk and
 * kept as they are: each must leave the same trail under both.
 */
class DifferentialRegressionTest {

    /**
     * A condition waiter is notified, then cancelled while it waits to take the lock back; the
     * holder releases the lock and acquires it again at once. Found by the primitive programs (seed
     * 2864338376679), shrunk by hand.
     *
     * <pre>
     * async def f0():
     *     t0 = asyncio.create_task(f1())         # the waiter
     *     t1 = asyncio.create_task(f2())         # counts turns
     *     await asyncio.sleep(0); log('f0.2')
     *     async with cond:
     *         cond.notify(); log('f0.4')
     *         await asyncio.sleep(0); log('f0.5')  # f1 is woken: it waits for the lock
     *         t0.cancel(); log('f0.6')
     *     log('f0.3')
     *     log('f0.10', cond.locked())
     *     async with cond:                       # asyncio: at once, f1's wait for it is cancelled
     *         log('f0.8')
     *     ...
     * </pre>
     *
     * asyncio (3.13): f0.2 f0.4 f2.0 f0.5 f0.6 f0.3 f0.10=False <b>f0.8 f0.7</b> f2.1 f1.2!c
     * f1.3=False f2.2. (corobridge once gave ... f0.10=False f2.1 f1.2!c f1.3=False f2.2 <b>f0.8
     * f0.7</b>: the cancelled waiter kept its place in the lock's line.)
     */
    @Test
    void aConditionWaiterCancelledWhileTakingTheLockBackDoesNotKeepItsPlace(Reports reports)
            throws Exception {
        Setup setup = new Setup(1, QueueKind.FIFO, 0, 1, 20);
        Program program =
                new Program(
                        2_864_338_376_679L,
                        setup,
                        List.of(
                                List.of(
                                        new Spawn("f0.0", 0, 1, false),
                                        new Spawn("f0.1", 1, 2, false),
                                        new Sleep("f0.2"),
                                        new Hold(
                                                "f0.3",
                                                Held.CONDITION,
                                                false,
                                                List.of(
                                                        new Sync("f0.4", SyncOp.CONDITION_NOTIFY),
                                                        new Sleep("f0.5"),
                                                        new Cancel("f0.6", 0))),
                                        new Sync("f0.10", SyncOp.CONDITION_LOCKED),
                                        new Hold(
                                                "f0.7",
                                                Held.CONDITION,
                                                false,
                                                List.of(new Log("f0.8"))),
                                        new Gather("f0.9", List.of(0, 1), true)),
                                List.of(
                                        new Try(
                                                "f1.2",
                                                List.of(
                                                        new Hold(
                                                                "f1.0",
                                                                Held.CONDITION,
                                                                false,
                                                                List.of(
                                                                        new Sync(
                                                                                "f1.1",
                                                                                SyncOp
                                                                                        .CONDITION_WAIT)))),
                                                true,
                                                List.of(
                                                        new Sync(
                                                                "f1.3", SyncOp.CONDITION_LOCKED)))),
                                List.of(new Sleep("f2.0"), new Sleep("f2.1"), new Sleep("f2.2"))));
        DifferentialTest.assertSameTrails(program, reports);
    }

    /**
     * Two task-group children take a lock in turn, wait for an event, and fail with another task's
     * turn between them; the group's failure must reach the main task's gather in asyncio's turn.
     * Found by the primitive programs (seed 20261202745), shrunk by hand.
     *
     * <pre>
     * async def f0():
     *     t0 = asyncio.create_task(f3())         # sets the event, and counts turns
     *     t1 = asyncio.create_task(f1())
     *     log('f0.2', await asyncio.gather(t1, return_exceptions=True))
     * async def f1():
     *     async with asyncio.TaskGroup() as tg1:
     *         t0 = tg1.create_task(f2())
     *         t1 = tg1.create_task(f2())
     * async def f2():
     *     await lock.acquire()
     *     try:
     *         await asyncio.sleep(0); log('f2.3')
     *     finally:
     *         lock.release()
     *     log('f2.1')
     *     await event.wait(); log('f2.5')
     *     await asyncio.sleep(0); log('f2.s0')
     *     raise Boom('f2.15')
     * async def f3():
     *     await asyncio.sleep(0); log('c0.0')   # and so on: c0.1, c0.2
     *     log('close0')
     *     event.set(); log('c0.set')
     *     await asyncio.sleep(0); log('c1.0')   # and so on: c1.1 to c3.3
     * </pre>
     *
     * asyncio (3.13): ... f2.s0 c1.1 f2.s0 c1.2 c1.3 c2.0 <b>f0.2=[Group[Boom(f2.15),
     * Boom(f2.15)]]</b> c2.1 c2.2. (corobridge once gave ... c1.2 c1.3 c2.0 c2.1 <b>f0.2=[...]</b>
     * c2.2: the group ended in the callback of its last child, not in the wake-up that the first
     * failure's cancel of the waiting task queues before it.)
     */
    @Test
    void aGroupWhoseChildrenWaitedForALockAndAnEventFailsInAsyncioTurns(Reports reports)
            throws Exception {
        List<Statement> setter = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            for (int i = 0; i < 3 + (round > 0 ? 1 : 0); i++)
                setter.add(new Sleep("c" + round + "." + i));
            if (round == 0) {
                setter.add(new Log("close0"));
                setter.add(new Sync("c0.set", SyncOp.EVENT_SET));
            }
        }
        Program program =
                new Program(
                        20_261_202_745L,
                        new Setup(3, QueueKind.FIFO, 0, 3, 1000),
                        List.of(
                                List.of(
                                        new Spawn("f0.0", 0, 3, false),
                                        new Spawn("f0.1", 1, 1, false),
                                        new Gather("f0.2", List.of(1), true)),
                                List.of(
                                        new Group(
                                                "f1.1",
                                                List.of(
                                                        new Spawn("f1.2", 0, 2, true),
                                                        new Spawn("f1.3", 1, 2, true)))),
                                List.of(
                                        new Hold(
                                                "f2.1",
                                                Held.LOCK,
                                                true,
                                                List.of(new Sleep("f2.3"))),
                                        new Sync("f2.5", SyncOp.EVENT_WAIT),
                                        new Sleep("f2.s0"),
                                        new Raise("f2.15")),
                                setter));
        DifferentialTest.assertSameTrails(program, reports);
    }
}
