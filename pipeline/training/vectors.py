"""Train compact floret vectors (subword hashing) on the raw text for the embedded model."""

from __future__ import annotations

import argparse
from pathlib import Path

import floret


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--text", type=Path, default=Path("build/raw/text.txt"))
    parser.add_argument("--out", type=Path, default=Path("build/raw/vectors.floret"))
    parser.add_argument("--dim", type=int, default=96)
    parser.add_argument("--bucket", type=int, default=20000)
    parser.add_argument("--epoch", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    model = floret.train_unsupervised(
        str(args.text),
        model="cbow",
        mode="floret",
        hashCount=2,
        bucket=args.bucket,
        minn=3,
        maxn=5,
        minCount=3,
        dim=args.dim,
        epoch=args.epoch,
        thread=args.threads,
        verbose=0,
    )
    model.save_floret_vectors(str(args.out))
    print(args.out)


if __name__ == "__main__":
    main()
