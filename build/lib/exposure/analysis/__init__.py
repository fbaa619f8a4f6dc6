"""Analysis of a case: targets, exposure windows, downloads, clients."""
