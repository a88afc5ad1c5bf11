"""The curators' writes, one plain transactional function per change, called alike by the admin, the
API, the importers and the commands: saving an article with its authors, keywords and subject areas
(articles.py), saving drugs and deciding drug links (drugs.py), merging keywords and articles
(merging.py), bulk changes with history (history.py); and what guards them: likely duplicates
(duplicates.py) and edit conflicts (conflicts.py)."""
