import asyncio

async def waiter(cond, name):
    async with cond:
        try:
            await cond.wait()
            print(f"{name} woke")
        except asyncio.CancelledError:
            print(f"{name} cancelled, holding {cond.locked()}")
            raise

async def main():
    cond = asyncio.Condition()
    a = asyncio.create_task(waiter(cond, "a"))
    b = asyncio.create_task(waiter(cond, "b"))
    await asyncio.sleep(0)
    await cond.acquire()
    cond.notify(1)     # a is signalled ...
    a.cancel()         # ... and cancelled: the signal goes on to b
    print("signalled and cancelled, lock held")
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print(f"a done {a.done()}")
    cond.release()
    await asyncio.gather(a, b, return_exceptions=True)
    print(f"locked {cond.locked()}")

asyncio.run(main())
