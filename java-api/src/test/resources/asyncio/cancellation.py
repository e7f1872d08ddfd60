import asyncio

async def worker():
    try:
        print("worker started")
        await asyncio.sleep(10)
        print("worker woke")
    except asyncio.CancelledError:
        print("worker cancelled")
        await asyncio.sleep(0.01)
        print("worker cleaned up")
        raise
    finally:
        print("worker finally")

async def ticker():
    for i in range(2):
        print(f"tick {i}")
        await asyncio.sleep(0)

async def main():
    w = asyncio.create_task(worker())
    t = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    print("main cancels worker")
    w.cancel()
    try:
        await w
    except asyncio.CancelledError:
        print("main saw cancellation")
    await t
    print("main done")

asyncio.run(main())
