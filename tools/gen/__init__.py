"""Generators of committed files: make_fonts.py (the pin's bitmap fonts, with font-to-py),
make_designs.py (the 33 sport designs), mip_package.py (package.json, the mip manifest).
Each runs as a script or with `python -m tools.gen.NAME`; tests check their output is what is
committed. They import nothing of tools or host_sim."""
