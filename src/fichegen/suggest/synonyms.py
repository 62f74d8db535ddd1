"""Words editors use for a partner's role or a project's status, in English, French, Spanish and Portuguese,
and the value each stands for.

The role table is written for the IATI-based roles (funding, accountable, extending, implementing, lead,
partner, associated, beneficiary). A field only ever gets a suggestion it accepts: `meaning` is given the
values the field's Literal allows (read from the model when the error happens), so the same table serves
the models before and after a change of their values."""

from __future__ import annotations

from types import MappingProxyType
from typing import Iterable, Mapping

from .guess import NOTHING, Guess, fold


def _table(entries: dict[str, tuple[str, ...]]) -> Mapping[str, str]:
    table: dict[str, str] = {}
    for value, words in entries.items():
        for word in (value, *words):
            if table.setdefault(fold(word), value) != value:
                raise ValueError(f"{word!r} stands for both {table[fold(word)]!r} and {value!r}")
    return MappingProxyType(table)


#: Partner roles: IATI 2.03 OrganisationRole (funding 1, accountable 2, extending 3, implementing 4) and fichegen's own.
ROLES = _table({
    "lead": ("leader", "lead partner", "lead organisation", "lead organization", "lead applicant", "lead beneficiary",
             "coordinator", "co-ordinator", "coordinating partner", "coordinating organisation", "project leader",
             "project coordinator", "main partner", "applicant", "promoter",
             "chef de file", "coordinateur", "coordinatrice", "porteur", "porteur de projet", "partenaire principal",
             "líder", "socio líder", "socio principal", "coordinador", "coordinadora", "entidad coordinadora",
             "parceiro líder", "parceiro principal", "coordenador", "coordenadora", "entidade coordenadora", "promotor"),
    "partner": ("project partner", "co-applicant", "coapplicant", "co-beneficiary", "member", "consortium member",
                "partenaire", "socio", "socia", "parceiro", "parceira"),
    "associated": ("associate", "associated partner", "associate partner", "associated organisation",
                   "partenaire associé", "associé", "socio asociado", "asociado", "parceiro associado", "associado"),
    "funding": ("funder", "donor", "funding agency", "funding organisation", "funding organization", "financer",
                "financier", "sponsor", "backer", "grant maker", "bailleur", "bailleur de fonds", "financeur",
                "donateur", "financiador", "financiadora", "donante", "entidad financiadora", "doador", "patrocinador",
                "entidade financiadora"),
    "accountable": ("accountable organisation", "responsible", "responsible organisation", "oversight", "owner",
                    "responsable", "responsável", "responsavel"),
    "extending": ("extending organisation", "managing agency", "fund manager", "managing organisation", "intermediary",
                  "gestionnaire", "intermédiaire", "gestor", "gestora", "intermediario", "intermediário"),
    "implementing": ("implementer", "implementor", "implementing partner", "implementing organisation",
                     "implementing organization", "implementing agency", "executing agency", "executor", "operator",
                     "opérateur", "maître d'œuvre", "exécutant", "ejecutor", "entidad ejecutora", "implementador",
                     "entidade executora", "operador"),
    "beneficiary": ("beneficiary organisation", "recipient", "target organisation", "bénéficiaire", "destinataire",
                    "beneficiario", "beneficiaria", "beneficiário", "beneficiária"),
})

#: Project statuses (IATI 2.03 ActivityStatus: planned 1, ongoing 2, closed 4, cancelled 5, suspended 6).
STATUSES = _table({
    "planned": ("planning", "pipeline", "upcoming", "not started", "future", "prévu", "planifié", "à venir",
                "previsto", "planificado", "planeado", "planejado"),
    "ongoing": ("active", "running", "in progress", "current", "implementation", "started", "open", "en cours",
                "actif", "en curso", "activo", "en ejecución", "em curso", "em andamento", "ativo", "em execução"),
    "closed": ("completed", "complete", "finished", "ended", "done", "over", "finalised", "finalized", "terminated",
               "terminé", "achevé", "clôturé", "fini", "clos", "finalizado", "terminado", "concluido", "cerrado",
               "concluído", "encerrado"),
    "cancelled": ("canceled", "cancel", "annulé", "cancelado", "anulado"),
    "suspended": ("on hold", "paused", "halted", "suspendu", "suspendido", "suspenso"),
})


def meaning(text: str, table: Mapping[str, str], accepted: Iterable[str]) -> Guess:
    """The accepted value `text` stands for: 'Leader' → lead, 'en cours' → ongoing; only a value in `accepted`.

    Without a synonym, a value of `accepted` written in another case or with other spacing is found too."""
    accepted = list(accepted)
    key = fold(text)
    value = table.get(key)
    if value in accepted:
        return Guess((value,))
    by_form = [a for a in accepted if fold(a) == key]
    return Guess((by_form[0],)) if by_form else NOTHING


def stands_for(text: str, table: Mapping[str, str]) -> str | None:
    """The value of `table` `text` stands for, whether or not a field accepts it ('completed' → closed)."""
    return table.get(fold(text))
