"""Use cases of the registry: the program and its lists, actors, ties and assessments."""
