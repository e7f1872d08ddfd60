import asyncio

async def job(sem, name, running):
    async with sem:
        running.append(name)
        print(f"{name} starts, {len(running)} running")
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        running.remove(name)
        print(f"{name} ends")

async def main():
    sem = asyncio.Semaphore(2)
    running = []
    tasks = [asyncio.create_task(job(sem, f"j{i}", running)) for i in range(5)]
    await asyncio.sleep(0)
    print(f"locked {sem.locked()}")
    tasks[3].cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    print(f"locked {sem.locked()}")

asyncio.run(main())
