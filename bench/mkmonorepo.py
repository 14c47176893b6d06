#!/usr/bin/env python3
"""Make a synthetic monorepo for restage's batch benchmark (python3 stdlib only).

usage: python3 bench/mkmonorepo.py CORPUS_DIR OUT_DIR [--dockerfiles N] [--others M] [--ignored K]

N Dockerfiles (default 10,000) are corpus files copied round-robin into services/sNNNNN/,
four per service, named Dockerfile, Dockerfile.prod, api.Dockerfile and Containerfile (all
names restage's directory discovery matches); M other files (default 10 × N) are small Go
sources spread at random over services/sNNNNN/src/; a root .gitignore hides node_modules/,
under which K more Dockerfiles (default 200) sit that restage must not read.

This is ../shared/bench/mkmonorepo.py (the generator issue 16's figures were measured with)
with two changes: corpus files are taken in sorted path order rather than os.walk's
directory order, so the tree is the same on every machine, and created folders are
remembered instead of re-made for every file. The layout, names, file counts and the
random placement of the other files (seed 7) are unchanged.
"""

import argparse
import os
import random


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("out")
    ap.add_argument("--dockerfiles", type=int, default=10_000)
    ap.add_argument("--others", type=int, default=None, help="default: 10 x --dockerfiles")
    ap.add_argument("--ignored", type=int, default=200)
    a = ap.parse_args()
    n_df = a.dockerfiles
    n_other = 10 * n_df if a.others is None else a.others

    rng = random.Random(7)
    srcs = []
    for dp, dirs, fn in os.walk(a.corpus):
        dirs.sort()
        for f in sorted(fn):
            if f not in ("MANIFEST.tsv", "README.md"):
                with open(os.path.join(dp, f), "rb") as fh:
                    srcs.append(fh.read())
    if not srcs:
        raise SystemExit(f"no corpus files under {a.corpus}")

    made: set[str] = set()

    def mkdir(d: str) -> str:
        if d not in made:
            os.makedirs(d, exist_ok=True)
            made.add(d)
        return d

    def write(path: str, data: bytes) -> None:
        with open(path, "wb") as fh:
            fh.write(data)

    names = ["Dockerfile", "Dockerfile.prod", "api.Dockerfile", "Containerfile"]
    per_svc = len(names)
    mkdir(a.out)
    write(os.path.join(a.out, ".gitignore"), b"node_modules/\n")
    for i in range(n_df):
        d = mkdir(os.path.join(a.out, "services", f"s{i // per_svc:05d}"))
        write(os.path.join(d, names[i % per_svc]), srcs[i % len(srcs)])
    for i in range(n_other):
        d = mkdir(os.path.join(a.out, "services", f"s{rng.randrange(max(n_df // per_svc, 1)):05d}", "src"))
        write(os.path.join(d, f"f{i}.go"), b"package main\n" * rng.randrange(1, 40))
    for i in range(a.ignored):
        d = mkdir(os.path.join(a.out, "services", f"s{i:05d}", "node_modules", "dep"))
        write(os.path.join(d, "Dockerfile"), srcs[i % len(srcs)])
    print(f"{n_df} Dockerfiles, {n_other} other files, {a.ignored} ignored Dockerfiles under node_modules in {a.out}")


if __name__ == "__main__":
    main()
