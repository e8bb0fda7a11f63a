#!/usr/bin/env python3
"""Fails when files of a crate import each other in a circle (ARCHITECTURE.md: dependencies
point one way).

An edge from file A to file B is a `crate::...` or `super::...` path in A (outside comments and
`#[cfg(test)]` modules) that names B's module or an item in it, or a parent module's
`use child::...`. `$crate::` paths inside macro bodies are expanded elsewhere and do not count.

Usage: python3 .ci/import_cycles.py retry-runtime/src retry-macros/src
"""

import os
import re
import sys


def module_path(rel):
    """`retry/tokio.rs` -> ['retry', 'tokio']; `retry/mod.rs` -> ['retry']; `lib.rs` -> []."""
    parts = rel[:-3].split("/")
    return parts[:-1] if parts[-1] in ("mod", "lib") else parts


def code_of(text):
    """The file without its test module and comment lines."""
    text = re.split(r"\n#\[cfg\((?:all\()?test", text)[0]
    return "\n".join(l for l in text.splitlines() if not l.strip().startswith("//"))


def edges_of(root):
    files = {}
    for folder, _, names in os.walk(root):
        for name in names:
            if name.endswith(".rs"):
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8") as f:
                    files[os.path.relpath(path, root)] = code_of(f.read())
    modules = {tuple(module_path(rel)): rel for rel in files}

    def file_of(path):
        # The longest prefix of the path that is a module of its own.
        for end in range(len(path), -1, -1):
            if tuple(path[:end]) in modules:
                return modules[tuple(path[:end])]
        return None

    edges = {}
    for rel, code in files.items():
        here = module_path(rel)
        parent = here[:-1]
        targets = []
        for m in re.finditer(r"(?<![$\w])(crate|super)((?:::\w+)+)", code):
            base = [] if m.group(1) == "crate" else parent
            targets.append(base + m.group(2).split("::")[1:])
        for m in re.finditer(r"\buse (crate|super)::\{([^}]*)\}", code):
            base = [] if m.group(1) == "crate" else parent
            targets += [base + item.strip().split("::") for item in m.group(2).split(",") if item.strip()]
        if rel.endswith(("mod.rs", "lib.rs")):
            children = set(re.findall(r"^\s*(?:pub(?:\([^)]*\))?\s+)?mod (\w+);", code, re.M))
            for m in re.finditer(r"\buse (?:self::)?(\w+)((?:::\w+)*)", code):
                if m.group(1) in children:
                    targets.append(here + [m.group(1)] + m.group(2).split("::")[1:])
        edges[rel] = {t for t in map(file_of, targets) if t and t != rel}
    return edges


def cycles(edges):
    """The strongly connected components with more than one file (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def main(roots):
    failed = False
    for root in roots:
        edges = edges_of(root)
        for component in cycles(edges):
            failed = True
            print(f"{root}: files importing each other in a circle:")
            for f in component:
                print(f"  {f} -> {', '.join(sorted(d for d in edges[f] if d in component))}")
        if not failed:
            print(f"{root}: {len(edges)} files, no import circle")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
