import asyncio

async def slow():
    try:
        print("slow start")
        await asyncio.sleep(10)
    finally:
        print("slow finally")

async def main():
    try:
        await asyncio.wait_for(slow(), timeout=0.05)
    except asyncio.TimeoutError:
        print("timed out")
    t = asyncio.create_task(slow())
    try:
        await asyncio.wait_for(t, timeout=0.05)
    except asyncio.TimeoutError:
        print(f"task cancelled: {t.cancelled()}")

asyncio.run(main())
