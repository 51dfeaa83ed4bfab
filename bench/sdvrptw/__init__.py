"""Site-dependent VRPTW (technician skills) benchmark: reader, evaluator, runner."""
