"""The asyncpg side of the database rows (DbSideBySide); needs python3-asyncpg.

  db_workload.py HOST PORT USER POOL QUERIES WARM_UP   point queries (after WARM_UP untimed ones),
                                                       prints CHECKSUM and the harness's RESULT line
"""
import asyncio
import sys
import time

import asyncpg

POINT_QUERY = "SELECT age FROM users WHERE id = $1"
ROWS = 10_000


def status_bytes(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return float("nan")


async def point_queries(pool, queries):
    ages = await asyncio.gather(
        *(pool.fetchval(POINT_QUERY, 1 + i % ROWS) for i in range(queries)))
    return sum(ages)


async def main():
    host, port, user = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    size, queries, warm_up = int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
    async with asyncpg.create_pool(host=host, port=port, user=user, database="postgres",
                                   min_size=size, max_size=size) as pool:
        await point_queries(pool, warm_up)
        cpu_before = time.process_time_ns()
        start = time.perf_counter_ns()
        total = await point_queries(pool, queries)
        wall = time.perf_counter_ns() - start
        cpu = time.process_time_ns() - cpu_before
    print(f"CHECKSUM {total}")
    print(f"RESULT wall_ns={wall} cpu_ns={cpu} peak_rss_bytes={status_bytes('VmHWM')} "
          f"heap_per_task_bytes=nan")


if __name__ == "__main__":
    asyncio.run(main())
