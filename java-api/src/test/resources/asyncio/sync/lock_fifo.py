import asyncio

async def worker(lock, name):
    print(f"{name} waits")
    async with lock:
        print(f"{name} holds")
        await asyncio.sleep(0)
        print(f"{name} releases")

async def main():
    lock = asyncio.Lock()
    tasks = [asyncio.create_task(worker(lock, n)) for n in "abc"]
    await asyncio.sleep(0)
    print(f"locked {lock.locked()}")
    await asyncio.gather(*tasks)
    print(f"locked {lock.locked()}")

asyncio.run(main())
