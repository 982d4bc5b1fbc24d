"""QGraphicsScene scenes: the layered stacks and the cluster, and the view that zooms them."""
