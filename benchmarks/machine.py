"""The machine a benchmark ran on, printed beside every table."""

from __future__ import annotations

import os
import platform


def machine_line() -> str:
    memory = ""
    try:
        with open("/proc/meminfo") as meminfo:
            kib = int(meminfo.readline().split()[1])
            memory = f", {kib / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    cpu = platform.processor() or platform.machine()
    return (
        f"{platform.node() or 'host'}: {platform.system()} {platform.release()}, {cpu}, "
        f"{os.cpu_count()} cores{memory}, Python {platform.python_version()}"
    )


def peak_rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
