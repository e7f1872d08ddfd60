import asyncio

async def putter(q, item):
    try:
        await q.put(item)
        print(f"put {item}")
    except asyncio.QueueShutDown:
        print(f"put {item} refused")

async def main():
    q = asyncio.LifoQueue(2)
    for i in range(2):
        q.put_nowait(i)
    blocked = asyncio.create_task(putter(q, 9))
    joiner = asyncio.create_task(q.join())
    await asyncio.sleep(0)
    print(f"full {q.full()} size {q.qsize()}")
    print(f"got {q.get_nowait()}")
    q.task_done()
    q.shutdown(immediate=True)
    print(f"size {q.qsize()}")
    await blocked
    await joiner
    print("joined")
    try:
        q.get_nowait()
    except asyncio.QueueShutDown:
        print("get refused")

asyncio.run(main())
