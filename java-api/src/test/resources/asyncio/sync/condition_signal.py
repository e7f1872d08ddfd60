import asyncio

async def consumer(cond, items, name):
    async with cond:
        print(f"{name} waits")
        await cond.wait_for(lambda: items)
        print(f"{name} takes {items.pop(0)}")

async def main():
    cond = asyncio.Condition()
    items = []
    tasks = [asyncio.create_task(consumer(cond, items, n)) for n in ("a", "b", "c")]
    await asyncio.sleep(0)
    async with cond:
        items.append(1)
        cond.notify()
        print("one signalled")
    await asyncio.sleep(0)
    async with cond:
        items.extend([2, 3])
        cond.notify_all()
        print("all signalled")
    await asyncio.gather(*tasks)
    print(f"locked {cond.locked()}")

asyncio.run(main())
