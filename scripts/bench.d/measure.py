"""Runs a command once and prints "seconds megabytes": wall time (perf_counter, four decimals;
/usr/bin/time's %e has only hundredths) and the command's peak resident memory as /usr/bin/time
reports it (%M: the largest RSS of the command and the children it waited for). Output of the
command goes to /dev/null.

With --cpu first: "cpu_seconds" instead, the user + system CPU time of the command and the
children it waited for (wait4's rusage, microseconds; /usr/bin/time prints hundredths). No peak:
the command is started from this process, and the kernel counts the memory of the process it was
started from into its peak (ru_maxrss was 14 MB for `true`); /usr/bin/time's own fork keeps %M
true. The exit status is not the measurement's (a gate that fails exits 1)."""
import os
import subprocess
import sys
import tempfile
import time

if sys.argv[1:2] == ["--cpu"]:
    child = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(child.pid, 0)
    print(f"{usage.ru_utime + usage.ru_stime:.4f}")
    raise SystemExit

with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
    start = time.perf_counter()
    subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss.name, *sys.argv[1:]],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    seconds = time.perf_counter() - start
    # A non-zero exit status adds a "Command exited with ..." line before the figure.
    lines = [line for line in open(rss.name).read().splitlines() if line.strip().isdigit()]
    peak_kb = int(lines[-1]) if lines else 0
print(f"{seconds:.4f} {peak_kb / 1024:.1f}")
