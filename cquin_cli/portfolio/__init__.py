"""The regional view: figures across many schemes, and the tables they are exported as."""
