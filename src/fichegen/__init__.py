"""fichegen: YAML fact sheets (fiches) turned into a validated, cross-linked, multilingual static site.

The pipeline is one module per stage (load, validate, link, render, write); the package also carries its
default theme (theme/), the editors' handbook (handbook/) and the JSON Schemas of the fiches (schemas/)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("fichegen")
except PackageNotFoundError:   # run from a source tree that was never installed
    __version__ = "0+unknown"
