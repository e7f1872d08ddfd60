import asyncio

async def background(name):
    try:
        print(f"{name} start")
        await asyncio.sleep(10)
    finally:
        print(f"{name} cleanup")

async def main():
    asyncio.create_task(background("b1"))
    asyncio.create_task(background("b2"))
    await asyncio.sleep(0)
    print("main returns")

asyncio.run(main())
print("run returned")
