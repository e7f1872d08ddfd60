import asyncio

async def job(name, turns):
    for _ in range(turns):
        await asyncio.sleep(0)
    print(f"{name} finishes")
    return name

async def main():
    tasks = [asyncio.create_task(job(n, t)) for n, t in (("a", 3), ("b", 1), ("c", 2))]
    async for task in asyncio.as_completed(tasks):
        print(f"got {await task}")
    slow = asyncio.create_task(asyncio.sleep(10))
    try:
        async for task in asyncio.as_completed([slow], timeout=0.05):
            print("never")
    except TimeoutError:
        print("timed out")
    slow.cancel()

asyncio.run(main())
