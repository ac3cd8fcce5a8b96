"""The coalition as a whole: its tables, network measures and the network map."""
