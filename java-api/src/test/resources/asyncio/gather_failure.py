import asyncio

async def ok(name, delay):
    print(f"{name} start")
    await asyncio.sleep(delay)
    print(f"{name} end")
    return name

async def fail(delay):
    print("fail start")
    await asyncio.sleep(delay)
    print("fail raises")
    raise ValueError("boom")

async def main():
    slow = asyncio.create_task(ok("slow", 0.2))
    fast = asyncio.create_task(ok("fast", 0.01))
    bad = asyncio.create_task(fail(0.05))
    try:
        await asyncio.gather(slow, fast, bad)
    except ValueError as e:
        print(f"gather failed: {e}")
    print(f"slow result: {await slow}")
    results = await asyncio.gather(fast, bad, return_exceptions=True)
    print(f"settled: {results[0]}, {type(results[1]).__name__}")

asyncio.run(main())
