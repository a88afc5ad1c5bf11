"""Citations of an article in every format a research portal offers, and any CSL style.

Each module renders one kind of output from the same Article; `formats.FORMATS` lists them.
"""
