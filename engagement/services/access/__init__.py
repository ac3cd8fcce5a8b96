"""Who may do what: accounts, roles in programs, permissions and privacy."""
