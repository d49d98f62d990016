#!/usr/bin/env python3
"""
Tessera's instructions per frame from a QEMU instruction trace
(bench/net-cost.md). Usage:
  net-cost.py TRACE HYP_ELF GUEST_ELF HYP_BASE GUEST_BASE...
TRACE: qemu ... -singlestep -d exec,nochain -D TRACE (one line per
instruction). HYP_ELF is mapped at HYP_BASE; GUEST_ELF at each VM's
GUEST_BASE (the CPU of each VM is found from its PCs).

A stay in Tessera on one CPU (an "exit": consecutive EL2 instructions of
that CPU, other CPUs' lines between them not breaking it) is classed by
the guest function that trapped and the Tessera handler it ran; for each
class: how many, instructions per exit, the top Tessera functions, and the
instructions the other CPUs ran meanwhile (what QEMU's round robin adds
to the virtual time the guest sees).
"""
import bisect, collections, subprocess, sys

def symbols(elf):
    out = subprocess.run(["aarch64-linux-gnu-nm", "-n", elf], capture_output=True, text=True).stdout
    addrs, names = [], []
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3 and f[1] in "tTwW":
            addrs.append(int(f[0], 16)); names.append(f[2])
    return addrs, names

def main():
    trace, hyp_elf, guest_elf, hyp_base = sys.argv[1:5]
    hyp_base = int(hyp_base, 0)
    guest_bases = [int(b, 0) for b in sys.argv[5:]]
    ha, hn = symbols(hyp_elf)
    ga, gn = symbols(guest_elf)
    hyp_end = hyp_base + ha[-1] + 0x10000
    cache = {}

    def name(pc):
        r = cache.get(pc)
        if r is None:
            if hyp_base <= pc < hyp_end:
                r = (True, hn[bisect.bisect_right(ha, pc - hyp_base) - 1])
            else:
                base = max([b for b in guest_bases if b <= pc], default=0)
                i = bisect.bisect_right(ga, pc - base) - 1
                r = (False, gn[i] if i >= 0 else "?")
            cache[pc] = r
        return r

    cum = collections.defaultdict(lambda: [0, 0])  # cpu -> [hyp, guest] instructions
    cur = {}          # cpu -> open exit: [functions Counter, cum snapshot, guest fn that trapped]
    last_guest = {}   # cpu -> last guest function run
    classes = collections.defaultdict(lambda: {"n": 0, "insns": 0, "fn": collections.Counter(),
                                               "others": collections.Counter()})
    handlers = ("vnet_transmit", "vnet_access", "vgic_", "irq", "wfi", "timer", "sgi", "hvc", "psci")

    def close(cpu):
        fns, snap, trapped = cur.pop(cpu)
        key_fn = [f for f in fns if f.startswith("vnet_") and f not in ("vnet_running", "vnet_has")]
        key = "%s -> %s" % (trapped, ",".join(sorted(set(k for k in key_fn if k in
              ("vnet_transmit", "vnet_access", "vnet_deliver", "vnet_raise_irq")))) or
              max(fns, key=fns.get))
        c = classes[key]
        c["n"] += 1
        c["insns"] += sum(fns.values())
        c["fn"].update(fns)
        for o, v in cum.items():
            if o == cpu:
                continue
            s = snap.get(o, (0, 0))
            c["others"]["cpu%d hyp" % o] += v[0] - s[0]
            c["others"]["cpu%d guest" % o] += v[1] - s[1]

    with open(trace, "rb") as f:
        for line in f:
            if not line.startswith(b"Trace "):
                continue
            sp = line.index(b":", 6)
            cpu = int(line[6:sp])
            lb = line.index(b"[", sp)
            try:
                pc = int(line[lb + 18:lb + 34], 16)
            except ValueError:  # a line cut short at the end of the log
                continue
            hyp, fn = name(pc)
            if hyp:
                cum[cpu][0] += 1
                if cpu not in cur:
                    cur[cpu] = [collections.Counter(), {o: tuple(v) for o, v in cum.items()},
                                last_guest.get(cpu, "?")]
                cur[cpu][0][fn] += 1
            else:
                cum[cpu][1] += 1
                if cpu in cur:
                    close(cpu)
                last_guest[cpu] = fn
    for key, c in sorted(classes.items(), key=lambda kv: -kv[1]["insns"]):
        if c["n"] < 10 and c["insns"] < 10000:
            continue
        n = c["n"]
        print("%-60s %6d exits, %7.1f insns each" % (key, n, c["insns"] / n))
        for fn, v in c["fn"].most_common(24):
            print("      %-32s %7.1f" % (fn, v / n))
        oth = ", ".join("%s %.0f" % (k, v / n) for k, v in sorted(c["others"].items()) if v / n >= 1)
        print("      meanwhile on other CPUs (per exit): %s" % (oth or "nothing"))

main()
