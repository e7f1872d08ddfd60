import asyncio

async def acquirer(sem, name):
    try:
        await sem.acquire()
    except asyncio.CancelledError:
        print(f"{name} cancelled")
        raise
    print(f"{name} acquired")

async def main():
    sem = asyncio.Semaphore(1)
    await sem.acquire()
    tasks = [asyncio.create_task(acquirer(sem, n)) for n in "bcd"]
    await asyncio.sleep(0)
    sem.release()          # b gets the permit ...
    tasks[0].cancel()      # ... is cancelled before its turn: the permit passes on
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print(f"locked {sem.locked()}")
    sem.release()
    await asyncio.gather(*tasks, return_exceptions=True)
    print(f"locked {sem.locked()}")

asyncio.run(main())
