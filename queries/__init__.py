"""The named SQL of exposure, shipped inside the package as `exposure.sql` (pyproject.toml maps this folder
onto it); `exposure/queries.py` reads the .sql files with importlib.resources. Analysts open them here."""
