import asyncio

async def waiter(event, name):
    print(f"{name} waits")
    await event.wait()
    print(f"{name} woke")

async def late(name):
    print(f"{name} runs")

async def main():
    event = asyncio.Event()
    tasks = [asyncio.create_task(waiter(event, n)) for n in "ab"]
    await asyncio.sleep(0)
    event.set()
    tasks.append(asyncio.create_task(late("late")))
    event.clear()
    print(f"set {event.is_set()}")
    await asyncio.gather(*tasks)
    print("done")

asyncio.run(main())
