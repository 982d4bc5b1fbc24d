"""QGraphicsScene scenes: the layered stacks (and, later, the cluster)."""
