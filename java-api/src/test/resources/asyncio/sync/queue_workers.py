import asyncio

async def producer(q):
    for i in range(5):
        await q.put(i)
        print(f"put {i} size {q.qsize()}")
    q.shutdown()
    print("producer shut the queue down")

async def consumer(q, name):
    try:
        while True:
            item = await q.get()
            print(f"{name} got {item}")
            await asyncio.sleep(0)
            q.task_done()
    except asyncio.QueueShutDown:
        print(f"{name} sees the shutdown")

async def main():
    q = asyncio.Queue(2)
    consumers = [asyncio.create_task(consumer(q, n)) for n in ("c1", "c2")]
    await producer(q)
    await q.join()
    print("joined")
    await asyncio.gather(*consumers)

asyncio.run(main())
