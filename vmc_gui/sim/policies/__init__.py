"""How each platform notices failures and brings workloads back: one module per platform."""
