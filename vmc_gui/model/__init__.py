"""The model, free of Qt: stack and cluster definitions, platform parameters, scenarios."""
