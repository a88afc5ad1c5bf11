"""What is read out of the text: the drug vocabulary (vocabulary.py) and the MeSH descriptors
(mesh.py), drug mentions turned into suggested links (mentions.py), and each article's Fingerprint of
weighted concepts (fingerprint.py). Called through `literature.derived`, never from a view."""
