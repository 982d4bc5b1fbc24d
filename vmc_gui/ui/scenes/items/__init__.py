"""Graphics items, one class per file: they draw the model and never change it."""
