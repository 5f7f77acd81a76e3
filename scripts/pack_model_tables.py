"""Pack the word tables of a model folder built before they were packed (``pipeline.nlp.packed``), in place.

``python scripts/pack_model_tables.py models/de_pressewerk_ner``: rewrites ``vocab/lookups.bin``; the model's
features and predictions stay the same (``tests/test_packed_tables.py``). Models trained now pack them at
``[initialize.before_init]``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from spacy.lookups import Lookups

from pipeline.nlp.clusters import CLUSTER_TABLE
from pipeline.nlp.lexfeatures import LEXICAL_TABLE
from pipeline.nlp.packed import pack_lookups


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", type=Path, help="a model folder (with vocab/lookups.bin)")
    folder = parser.parse_args().model / "vocab"
    lookups = Lookups().from_disk(folder)
    packed = pack_lookups(lookups, [CLUSTER_TABLE, LEXICAL_TABLE])
    if packed:
        lookups.to_disk(folder)
    print(f"packed: {', '.join(packed) or 'nothing (already packed)'}")


if __name__ == "__main__":
    main()
