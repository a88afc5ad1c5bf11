"""OAI-PMH 2.0 for harvesters (BASE, OpenAIRE, CORE, library discovery systems) at /oai/: the
protocol (protocol.py), what the repository holds (repository.py), the metadata formats (formats.py)
and the endpoint (views.py)."""
