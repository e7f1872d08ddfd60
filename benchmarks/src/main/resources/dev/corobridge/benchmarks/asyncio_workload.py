"""One run of one side-by-side workload in Python asyncio; prints the harness's RESULT line.

Usage: python3 asyncio_workload.py WORKLOAD SIZE BATCHES SLEEP_MILLIS time|heap
(BATCHES is 1 except for YIELD_BATCHES: BATCHES gathers of SIZE tasks that each yield once.)
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
    else:
        raise SystemExit(f"unknown workload {workload}")
    wall = time.perf_counter_ns() - start
    cpu = time.process_time_ns() - cpu_before
    if checksum != size * batches:
        raise SystemExit(f"checksum {checksum}, expected {size * batches}")
    print(f"RESULT wall_ns={wall} cpu_ns={cpu} peak_rss_bytes={status_bytes('VmHWM')} "
          f"heap_per_task_bytes=nan")


main()
