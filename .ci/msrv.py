#!/usr/bin/env python3
"""The MSRV (the workspace's `rust-version`) as far as a machine with one newer toolchain can check it.

No toolchain older than the installed one can be fetched on these machines, so the build on
the MSRV itself cannot run here. What can be checked, and is:

1. Our own code calls no standard-library API newer than the MSRV: clippy's `incompatible_msrv`
   lint reads `rust-version` and is denied by the clippy step (`-D warnings`); this script
   checks that every published crate declares that `rust-version`.
2. Every crate a user's build compiles (the normal dependencies of each of `retry-runtime`,
   `retry-macros` and `retry-redis` on this platform, all features, as locked) declares a
   `rust-version` no newer than that crate's own; a crate that declares none is listed (its MSRV
   is unknown, not known to be broken).

Exit 1 when a published crate declares no `rust-version` or a dependency needs a newer Rust
than the crate that pulls it in promises.
"""

import json
import subprocess
import sys

PUBLISHED = ["retry-runtime", "retry-macros", "retry-redis"]


def version(text):
    parts = [int(p) for p in text.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


def main():
    host = subprocess.check_output(["rustc", "-vV"], text=True)
    triple = next(l.split(": ")[1] for l in host.splitlines() if l.startswith("host: "))
    meta = json.loads(
        subprocess.check_output(
            ["cargo", "metadata", "--format-version", "1", "--all-features", "--locked",
             "--filter-platform", triple]
        )
    )
    packages = {p["id"]: p for p in meta["packages"]}
    nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
    ours = [packages[i] for i in meta["workspace_members"] if packages[i]["name"] in PUBLISHED]
    failures = []
    undeclared = set()
    for crate in sorted(ours, key=lambda p: p["name"]):
        msrv_text = crate.get("rust_version")
        if msrv_text is None:
            failures.append(f"{crate['name']} declares no rust-version")
            continue
        msrv = version(msrv_text)
        # The normal dependencies reachable from the crate on this platform (build scripts
        # and proc macros included: a user's build compiles them too; dev-dependencies and
        # `cfg(loom)` ones are not).
        seen = set()
        todo = [crate["id"]]
        while todo:
            pid = todo.pop()
            if pid in seen:
                continue
            seen.add(pid)
            for dep in nodes[pid]["deps"]:
                if any(k["kind"] in (None, "build") for k in dep["dep_kinds"]):
                    todo.append(dep["pkg"])
        checked = 0
        for pid in sorted(seen, key=lambda i: packages[i]["name"]):
            p = packages[pid]
            if p["name"] in PUBLISHED:
                continue
            checked += 1
            rv = p.get("rust_version")
            if rv is None:
                undeclared.add(f"{p['name']} {p['version']}")
            elif version(rv) > msrv:
                failures.append(
                    f"{crate['name']} promises Rust {msrv_text}, "
                    f"but its dependency {p['name']} {p['version']} needs {rv}"
                )
        print(f"{crate['name']}: MSRV {msrv_text}, {checked} dependencies checked")
    if undeclared:
        print("declare no rust-version (unknown, not counted): " + ", ".join(sorted(undeclared)))
    for f in failures:
        print(f"MSRV: {f}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
