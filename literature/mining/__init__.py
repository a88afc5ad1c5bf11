"""What is read out of the text: the drug vocabulary (vocabulary.py) and the MeSH descriptors
(mesh.py), drug mentions turned into suggested links (mentions.py), and each article's Fingerprint of
weighted concepts (fingerprint.py). Their writes run through `literature.derived`; pages only read
the Fingerprint (grouped, aggregate, similar_articles)."""
