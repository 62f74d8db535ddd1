"""The data model: one Pydantic model per fiche type, the source of the schemas, the validation and the field reference."""

from .common import FicheBase, FuzzyDate, Link, LocalizedMarkdown, LocalizedName, LocalizedText, Money, Problem
from .discussion import Discussion
from .organisation import Organisation
from .project import Project
from .strategy import Strategy
from .vocabulary import VOCABULARIES, Programme, Region, Term, WorldRegion, vocabulary_model

#: The fiche types, by kind; each lives in content/<folder>/.
FICHE_TYPES: dict[str, type[FicheBase]] = {
    "project": Project,
    "strategy": Strategy,
    "organisation": Organisation,
    "discussion": Discussion,
}
FOLDERS: dict[str, str] = {"project": "projects", "strategy": "strategies", "organisation": "organisations", "discussion": "discussions"}

__all__ = ["FICHE_TYPES", "FOLDERS", "VOCABULARIES", "Discussion", "FicheBase", "FuzzyDate", "Link", "LocalizedMarkdown",
           "LocalizedName", "LocalizedText", "Money", "Organisation", "Problem", "Programme", "Project", "Region", "Strategy", "Term", "WorldRegion",
           "vocabulary_model"]
