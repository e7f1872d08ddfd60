"""The aiohttp side of the HTTP rows (HttpSideBySide); needs python3-aiohttp.

  http_workload.py client URL REQUESTS IN_FLIGHT WARM_UP   GETs (after WARM_UP untimed ones),
                                                           prints the harness's RESULT line
  http_workload.py server                          serves GET /hello on a free loopback port,
                                                   prints "PORT n", stops at EOF on stdin
"""
import asyncio
import sys
import time

import aiohttp
from aiohttp import web


def status_bytes(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return float("nan")


async def client(url, requests, in_flight):
    connector = aiohttp.TCPConnector(limit=in_flight)
    async with aiohttp.ClientSession(connector=connector) as session:
        async def get():
            async with session.get(url) as response:
                return len(await response.read())
        lengths = await asyncio.gather(*(get() for _ in range(requests)))
    return sum(lengths)


async def hello(request):
    return web.Response(text="hello from aiohttp\n")


async def server():
    app = web.Application()
    app.router.add_get("/hello", hello)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    print(f"PORT {port}", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    await runner.cleanup()


def main():
    if sys.argv[1] == "server":
        asyncio.run(server())
        return
    url, requests, in_flight = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    asyncio.run(client(url, int(sys.argv[5]), in_flight))
    cpu_before = time.process_time_ns()
    start = time.perf_counter_ns()
    total = asyncio.run(client(url, requests, in_flight))
    wall = time.perf_counter_ns() - start
    cpu = time.process_time_ns() - cpu_before
    print(f"CHECKSUM {total}")
    print(f"RESULT wall_ns={wall} cpu_ns={cpu} peak_rss_bytes={status_bytes('VmHWM')} "
          f"heap_per_task_bytes=nan")


if __name__ == "__main__":
    main()
