"""The Python side of the file and process rows (IoSideBySide); files need python3-aiofiles.

  io_workload.py WORKLOAD PATH   SMALL_FILES, LINES or PROCESSES, once to warm up, then measured;
                                 prints CHECKSUM and the harness's RESULT line
"""
import asyncio
import os
import sys
import time

SMALL_FILES = 1_000
PROCESSES = 200
PROCESSES_AT_ONCE = 16


def status_bytes(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return float("nan")


async def small_files(directory):
    import aiofiles

    async def read(i):
        async with aiofiles.open(os.path.join(directory, f"f{i}"), "rb") as f:
            return sum(await f.read())

    return sum(await asyncio.gather(*(read(i) for i in range(SMALL_FILES))))


async def lines(path):
    import aiofiles
    total = 0
    async with aiofiles.open(path) as f:
        async for line in f:
            total += len(line)
    return total


async def processes(_):
    at_once = asyncio.Semaphore(PROCESSES_AT_ONCE)

    async def run(n):
        async with at_once:
            proc = await asyncio.create_subprocess_exec(
                "echo", str(n), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
            out, _ = await proc.communicate()
            return int(out)

    return sum(await asyncio.gather(*(run(n) for n in range(PROCESSES))))


WORKLOADS = {"SMALL_FILES": small_files, "LINES": lines, "PROCESSES": processes}


async def main():
    workload, path = WORKLOADS[sys.argv[1]], sys.argv[2]
    await workload(path)
    cpu_before = time.process_time_ns()
    start = time.perf_counter_ns()
    total = await workload(path)
    wall = time.perf_counter_ns() - start
    cpu = time.process_time_ns() - cpu_before
    print(f"CHECKSUM {total}")
    print(f"RESULT wall_ns={wall} cpu_ns={cpu} peak_rss_bytes={status_bytes('VmHWM')} "
          f"heap_per_task_bytes=nan")


if __name__ == "__main__":
    asyncio.run(main())
