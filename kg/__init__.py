"""kg: news reports into a knowledge graph of actors, statements and events, with their contradictions."""

__version__ = "0.1.0"
