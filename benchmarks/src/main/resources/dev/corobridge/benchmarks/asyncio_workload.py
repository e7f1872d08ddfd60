"""One run of one side-by-side workload in Python asyncio; prints the harness's RESULT line.

Usage: python3 asyncio_workload.py WORKLOAD SIZE BATCHES SLEEP_MILLIS time|heap
(BATCHES is 1 except for YIELD_BATCHES: BATCHES gathers of SIZE tasks that each yield once. For
QUEUE, SIZE is the number of items through an asyncio.Queue(1024) from 4 producers to 4 consumers.)
Retained memory per task is measured as resident set growth (VmRSS after gc.collect()) while all
tasks sleep: Python has no heap-size counter comparable to the JVM's.
"""
import asyncio
import gc
import sys
import time


def status_bytes(field):
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return float("nan")


def resident_after_gc():
    gc.collect()
    return status_bytes("VmRSS")


async def sleeps(size, sleep_s, while_suspended):
    tasks = [asyncio.create_task(asyncio.sleep(sleep_s)) for _ in range(size)]
    await asyncio.sleep(0)  # every task has started and is sleeping
    while_suspended()
    return len(await asyncio.gather(*tasks))


async def one():
    return 1


async def round_trips(size):
    total = 0
    for _ in range(size):
        total += await asyncio.create_task(one())
    return total


async def yield_batches(batches, size):
    finished = 0
    for _ in range(batches):
        finished += len(await asyncio.gather(*[asyncio.create_task(asyncio.sleep(0))
                                               for _ in range(size)]))
    return finished


QUEUE_CAPACITY, QUEUE_PRODUCERS, QUEUE_CONSUMERS = 1024, 4, 4


def share(size, index, of):
    """The first item of share `index` of `of` when `size` items are shared out (Workload.share)."""
    return size * index // of


async def queue_items(size):
    """SIZE items, the numbers 0 to SIZE - 1, through one bounded queue: each producer puts a
    contiguous share, each consumer gets a fixed share of the items and sums them; returns the sum
    of the consumers' sums. The shape of Workloads.corobridgeQueue."""
    queue = asyncio.Queue(QUEUE_CAPACITY)

    async def produce(start, stop):
        for i in range(start, stop):
            await queue.put(i)

    async def consume(count):
        total = 0
        for _ in range(count):
            total += await queue.get()
        return total

    producers = [asyncio.create_task(produce(share(size, p, QUEUE_PRODUCERS),
                                             share(size, p + 1, QUEUE_PRODUCERS)))
                 for p in range(QUEUE_PRODUCERS)]
    consumers = [asyncio.create_task(consume(share(size, c + 1, QUEUE_CONSUMERS)
                                             - share(size, c, QUEUE_CONSUMERS)))
                 for c in range(QUEUE_CONSUMERS)]
    await asyncio.gather(*producers)
    return sum(await asyncio.gather(*consumers))


def main():
    workload, size, batches = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    sleep_ms, mode = int(sys.argv[4]), sys.argv[5]
    nan = float("nan")
    if mode == "heap":
        if workload not in ("SLEEPS", "BODY_SLEEPS"):
            print(f"RESULT wall_ns=nan cpu_ns=nan peak_rss_bytes=nan heap_per_task_bytes=nan")
            return
        asyncio.run(sleeps(min(size, 1000), 0.001, lambda: None))
        baseline = resident_after_gc()
        probe = {}
        start = time.monotonic()

        def measure():
            used = resident_after_gc()
            probe["used"] = used if time.monotonic() - start < sleep_ms / 1000 else nan

        asyncio.run(sleeps(size, sleep_ms / 1000, measure))
        per_task = (probe["used"] - baseline) / size
        print(f"RESULT wall_ns=nan cpu_ns=nan peak_rss_bytes=nan heap_per_task_bytes={per_task:.1f}")
        return
    cpu_before = time.process_time_ns()
    start = time.perf_counter_ns()
    if workload in ("SLEEPS", "BODY_SLEEPS"):
        checksum = asyncio.run(sleeps(size, sleep_ms / 1000, lambda: None))
    elif workload == "ROUND_TRIPS":
        checksum = asyncio.run(round_trips(size))
    elif workload == "YIELD_BATCHES":
        checksum = asyncio.run(yield_batches(batches, size))
    elif workload == "QUEUE":
        checksum = asyncio.run(queue_items(size))
    else:
        raise SystemExit(f"unknown workload {workload}")
    wall = time.perf_counter_ns() - start
    cpu = time.process_time_ns() - cpu_before
    expected = size * (size - 1) // 2 if workload == "QUEUE" else size * batches
    if checksum != expected:
        raise SystemExit(f"checksum {checksum}, expected {expected}")
    print(f"RESULT wall_ns={wall} cpu_ns={cpu} peak_rss_bytes={status_bytes('VmHWM')} "
          f"heap_per_task_bytes=nan")


main()
