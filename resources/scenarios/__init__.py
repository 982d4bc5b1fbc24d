"""The lesson library: one TOML scenario per simulated lesson."""
