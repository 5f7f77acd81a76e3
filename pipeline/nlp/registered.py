"""Everything the embedded model's config refers to by name (``spacy train --code`` loads this file)."""

from pipeline.nlp import clusters, lexfeatures, tokenizer  # noqa: F401  (registers the callbacks and architectures)
