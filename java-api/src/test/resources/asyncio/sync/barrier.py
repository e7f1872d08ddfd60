import asyncio

async def party(barrier, name):
    print(f"{name} arrives")
    try:
        index = await barrier.wait()
        print(f"{name} passes as {index}")
    except asyncio.BrokenBarrierError:
        print(f"{name} finds it broken")

async def main():
    barrier = asyncio.Barrier(3)
    tasks = [asyncio.create_task(party(barrier, f"p{i}")) for i in range(3)]
    await asyncio.sleep(0)
    print(f"waiting {barrier.n_waiting}")
    await asyncio.gather(*tasks)
    print(f"waiting {barrier.n_waiting}")
    tasks = [asyncio.create_task(party(barrier, f"q{i}")) for i in range(2)]
    await asyncio.sleep(0)
    print(f"waiting {barrier.n_waiting}")
    await barrier.reset()
    await asyncio.gather(*tasks)
    await barrier.abort()
    print(f"broken {barrier.broken}")
    await party(barrier, "late")

asyncio.run(main())
