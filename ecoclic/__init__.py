"""ecoclic."""
