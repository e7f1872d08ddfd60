import asyncio

async def acquirer(lock, name):
    try:
        await lock.acquire()
    except asyncio.CancelledError:
        print(f"{name} cancelled")
        raise
    print(f"{name} holds")
    lock.release()

async def main():
    lock = asyncio.Lock()
    await lock.acquire()
    b = asyncio.create_task(acquirer(lock, "b"))
    c = asyncio.create_task(acquirer(lock, "c"))
    await asyncio.sleep(0)
    lock.release()       # b is woken ...
    b.cancel()           # ... and cancelled before its turn: c must get the lock
    print("released and cancelled")
    await asyncio.gather(b, c, return_exceptions=True)
    print(f"locked {lock.locked()}")

asyncio.run(main())
