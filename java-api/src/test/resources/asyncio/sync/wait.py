import asyncio

async def job(name, turns, fail=False):
    for _ in range(turns):
        await asyncio.sleep(0)
    if fail:
        raise ValueError(name)
    return name

def names(tasks, chosen):
    return " ".join(n for n, t in tasks.items() if t in chosen)

async def main():
    tasks = {"a": asyncio.create_task(job("a", 6)),
             "b": asyncio.create_task(job("b", 1)),
             "c": asyncio.create_task(job("c", 3, fail=True))}
    done, pending = await asyncio.wait(tasks.values(), return_when=asyncio.FIRST_COMPLETED)
    print(f"first completed: done [{names(tasks, done)}] pending [{names(tasks, pending)}]")
    done, pending = await asyncio.wait(tasks.values(), return_when=asyncio.FIRST_EXCEPTION)
    print(f"first exception: done [{names(tasks, done)}] pending [{names(tasks, pending)}]")
    done, pending = await asyncio.wait(tasks.values())
    print(f"all completed: done [{names(tasks, done)}] pending [{names(tasks, pending)}]")
    slow = asyncio.create_task(asyncio.sleep(10))
    done, pending = await asyncio.wait([slow], timeout=0.05)
    print(f"timed out: done {len(done)} pending {len(pending)} cancelled {slow.cancelled()}")
    slow.cancel()
    for name in ("c",):
        try:
            tasks[name].result()
        except ValueError as e:
            print(f"{name} failed with {e}")

asyncio.run(main())
