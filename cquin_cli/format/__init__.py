"""Writing schemes: the canonical layout (``cquin fmt``) and the scaffold of a new scheme (``cquin new``)."""
